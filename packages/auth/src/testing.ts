/**
 * The contract every {@link SharedTokenStore} adapter must meet, as checks that run under any test runner
 * (vitest, `deno test`, workerd): each `run` resolves when the adapter behaves, and rejects with an `Error`
 * saying what it did instead.
 *
 * @example Under vitest
 * ```ts
 * import type { SharedTokenStore } from "@dealcloud-ts/auth";
 * import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
 *
 * declare const store: SharedTokenStore; // your adapter's store, e.g. createRedisTokenStore({ client })
 * declare const it: (name: string, run: () => Promise<void>) => void; // from "vitest"
 * for (const check of tokenStoreContract(() => store)) it(check.name, check.run);
 * ```
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/auth/testing
 */
import type { SharedTokenStore, TokenCoordination } from "./coordination.js";
import type { StoredToken } from "./store.js";

/** One behaviour of the contract. */
export interface StoreContractCheck {
  /** What the adapter must do, as a sentence. */
  readonly name: string;
  /** Resolves when it does; rejects with an Error describing what happened instead. */
  run(): Promise<void>;
}

/** Options of {@link tokenStoreContract}. */
export interface StoreContractOptions {
  /** Check `coordination` (lock and budget) too. Default true; false for a store that only shares tokens. */
  coordination?: boolean | undefined;
  /**
   * Run the checks that wait for a token's or a lock's TTL to pass. Default true; false only for a store whose
   * expiry is too coarse to wait for in a test (Workers KV's minimum TTL is 60 s): then test expiry another way.
   */
  expiry?: boolean | undefined;
  /** Time-to-live used by the expiry checks, ms. Default 200. */
  ttlMs?: number | undefined;
  /** How long after `ttlMs` an entry or a lock must be gone, ms (a store's expiry may be late). Default 300. */
  expirySlackMs?: number | undefined;
  /** Concurrent callers in the atomicity checks. Default 40. */
  concurrency?: number | undefined;
  /**
   * Whether `coordination.extend` (optional in {@link TokenCoordination}) must be there: true fails a store
   * without it. Default: its checks run when the store has it, and pass at once for a store that has not.
   */
  extend?: boolean | undefined;
}

const WINDOW_MS = 60_000;
const EXPIRY_CHECKS = new Set([
  "drops a token once its ttlMs has passed",
  "frees a lock whose holder died once its ttlMs has passed",
  "extends its owner's lock: the lock outlives its first ttlMs",
  "answers false to extend a lock that ran out, and does not take it",
]);

class ContractError extends Error {
  override readonly name: string = "ContractError";
}

const expectThat = (ok: boolean, message: string) => {
  if (!ok) throw new ContractError(message);
};
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let unique = 0;
/** A key no other check (or earlier run against the same backend) uses. */
const freshKey = (what: string) =>
  `dealcloud-token:v1 contract-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}-${unique++} ${what}`;
const tokenFor = (value: string, now = Date.now()): StoredToken => ({
  value,
  type: "bearer",
  scopes: ["data"],
  obtainedAt: now,
  expiresAt: now + 900_000,
});

/**
 * The checks for the store that `makeStore` builds (called once per check; it may hand back the same store).
 * Every check uses keys of its own, so they may run in any order against one backend, even concurrently.
 */
