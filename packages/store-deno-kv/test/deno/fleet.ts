/// <reference lib="deno.ns" />
// One process of a fleet sharing one Deno KV file, started by test/deno-kv.test.ts:
//   deno run --unstable-kv … fleet.ts <mode> <json arguments>
// It prints one JSON line with what it saw. Modes:
//   budget    takes from one shared budget in a loop until `untilMs`, and races once for one lock
//   hold      takes a lock, says so, and hangs until killed (SIGKILL: it never releases)
//   takeover  asks for that lock every 20 ms until it gets it (at most `giveUpMs`)
//   tokens    `concurrency` cold getToken calls per scope set through a token manager on the mock
import { createTokenManager, type Scope } from "@dealcloud-ts/auth";
import { createDenoKvTokenStore } from "../../dist/index.js";

const [mode, json] = Deno.args;
const args = JSON.parse(json ?? "{}");
const kv = await Deno.openKv(args.kvPath);
const store = createDenoKvTokenStore({
  kv,
  prefix: "fleet",
  lockTtlMs: args.lockTtlMs,
  operationTimeoutMs: args.operationTimeoutMs,
});
const coordination = store.coordination!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const untilStart = () => sleep(Math.max(0, args.startAt - Date.now()));
const say = (value: unknown) => console.log(JSON.stringify(value));

if (mode === "budget") {
  await untilStart();
  const won = await coordination.acquire(args.lockKey, `pid-${Deno.pid}`, 60_000);
  const takes: number[] = [];
  let refusals = 0;
  while (Date.now() < args.untilMs) {
    const wait = await coordination.take(args.budgetKey, args.limit, args.windowMs, Date.now());
    // When the request would go out: once take has answered.
    if (wait === 0) takes.push(Date.now());
    else {
      refusals++;
      await sleep(Math.min(wait, 20));
    }
  }
  say({ won, takes, refusals });
} else if (mode === "hold") {
  const held = await coordination.acquire(args.lockKey, `holder-${Deno.pid}`, args.ttlMs);
  say({ held, at: Date.now() });
  setInterval(() => {}, 1_000); // until SIGKILL
} else if (mode === "takeover") {
  const started = Date.now();
  let got = false;
  while (!got && Date.now() - started < args.giveUpMs) {
    got = await coordination.acquire(args.lockKey, `next-${Deno.pid}`, args.ttlMs);
    if (!got) await sleep(20);
  }
  say({ got, at: Date.now() });
} else if (mode === "tokens") {
  const warnings: string[] = [];
  const tokens = createTokenManager({
    logger: { warn: (message, meta) => void warnings.push(`${message} ${JSON.stringify(meta)}`) },
    baseUrl: args.mockUrl,
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    store,
    ...(args.tokenRequestsPerMinute ? { tokenRequestsPerMinute: args.tokenRequestsPerMinute } : {}),
    ...(args.maxRateLimitWaitMs !== undefined ? { maxRateLimitWaitMs: args.maxRateLimitWaitMs } : {}),
  });
  await untilStart();
  const calls = (args.scopeSets as Scope[][]).flatMap((scopes) =>
    Array.from({ length: args.concurrency }, () => tokens.getToken(scopes)),
  );
  const results = await Promise.allSettled(calls);
  const failed = results.filter((result) => result.status === "rejected");
  say({
    ok: results.length - failed.length,
    failed: failed.length,
    codes: [...new Set(failed.map((result) => (result as PromiseRejectedResult).reason?.code))],
    stats: tokens.stats(),
    warnings,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}
// No kv.close(): the managers release their locks after answering, and closing now would drop those releases
// (the other processes would wait out the lock's TTL). The process ends once they are done.
