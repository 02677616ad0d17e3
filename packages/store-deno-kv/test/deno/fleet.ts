/// <reference lib="deno.ns" />
// One process of a fleet sharing one Deno KV file, started by test/deno-kv.test.ts:
//   deno run --unstable-kv … fleet.ts <mode> <json arguments>
// It prints one JSON line with what it saw. Modes:
//   budget    takes from one shared budget in a loop until `untilMs`, and races once for one lock
//   hold      takes a lock, says so, and hangs until killed (SIGKILL: it never releases)
//   takeover  asks for that lock every 20 ms until it gets it (at most `giveUpMs`)
//   tokens    `concurrency` cold getToken calls per scope set through a token manager on the mock
//   serve     a token manager on a simulated clock, driven by JSON lines on stdin (`{"clock":ms}` sets the clock,
//             `{"burst":n}` makes n concurrent calls and waits for the refreshes they started), one line back each
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
  // The time before asking: the lock's TTL runs from its commit, which comes after it.
  const at = Date.now();
  const held = await coordination.acquire(args.lockKey, `holder-${Deno.pid}`, args.ttlMs);
  say({ held, at });
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
} else if (mode === "serve") {
  let simulated = args.startAt as number;
  const warnings: string[] = [];
  const tokens = createTokenManager({
    baseUrl: args.mockUrl,
    clientId: args.clientId,
    clientSecret: args.clientSecret,
    store,
    now: () => simulated,
    monotonicNow: () => simulated,
    logger: { warn: (message) => void warnings.push(message) },
  });
  const answer = async (command: { clock?: number; burst?: number }) => {
    if (command.clock !== undefined) return { clock: (simulated = command.clock) };
    const pending: Promise<unknown>[] = [];
    const results = await Promise.allSettled(
      Array.from({ length: command.burst ?? 0 }, () =>
        tokens.getToken(["data"], { waitUntil: (promise) => void pending.push(promise) }),
      ),
    );
    await Promise.allSettled(pending);
    const failed = results.filter((result) => result.status === "rejected").length;
    return { ok: results.length - failed, failed, warnings: warnings.splice(0) };
  };
  say({ ready: true });
  let buffered = "";
  for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
    buffered += chunk;
    for (let end = buffered.indexOf("\n"); end >= 0; end = buffered.indexOf("\n")) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim()) say(await answer(JSON.parse(line)));
    }
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
// No kv.close(): the managers release their locks after answering, and closing now would drop those releases
// (the other processes would wait out the lock's TTL). The process ends once they are done.
