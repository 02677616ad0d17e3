// The three Redis clients the adapter supports, connected to a loopback redis-server the way the guide
// recommends: commands fail at once while Redis is away (no offline queue), reconnect every 100 ms, and an
// `error` listener so a lost connection does not crash the process.
import { Redis as IoRedis } from "ioredis";
import { createClient } from "redis";
import { createClient as createClientV4 } from "redis-v4";
import type { RedisClientLike } from "../src/index.js";

export type ClientKind = "node-redis" | "node-redis-v4" | "ioredis";
export const CLIENT_KINDS: readonly ClientKind[] = ["node-redis", "node-redis-v4", "ioredis"];

/** A connected client of `kind`, and how to close it. */
export async function connectClient(
  kind: ClientKind,
  port: number,
): Promise<{ client: RedisClientLike; close(): Promise<void> }> {
  if (kind === "ioredis") {
    const client = new IoRedis({
      host: "127.0.0.1",
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    client.on("error", () => {});
    await client.connect();
    return { client, close: async () => void client.disconnect() };
  }
  const create = (kind === "node-redis" ? createClient : createClientV4) as unknown as typeof createClient;
  const client = create({
    socket: { host: "127.0.0.1", port, reconnectStrategy: () => 100 },
    disableOfflineQueue: true,
  });
  client.on("error", () => {});
  await client.connect();
  return {
    client: client as unknown as RedisClientLike,
    close: async () => {
      if (client.isOpen) await client.disconnect();
    },
  };
}
