// The Redis store on a real Redis Cluster (three primaries on loopback) through each client library's cluster
// client: with a hash-tagged prefix every key of a manager lands in one slot, so the lock and budget scripts run
// as on one server.
import { createTokenManager, type Scope } from "@dealcloud-ts/auth";
import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
import { Cluster } from "ioredis";
import { createCluster } from "redis";
import { createCluster as createClusterV4 } from "redis-v4";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisTokenStore, type RedisClientLike } from "../src/index.js";
import { type RedisCluster, startRedisCluster } from "./redis-cluster.js";

let cluster: RedisCluster;
const closers: (() => unknown)[] = [];
const KINDS = ["ioredis Cluster", "node-redis createCluster", "node-redis v4 createCluster"] as const;
type Kind = (typeof KINDS)[number];

/** A cluster client of `kind` that knows the nodes (from one of them) and is ready. */
async function connect(kind: Kind = "ioredis Cluster"): Promise<RedisClientLike> {
  const port = cluster.ports[0]!;
  if (kind === "ioredis Cluster") {
    const client = new Cluster([{ host: "127.0.0.1", port }], { redisOptions: { maxRetriesPerRequest: 0 } });
    closers.push(() => client.disconnect());
    await new Promise((resolve, reject) => {
      client.once("ready", resolve);
      client.once("error", reject);
    });
    client.on("error", () => {});
    return client;
  }
  const options = { rootNodes: [{ url: `redis://127.0.0.1:${port}` }] };
  const client = kind === "node-redis createCluster" ? createCluster(options) : createClusterV4(options);
  client.on("error", () => {});
  await client.connect();
  closers.push(() => client.disconnect());
  return client as unknown as RedisClientLike;
}

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(async () => {
  for (const close of closers) await close();
  await cluster?.stop();
});

describe.each(KINDS)("the shared-store contract on a Redis Cluster (%s, prefix with a hash tag)", (kind) => {
  let client: RedisClientLike;
  beforeAll(async () => void (client = await connect(kind)));
  for (const check of tokenStoreContract(() => createRedisTokenStore({ client, prefix: `{contract-${kind}}:` }), {
    extend: true,
  })) {
    it(check.name, check.run);
  }
});

describe.each(KINDS)("token managers sharing a Redis Cluster (%s)", (kind) => {
  const scopeSets: Scope[][] = [["data"], ["publish"], ["data", "user_management"]];

  /** A token endpoint that counts its requests and answers after 50 ms, so that cold callers race. */
  function tokenEndpoint() {
    const sent: string[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      sent.push(new URLSearchParams(String(init.body)).get("scope") ?? "");
      await new Promise((resolve) => setTimeout(resolve, 50));
      const body = { access_token: `token-${sent.length}`, token_type: "bearer", expires_in: 900 };
      return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json" } });
    };
    return { sent, fetch };
  }

  async function fleet(prefix: string) {
    const { sent, fetch } = tokenEndpoint();
    const warnings: string[] = [];
    // Two cluster connections, as two processes would have; three managers on each.
    const connections = [await connect(kind), await connect(kind)];
    const managers = Array.from({ length: 6 }, (_, n) =>
      createTokenManager({
        baseUrl: "https://acme.dealcloud.com",
        clientId: 106,
        clientSecret: "secret",
        fetch,
        logger: { warn: (message) => void warnings.push(message) },
        store: createRedisTokenStore({ client: connections[n % 2]!, prefix, operationTimeoutMs: 15_000 }),
      }),
    );
    const tokens = await Promise.all(
      managers.flatMap((manager) =>
        scopeSets.flatMap((scopes) => Array.from({ length: 20 }, () => manager.getToken(scopes))),
      ),
    );
    return { sent, warnings, tokens };
  }

  it("with a hash-tagged prefix: 6 managers × 20 cold calls × 3 scope sets send 1 token request per scope set", async () => {
    const { sent, warnings, tokens } = await fleet(`{fleet-${kind}}:`);
    expect(sent.sort()).toEqual(["data", "data user_management", "publish"]);
    expect(warnings).toEqual([]);
    // Every caller of a scope set got the one token asked for it.
    for (const scopes of scopeSets) {
      const values = new Set(tokens.filter((token) => token.scopes.join(" ") === scopes.join(" ")).map((t) => t.value));
      expect(values.size).toBe(1);
    }
  });

  it("refuses a cluster client with a prefix lacking a hash tag, saying what to pass", async () => {
    const client = await connect(kind);
    for (const prefix of [undefined, "app:", "{}app:", "app:{"]) {
      expect(() => createRedisTokenStore({ client, prefix }), String(prefix)).toThrow(
        /With a Redis Cluster, pass a prefix with a hash tag, e\.g\. "\{dealcloud\}:"/,
      );
    }
    expect(() => createRedisTokenStore({ client, prefix: "app:{tenant-7}:" })).not.toThrow();
  });
});
