// Token requests and getToken latency of 8 OS processes, each with its own token manager, over a memory store
// each (today's per-process behaviour) and over one Redis store (@dealcloud-ts/store-redis): a cold burst, then
// warm bursts. Real processes (the store-redis tests' fleet harness), a real redis-server on a loopback port,
// the mock DealCloud on loopback counting the token requests. Needs Debian's redis-server.
import { pathToFileURL } from "node:url";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { startFleet } from "../../packages/store-redis/test/fleet/fleet.ts";
import { startRedisServer } from "../../packages/store-redis/test/redis-server.ts";
import { fmt, mergeAloneRun, table } from "./report.mjs";

const TITLE = "Many processes: 8 processes, memory store each vs one Redis store";
const PROCESSES = 8;
const CALLS = 500;
const WARM_ROUNDS = 5;

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/** One store's cold burst and warm bursts, with the mock's token requests and every call's latency. */
async function measure(fleet, server, redisPort, store) {
  await fleet.configure({
    baseUrl: server.url,
    clientId: DEFAULT_MOCK_CLIENT.clientId,
    clientSecret: DEFAULT_MOCK_CLIENT.clientSecret,
    store,
    redisPort,
    prefix: `bench-${Date.now()}:`,
    keepLatencies: true,
  });
  // Each process's first fetch loads its HTTP stack: done on another scope set, so neither store pays it.
  await fleet.burst([["backup"]], 1);
  const phase = async (rounds) => {
    const before = server.mock.tokenRequests.length;
    const latencies = [];
    let failures = 0;
    for (let round = 0; round < rounds; round++) {
      for (const result of await fleet.burst([["data"]], CALLS)) {
        latencies.push(...result.latencies);
        failures += result.failures.length;
      }
    }
    if (failures) throw new Error(`${store}: ${failures} getToken calls failed`);
    return {
      tokenRequests: server.mock.tokenRequests.length - before,
      calls: latencies.length,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
    };
  };
  return { cold: await phase(1), warm: await phase(WARM_ROUNDS) };
}

export async function benchSharedStores() {
  const [redis, server, fleet] = await Promise.all([
    startRedisServer(),
    serveMockDealCloud({ port: 0, tokenRequestsPerMinute: 1e6 }),
    startFleet(PROCESSES),
  ]);
  const measured = {};
  try {
    for (const store of ["memory", "redis"]) measured[store] = await measure(fleet, server, redis.port, store);
  } finally {
    await fleet.stop();
    await Promise.all([server.close(), redis.stop()]);
  }
  const rows = [];
  for (const [store, label] of [
    ["memory", "memory store per process (per-process single flight and budget)"],
    ["redis", "one Redis store (`createRedisTokenStore`): shared token, lock, budget"],
  ]) {
    for (const phase of ["cold", "warm"]) {
      const figures = measured[store][phase];
      rows.push({
        store: label,
        phase,
        "getToken calls": fmt(figures.calls),
        "token requests": fmt(figures.tokenRequests),
        "p50 (ms)": fmt(figures.p50, 3),
        "p99 (ms)": fmt(figures.p99, 3),
      });
    }
  }
  table(TITLE, rows, [
    `${PROCESSES} Node processes (child_process.fork), each with its own token manager, against \`serveMockDealCloud\` on loopback (token requests counted there) and a redis-server on loopback; the Redis processes use node-redis v5, ioredis and node-redis v4 clients in turn. Cold: ${CALLS} concurrent \`getToken("data")\` per process on new managers; warm: ${WARM_ROUNDS} more bursts of ${CALLS} per process. Latency per call, from the call to its token, over every process's calls. Before each store, one \`getToken("backup")\` per process loads its HTTP stack (not counted). Warm hits are served from each manager's near copy of the shared token (no Redis round trip while it is outside its soft window); cold, the processes that lost the lock poll Redis (every 25–75 ms) for the holder's token. One run; the machine is shared, so read the ratios.`,
  ]);
  return measured;
}

// Alone: merge into the last full run's results and page rather than rewriting them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  mergeAloneRun("sharedStores", await benchSharedStores(), TITLE);
