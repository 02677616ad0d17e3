// What a fleet does when part of it fails: a lock holder killed mid-request, Redis stopped and restarted. Real
// OS processes, a redis-server of this file's own (it is stopped on purpose), the mock on loopback.
import { tokenStoreKey } from "@dealcloud-ts/auth";
import { lockKeyOf } from "@dealcloud-ts/auth/shared";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { type MockDealCloudServer, serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NodeRedisLike } from "../src/index.js";
import { connectClient } from "./clients.js";
import { type BurstResult, type Fleet, type FleetConfig, startFleet } from "./fleet/fleet.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";

const SIZE = 8;
const ALL = Array.from({ length: SIZE }, (_, index) => index);
const UNAVAILABLE = "dealcloud shared token store unavailable; each process carries on alone until it is back";
let redis: RedisServer;
let fleet: Fleet;
let server: MockDealCloudServer | undefined;
beforeAll(async () => {
  [redis, fleet] = await Promise.all([startRedisServer(), startFleet(SIZE)]);
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  await redis?.stop();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const failuresOf = (results: BurstResult[]) => results.flatMap((result) => result.failures);

async function configure(options: Partial<FleetConfig> = {}) {
  server = await serveMockDealCloud({ tokenRequestsPerMinute: 1e6 });
  const prefix = `resilience-${Math.random().toString(36).slice(2)}:`;
  await fleet.configure({
    baseUrl: server.url,
    clientId: DEFAULT_MOCK_CLIENT.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT.clientSecret,
    redisPort: redis.port,
    prefix,
    ...options,
  });
  return { mock: server.mock, url: server.url, prefix };
}

/** Polls until every live process's Redis client is ready again (at most 10 s). */
async function untilReconnected(which: readonly number[]) {
  for (let tries = 0; tries < 100; tries++) {
    if ((await fleet.redisReady(which)).every(Boolean)) return;
    await sleep(100);
  }
  throw new Error("the Redis clients did not reconnect within 10 s");
}

describe("a fleet whose Redis goes away", () => {
  it("keeps every request succeeding per process, warns once per outage, and shares again once Redis is back", async () => {
    const { mock } = await configure({ storeOptions: { operationTimeoutMs: 500 } });
    expect(failuresOf(await fleet.burst([["data"]], 100))).toEqual([]);
    expect(mock.tokenCallsByScope()).toEqual({ data: 1 });

    await redis.stop();
    expect(failuresOf(await fleet.burst([["publish"]], 100))).toEqual([]);
    expect(failuresOf(await fleet.burst([["backup"]], 50))).toEqual([]);
    // Each process asked alone, once per scope set, and said so once for the whole outage.
    expect(mock.tokenCallsByScope()).toMatchObject({ publish: SIZE, backup: SIZE });
    expect(await fleet.warnings()).toEqual(ALL.map(() => [UNAVAILABLE]));

    await redis.start();
    await untilReconnected(ALL);
    expect(failuresOf(await fleet.burst([["ri_import"]], 100))).toEqual([]);
    expect(mock.tokenCallsByScope()).toMatchObject({ ri_import: 1 });
    expect(await fleet.warnings()).toEqual(ALL.map(() => [UNAVAILABLE]));

    // A second outage is a second failure period: one more warning each.
    await redis.stop();
    expect(failuresOf(await fleet.burst([["user_management"]], 20))).toEqual([]);
    expect(await fleet.warnings()).toEqual(ALL.map(() => [UNAVAILABLE, UNAVAILABLE]));
    await redis.start();
    await untilReconnected(ALL);
  });
});

describe("a lock holder killed mid-request", () => {
  it("is replaced within the lock's TTL by another process, and no other caller fails", async () => {
    const lockTtlMs = 3_000;
    // A slow Redis answer would count as an outage (each process alone, no lock to kill): give answers 15 s, as a
    // loaded CI machine needs, so the test is about the dead holder only.
    const { mock, url, prefix } = await configure({ storeOptions: { lockTtlMs, operationTimeoutMs: 15_000 } });
    // The first token request hangs for 10 s: its process will be killed while it waits.
    mock.faults.add({ route: "token", delayMs: 10_000 });
    const holder = fleet.burst([["data"]], 500, { which: [0] });
    holder.catch(() => {}); // Its process dies with the burst unanswered.

    const probe = await connectClient("node-redis", redis.port);
    const exists = () => (probe.client as NodeRedisLike).sendCommand(["EXISTS", lock]);
    const lock =
      prefix + lockKeyOf(tokenStoreKey({ baseUrl: url, clientId: DEFAULT_MOCK_CLIENT.clientId, scopes: "data" }));
    try {
      for (let tries = 0; tries < 100 && !(await exists()); tries++) await sleep(50);
      expect(await exists()).toBe(1);
    } finally {
      await probe.close();
    }

    const others = ALL.slice(1);
    const waiting = fleet.burst([["data"]], 500, { which: others });
    await sleep(200);
    const killedAt = Date.now();
    fleet.members[0]?.kill("SIGKILL");
    const results = await waiting;
    const tookOverIn = Date.now() - killedAt;

    expect(failuresOf(results)).toEqual([]);
    expect(results.reduce((sum, result) => sum + result.calls, 0)).toBe(others.length * 500);
    expect(tookOverIn).toBeLessThan(lockTtlMs + 2_000);
    // One token for the survivors: the new holder's request (the dead one's is still held by the fault).
    expect(new Set(results.flatMap((result) => result.values)).size).toBe(1);
    expect(mock.tokenRequests.filter((request) => request.status === 200)).toHaveLength(1);
  });
});
