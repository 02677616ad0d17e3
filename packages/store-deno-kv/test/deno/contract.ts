/// <reference lib="deno.ns" />
// The shared-store contract of @dealcloud-ts/auth/testing, run under Deno against a real on-disk Deno KV file.
// `deno run --unstable-kv … contract.ts <kv file>`; prints one `ok`/`not ok` line per check, then one JSON line
// (`{"passed":N,"failed":N,"failures":[…]}`) that test/deno-kv.test.ts reads.
import type { SharedTokenStore } from "@dealcloud-ts/auth";
import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
import { createDenoKvTokenStore } from "../../dist/index.js";

const path = Deno.args[0];
if (!path) throw new Error("usage: contract.ts <kv file>");

// Deno's own `Deno.Kv` (test/deno/kv-type.ts checks that it is a DenoKvLike).
const one = await Deno.openKv(path);
const two = await Deno.openKv(path);
// The contract is about what a store answers, not how fast: its concurrency checks queue about 160 writes in one
// process's writer, past the default 1 s store time limit when a full test run loads the machine.
const operationTimeoutMs = 15_000;
const single = createDenoKvTokenStore({ kv: one, prefix: "contract-single", operationTimeoutMs });

/** Sends each call to the next of `stores` in turn: two connections to one file racing like two processes. */
function alternating(stores: SharedTokenStore[]): SharedTokenStore {
  let turn = 0;
  const next = () => stores[turn++ % stores.length] as SharedTokenStore;
  return {
    get: (key) => next().get(key),
    set: (key, token, ttlMs) => next().set(key, token, ttlMs),
    delete: (key) => next().delete(key),
    coordination: {
      acquire: (key, owner, ttlMs) => next().coordination!.acquire(key, owner, ttlMs),
      release: (key, owner) => next().coordination!.release(key, owner),
      extend: (key, owner, ttlMs) => next().coordination!.extend!(key, owner, ttlMs),
      take: (key, limit, windowMs, now) => next().coordination!.take(key, limit, windowMs, now),
      pause: (key, until) => next().coordination!.pause(key, until),
    },
  };
}
const twoConnections = alternating(
  [one, two].map((kv) => createDenoKvTokenStore({ kv, prefix: "contract-two", operationTimeoutMs })),
);

let passed = 0;
const failures: string[] = [];
for (const [label, store] of [
  ["one connection", single],
  ["two connections to one file", twoConnections],
] as const) {
  for (const check of tokenStoreContract(() => store, { extend: true })) {
    const name = `${label}: ${check.name}`;
    try {
      await check.run();
      passed++;
      console.log(`ok - ${name}`);
    } catch (error) {
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`not ok - ${name}`);
    }
  }
}
one.close();
two.close();
console.log(JSON.stringify({ passed, failed: failures.length, failures }));
