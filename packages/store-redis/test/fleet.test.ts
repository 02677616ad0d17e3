// The guarantees across real OS processes: 8 Node processes (node-redis v5, ioredis and node-redis v4
// clients in turn), each with its own token manager over one real redis-server, against the mock DealCloud on
// loopback, which counts the token requests.
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { type MockDealCloudServer, serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { ALL_SCOPE_SETS, type BurstResult, type Fleet, type FleetConfig, startFleet } from "./fleet/fleet.js";

const SIZE = 8;
let server: MockDealCloudServer | undefined;
// One fleet for the file (starting 8 Node processes is the slow part); each test configures new managers.
let fleet: Fleet;
beforeAll(async () => void (fleet = await startFleet(SIZE)), 60_000);
afterAll(() => fleet?.stop());
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** The mock, with its own per-minute limit out of the way (the SDK's budget is what is measured). */
async function serve(options: Parameters<typeof serveMockDealCloud>[0] = {}) {
  server = await serveMockDealCloud({ tokenRequestsPerMinute: 1e6, ...options });
  return server;
}

async function fleetOf(options: Partial<FleetConfig> = {}): Promise<Fleet> {
  await fleet.configure({
    baseUrl: (server as MockDealCloudServer).url,
    clientId: DEFAULT_MOCK_CLIENT.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT.clientSecret,
    redisPort: inject("redisPort"),
    // Each test its own keys: the run's redis-server is shared.
    prefix: `fleet-${Math.random().toString(36).slice(2)}:`,
    ...options,
    // 4,000 calls at once on a loaded 2-core CI machine can keep a Redis answer past the default 1 s, and a slow
    // answer counts as a failure (each process then goes alone). These tests are about sharing, not outages.
    storeOptions: { operationTimeoutMs: 15_000, ...options.storeOptions },
  });
  return fleet;
}

const allCalls = (results: BurstResult[]) => ({
  calls: results.reduce((sum, result) => sum + result.calls, 0),
  failures: results.flatMap((result) => result.failures),
});

describe("8 processes sharing one Redis store", () => {
  it("500 concurrent cold getToken per scope set in each process → exactly 1 token request per scope set", async () => {
    const { mock } = await serve();
    const processes = await fleetOf();
    const scopeSets = [["data"], ["data", "publish"], ["user_management"]];
    const results = await processes.burst(scopeSets, 500);

    expect(allCalls(results)).toEqual({ calls: SIZE * 3 * 500, failures: [] });
    expect((await processes.warnings()).flat()).toEqual([]);
    expect(mock.tokenCallsByScope()).toEqual({ data: 1, "data publish": 1, user_management: 1 });
    // Every process got the same token per scope set: the one request's.
    expect(new Set(results.flatMap((result) => result.values)).size).toBe(3);
  });

  it("(the control: with a memory store per process, the same burst costs one token request per process)", async () => {
    const { mock } = await serve();
    const processes = await fleetOf({ store: "memory" });
    const results = await processes.burst([["data"]], 500);
    expect(allCalls(results).failures).toEqual([]);
    expect(mock.tokenCallsByScope()).toEqual({ data: SIZE });
  });

  it("the same over a simulated hour (injected clocks, 900 s tokens) → 4 to 5 token requests in total", async () => {
    const start = Date.UTC(2026, 11, 1, 9, 0, 0);
    let now = start;
    const { mock } = await serve({ now: () => now });
    const processes = await fleetOf({ simulatedFrom: start });
    const failures = allCalls(await processes.burst([["data"]], 500)).failures;
    // A minute at a time: every process asks 20 times at once each simulated minute, and waits for the
    // background refresh its calls started (through the per-call waitUntil).
    for (let minute = 1; minute <= 60; minute++) {
      now = start + minute * 60_000;
      await processes.setClock(now);
      failures.push(...allCalls(await processes.burst([["data"]], 20)).failures);
    }

    expect(failures).toEqual([]);
    expect(mock.tokenRequests.length).toBeGreaterThanOrEqual(4);
    expect(mock.tokenRequests.length).toBeLessThanOrEqual(5);
  });

  it("a token endpoint answering after 3× the lock's TTL → still exactly 1 token request (the holder renews its lock)", async () => {
    // Renewed every second: a renewal would have to be 2 s late to lose the lock, far more than a loaded machine
    // delays one.
    const lockTtlMs = 3_000;
    const { mock } = await serve();
    // Every token request is slow, as an endpoint under load would be: a lock that ran out would let a second
    // process ask (and a third, and so on) before the first answer.
    mock.faults.add({ route: "token", delayMs: 3 * lockTtlMs, times: Number.POSITIVE_INFINITY });
    const processes = await fleetOf({ storeOptions: { lockTtlMs } });
    const results = await processes.burst([["data"]], 50);

    expect(allCalls(results)).toEqual({ calls: SIZE * 50, failures: [] });
    expect((await processes.warnings()).flat()).toEqual([]);
    expect(mock.tokenCallsByScope()).toEqual({ data: 1 });
  });

  it("a token endpoint answering 500 to 8 processes × 31 scope sets never gets more than the budget in 60 s", async () => {
    const { mock } = await serve();
    mock.faults.add({ route: "token", status: 500, times: Number.POSITIVE_INFINITY });
    const budget = 20;
    const processes = await fleetOf({
      managerOptions: { tokenRequestsPerMinute: budget, maxRateLimitWaitMs: 0, maxAttempts: 3 },
    });
    const started = Date.now();
    const results = await processes.burst(ALL_SCOPE_SETS, 3);
    const elapsed = Date.now() - started;

    // Every call failed (500s, then the spent budget), and quickly: nobody waited for the next minute.
    const { calls, failures } = allCalls(results);
    expect(calls).toBe(SIZE * 31 * 3);
    expect(failures).toHaveLength(calls);
    expect(failures.every((code) => code === "SERVER_ERROR" || code === "TOKEN_RATE_LIMITED")).toBe(true);
    // The whole run fits in one 60 s window, so the budget bounds the total: spent exactly, never exceeded.
    expect(elapsed).toBeLessThan(60_000);
    const times = mock.tokenRequests.map((request) => request.at);
    const busiestWindow = Math.max(...times.map((at) => times.filter((t) => t >= at && t < at + 60_000).length));
    expect(busiestWindow).toBe(budget);
  });
});
