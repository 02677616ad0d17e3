// One process of a fleet (forked by fleet.ts): a token manager over the Redis store (or the memory store),
// driven over IPC. Plain JavaScript on the built packages, so it starts as fast as Node can. `configure` builds
// a new manager (and connects to Redis when the port or client changes), so one fleet serves several tests.
import { createMemoryTokenStore, createTokenManager } from "@dealcloud-ts/auth";
import { createRedisTokenStore } from "../../dist/index.js";
import { connectClient } from "./connect.mjs";

let connection;
let connectedTo = "";
let tokens;
let config;
let warnings = [];
// A simulated clock, set by the parent, when the test drives time; the real ones otherwise.
let simulated = 0;

async function configure(next) {
  config = next;
  const target = next.store === "redis" ? `${next.client} ${next.redisPort}` : "";
  if (target !== connectedTo) {
    await connection?.close();
    connection = target ? await connectClient(next.client, next.redisPort) : undefined;
    connectedTo = target;
  }
  const store = connection
    ? createRedisTokenStore({ client: connection.client, prefix: next.prefix, ...next.storeOptions })
    : createMemoryTokenStore();
  simulated = next.startAt;
  warnings = [];
  tokens = createTokenManager({
    baseUrl: next.baseUrl,
    clientId: next.clientId,
    clientSecret: next.clientSecret,
    store,
    ...(next.simulated ? { now: () => simulated, monotonicNow: () => simulated } : {}),
    ...next.managerOptions,
    logger: { warn: (message) => warnings.push(message) },
  });
}

/** `count` concurrent getToken calls for each scope set; waits for every refresh they started, too. */
async function burst({ scopeSets, count, options = {} }) {
  const pending = [];
  const latencies = [];
  const failures = [];
  const values = new Set();
  const call = async (scopes) => {
    const started = performance.now();
    try {
      const token = await tokens.getToken(scopes, { ...options, waitUntil: (promise) => void pending.push(promise) });
      values.add(token.value);
    } catch (error) {
      failures.push(error.code ?? String(error));
    }
    latencies.push(performance.now() - started);
  };
  await Promise.all(scopeSets.flatMap((scopes) => Array.from({ length: count }, () => call(scopes))));
  await Promise.all(pending);
  return { calls: latencies.length, failures, latencies: config.keepLatencies ? latencies : [], values: [...values] };
}

process.on("message", async ({ id, type, ...message }) => {
  let answer;
  if (type === "configure") await configure(message.config);
  else if (type === "burst") answer = await burst(message);
  else if (type === "clock") simulated = message.now;
  else if (type === "warnings") answer = warnings;
  else if (type === "stats") answer = tokens.stats();
  else if (type === "redisReady") answer = connection ? connection.ready() : false;
  else if (type === "exit") {
    await connection?.close();
    process.send({ id }, () => process.exit(0));
    return;
  }
  process.send({ id, answer });
});
process.send({ ready: true });
