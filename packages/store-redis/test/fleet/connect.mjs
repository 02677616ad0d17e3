// The same connections as ../clients.ts, in plain JavaScript for the forked processes: no offline queue,
// reconnect every 100 ms, an `error` listener so a lost Redis does not crash the process. Each client library is
// loaded only when asked for, so a process starts with one, not three.
export async function connectClient(kind, port) {
  if (kind === "ioredis") {
    const { Redis } = await import("ioredis");
    const client = new Redis({
      host: "127.0.0.1",
      port,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => 100,
    });
    client.on("error", () => {});
    await client.connect();
    return { client, ready: () => client.status === "ready", close: async () => void client.disconnect() };
  }
  const { createClient } = await import(kind === "node-redis" ? "redis" : "redis-v4");
  const client = createClient({
    socket: { host: "127.0.0.1", port, reconnectStrategy: () => 100 },
    disableOfflineQueue: true,
  });
  client.on("error", () => {});
  await client.connect();
  return {
    client,
    ready: () => client.isReady,
    close: async () => (client.isOpen ? client.disconnect() : undefined),
  };
}
