import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
import { afterAll, beforeAll, describe, expect, it, inject } from "vitest";
import { createRedisTokenStore } from "../src/index.js";
import { CLIENT_KINDS, connectClient } from "./clients.js";

describe.each(CLIENT_KINDS)("the shared-store contract, with a %s client against a real redis-server", (kind) => {
  let connection: Awaited<ReturnType<typeof connectClient>>;
  beforeAll(async () => void (connection = await connectClient(kind, inject("redisPort"))));
  afterAll(() => connection.close());

  for (const check of tokenStoreContract(
    () => createRedisTokenStore({ client: connection.client, prefix: `${kind}:` }),
    { extend: true },
  )) {
    it(check.name, check.run);
  }
});

describe("createRedisTokenStore options", () => {
  it("refuses something that is not a Redis client, saying which clients it takes", () => {
    expect(() => createRedisTokenStore({ client: {} as never })).toThrow(/node-redis client .* or an ioredis client/);
  });
  it("refuses a prefix that is not a string", () => {
    expect(() => createRedisTokenStore({ client: { call: async () => null }, prefix: 5 as never })).toThrow(
      /prefix must be a string/,
    );
  });
  it("refuses a lock TTL out of range before anything is sent", () => {
    expect(() => createRedisTokenStore({ client: { call: async () => null }, lockTtlMs: 0 })).toThrow(/lockTtlMs/);
  });

  it("puts the prefix before every key it writes", async () => {
    const sent: string[][] = [];
    const store = createRedisTokenStore({
      client: { sendCommand: async (args: string[]) => void sent.push(args) },
      prefix: "app:",
    });
    await store.get("k");
    await store.coordination?.acquire("k:lock", "me", 1000);
    await store.coordination?.extend?.("k:lock", "me", 1000);
    await store.coordination?.take("k:budget", 1, 60_000, 0);
    expect(sent.map((args) => args.find((word) => word.startsWith("app:")))).toEqual([
      "app:k",
      "app:k:lock",
      "app:k:lock",
      "app:k:budget",
    ]);
  });
});
