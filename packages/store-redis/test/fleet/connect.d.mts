import type { RedisClientLike } from "../../src/index.js";

export type ClientKind = "node-redis" | "node-redis-v4" | "ioredis";
/** A connected client of `kind` on 127.0.0.1:`port`, and how to close it. */
export function connectClient(
  kind: ClientKind,
  port: number,
): Promise<{ client: RedisClientLike; close(): Promise<void> }>;