export function tokenStoreContract(
  makeStore: () => SharedTokenStore | Promise<SharedTokenStore>,
  options: StoreContractOptions = {},
): StoreContractCheck[] {
  const { ttlMs = 200, expirySlackMs = 300, concurrency = 40 } = options;
  const check = (name: string, body: (store: SharedTokenStore) => Promise<void>): StoreContractCheck => ({
    name,
    run: async () => body(await makeStore()),
  });
  const coordinationOf = (store: SharedTokenStore): TokenCoordination => {
    expectThat(store.coordination !== undefined, "the store has no coordination");
    return store.coordination as TokenCoordination;
  };
  /** The check `body` for a store with `extend`; without it, a failure only when `options.extend` requires it. */
  const extendCheck = (name: string, body: (coordination: Required<TokenCoordination>) => Promise<void>) =>
    check(name, async (store) => {
      const coordination = coordinationOf(store);
      if (coordination.extend === undefined) return expectThat(options.extend !== true, "the store has no extend");
      return body(coordination as Required<TokenCoordination>);
    });
  const owners = (count: number) => Array.from({ length: count }, (_, index) => `owner-${index}`);

  const storage = [
    check("answers undefined for a key it never stored", async (store) => {
      expectThat((await store.get(freshKey("data"))) === undefined, "get of an unknown key did not answer undefined");
    }),
    check("gives back what it stored, field for field, and forgets it on delete", async (store) => {
      const key = freshKey("data");
      const token = tokenFor("contract-token-1");
      await store.set(key, token, 60_000);
      const read = await store.get(key);
      expectThat(JSON.stringify(read) === JSON.stringify(token), `get answered ${JSON.stringify(read)}`);
      await store.delete(key);
      expectThat((await store.get(key)) === undefined, "the token was still there after delete");
    }),
    check("drops a token once its ttlMs has passed", async (store) => {
      const key = freshKey("data");
      await store.set(key, tokenFor("contract-token-2"), ttlMs);
      expectThat((await store.get(key)) !== undefined, "the token was gone at once");
      await delay(ttlMs + expirySlackMs);
      expectThat((await store.get(key)) === undefined, `the token was still there ${ttlMs + expirySlackMs} ms later`);
    }),
  ];

  const coordination = [
    check("gives a free lock to exactly one of many concurrent owners", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":lock");
      const won = await Promise.all(owners(concurrency).map((owner) => coordination.acquire(key, owner, 10_000)));
      expectThat(
        won.filter(Boolean).length === 1,
        `${won.filter(Boolean).length} of ${concurrency} owners got the lock`,
      );
    }),
    check("frees a lock only for its owner", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":lock");
      expectThat(await coordination.acquire(key, "holder", 10_000), "the holder did not get a free lock");
      await coordination.release(key, "someone-else");
      expectThat(!(await coordination.acquire(key, "third", 10_000)), "a release by another owner freed the lock");
      await coordination.release(key, "holder");
      expectThat(await coordination.acquire(key, "third", 10_000), "the lock stayed taken after its owner released it");
    }),
    check("frees a lock whose holder died once its ttlMs has passed", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":lock");
      expectThat(await coordination.acquire(key, "dies", ttlMs), "the first owner did not get a free lock");
      expectThat(!(await coordination.acquire(key, "next", ttlMs)), "a live lock was given to a second owner");
      await delay(ttlMs + expirySlackMs);
      expectThat(
        await coordination.acquire(key, "next", ttlMs),
        `the lock was still taken ${ttlMs + expirySlackMs} ms later`,
      );
    }),
    check("records exactly `limit` of many concurrent takes and tells the rest how long to wait", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":budget");
      const now = 1_000_000_000_000;
      const limit = Math.max(1, Math.floor(concurrency / 4));
      const waits = await Promise.all(
        owners(concurrency).map((_, index) => coordination.take(key, limit, WINDOW_MS, now + (index % 3))),
      );
      const taken = waits.filter((ms) => ms === 0).length;
      expectThat(taken === limit, `${taken} takes were recorded under a limit of ${limit}`);
      expectThat(
        waits.every((ms) => ms === 0 || (ms > 0 && ms <= WINDOW_MS)),
        `a refused take was told to wait ${waits.find((ms) => !(ms === 0 || (ms > 0 && ms <= WINDOW_MS)))} ms`,
      );
    }),
    check("slides the window: a place frees exactly when the oldest record is windowMs old", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":budget");
      const start = 1_000_000_000_000;
      expectThat((await coordination.take(key, 2, WINDOW_MS, start)) === 0, "the first take was refused");
      expectThat((await coordination.take(key, 2, WINDOW_MS, start + 10_000)) === 0, "the second take was refused");
      const wait = await coordination.take(key, 2, WINDOW_MS, start + 20_000);
      expectThat(wait === 40_000, `a full window said wait ${wait} ms, not 40000 (until the oldest leaves)`);
      expectThat((await coordination.take(key, 2, WINDOW_MS, start + 60_000)) === 0, "the place was not free at 60 s");
      const again = await coordination.take(key, 2, WINDOW_MS, start + 60_001);
      expectThat(again === 9_999, `after the slide it said wait ${again} ms, not 9999`);
    }),
    check("refuses takes during a pause, never shortens one, and takes again when it ends", async (store) => {
      const coordination = coordinationOf(store);
      const key = freshKey(":budget");
      const start = 1_000_000_000_000;
      await coordination.pause(key, start + 5_000);
      await coordination.pause(key, start + 2_000);
      const wait = await coordination.take(key, 10, WINDOW_MS, start);
      expectThat(wait === 5_000, `a take in a 5 s pause said wait ${wait} ms`);
      expectThat(
        (await coordination.take(key, 10, WINDOW_MS, start + 5_000)) === 0,
        "the take after the pause was refused",
      );
    }),
    check("keeps budgets of different keys apart", async (store) => {
      const coordination = coordinationOf(store);
      const [one, two] = [freshKey(":budget"), freshKey(":budget")];
      const now = 1_000_000_000_000;
      expectThat((await coordination.take(one, 1, WINDOW_MS, now)) === 0, "the first budget refused its first take");
      expectThat((await coordination.take(two, 1, WINDOW_MS, now)) === 0, "a full budget refused another key's take");
    }),
  ];

  const renewal = [
    extendCheck("extends its owner's lock: the lock outlives its first ttlMs", async (coordination) => {
      const key = freshKey(":lock");
      expectThat(await coordination.acquire(key, "holder", ttlMs), "the holder did not get a free lock");
      expectThat(await coordination.extend(key, "holder", 60_000), "extend by the holder answered false");
      await delay(ttlMs + expirySlackMs);
      expectThat(
        !(await coordination.acquire(key, "next", ttlMs)),
        `an extended lock was given to another owner ${ttlMs + expirySlackMs} ms later`,
      );
      await coordination.release(key, "holder");
      expectThat(await coordination.acquire(key, "next", ttlMs), "the holder could not release its extended lock");
    }),
    extendCheck("refuses to extend another owner's lock, or a free one (without taking it)", async (coordination) => {
      const [held, free] = [freshKey(":lock"), freshKey(":lock")];
      expectThat(await coordination.acquire(held, "holder", 10_000), "the holder did not get a free lock");
      expectThat(!(await coordination.extend(held, "someone-else", 10_000)), "another owner extended the lock");
      expectThat(!(await coordination.extend(free, "anyone", 10_000)), "extend of a free lock answered true");
      expectThat(await coordination.acquire(free, "next", 10_000), "extend of a free lock took it");
      await coordination.release(held, "holder");
      expectThat(!(await coordination.extend(held, "holder", 10_000)), "extend after release answered true");
    }),
    extendCheck("answers false to extend a lock that ran out, and does not take it", async (coordination) => {
      const key = freshKey(":lock");
      expectThat(await coordination.acquire(key, "dies", ttlMs), "the first owner did not get a free lock");
      await delay(ttlMs + expirySlackMs);
      expectThat(!(await coordination.extend(key, "dies", 10_000)), "extend of a lock that ran out answered true");
      expectThat(await coordination.acquire(key, "next", ttlMs), "extend of a lock that ran out kept it taken");
    }),
    extendCheck(
      "extends only for the holder under concurrent extends, acquires and a release",
      async (coordination) => {
        const key = freshKey(":lock");
        expectThat(await coordination.acquire(key, "holder", 10_000), "the holder did not get a free lock");
        const others = owners(concurrency);
        const [mine, theirs, taken] = await Promise.all([
          Promise.all(others.map(() => coordination.extend(key, "holder", 10_000))),
          Promise.all(others.map((owner) => coordination.extend(key, owner, 10_000))),
          Promise.all(others.map((owner) => coordination.acquire(key, owner, 10_000))),
        ]);
        expectThat(mine.every(Boolean), `${mine.filter((ok) => !ok).length} of the holder's extends answered false`);
        expectThat(!theirs.some(Boolean), `${theirs.filter(Boolean).length} extends by other owners answered true`);
        expectThat(!taken.some(Boolean), `${taken.filter(Boolean).length} owners took a held, extended lock`);
        // A release racing extends: whatever the order, the lock ends free (an extend never brings one back).
        await Promise.all([
          coordination.release(key, "holder"),
          ...others.map(() => coordination.extend(key, "holder", 10_000)),
        ]);
        expectThat(await coordination.acquire(key, "next", 10_000), "an extend racing the release kept the lock taken");
      },
    ),
  ];

  const chosen = options.coordination === false ? storage : [...storage, ...coordination, ...renewal];
  return options.expiry === false ? chosen.filter((check) => !EXPIRY_CHECKS.has(check.name)) : chosen;
}
