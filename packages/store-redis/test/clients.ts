// The three Redis clients the adapter supports, connected the way the guide recommends (see fleet/connect.mjs,
// which the forked processes use too).
import type { ClientKind } from "./fleet/connect.mjs";

export { type ClientKind, connectClient } from "./fleet/connect.mjs";
export const CLIENT_KINDS: readonly ClientKind[] = ["node-redis", "node-redis-v4", "ioredis"];
