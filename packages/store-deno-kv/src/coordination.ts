import type { TokenCoordination } from "@dealcloud-ts/auth";
import type { DenoKvAtomicLike, DenoKvLike } from "./deno-kv.js";
import type { Writer } from "./serial.js";

/** A lock entry: who holds it, and until when (wall clock, ms). */
interface LockRecord {
  owner: string;
  expiresAt: number;
}

/** A budget entry: the start times of the token requests in the window, and the shared pause. */
interface BudgetRecord {
  starts: number[];
  pausedUntil: number;
  windowMs: number;
}

/** What `take` answers when every attempt lost its race: a short wait, never a recorded request. */
const CONTENDED_WAIT_MS = 25;
/** A `take` that waited this long (ms) in the queue or retrying is recorded later by as much. */
const LATE_MS = 50;
/** How long a budget entry outlives its newest record or pause, so a slow clock never loses one early. */
const BUDGET_GRACE_MS = 60_000;

const isLock = (value: unknown): value is LockRecord =>
  typeof (value as LockRecord | null)?.owner === "string" && typeof (value as LockRecord).expiresAt === "number";

function budgetOf(value: unknown): BudgetRecord {
  const record = value as Partial<BudgetRecord> | null;
  const starts = Array.isArray(record?.starts) ? record.starts.filter((start) => typeof start === "number") : [];
  return {
    starts,
    pausedUntil: typeof record?.pausedUntil === "number" ? record.pausedUntil : 0,
    windowMs: typeof record?.windowMs === "number" ? record.windowMs : 60_000,
  };
}

/**
 * The lock and budget of a Deno KV store. Each is one read, then one atomic commit that checks the versionstamp
 * it read: of several processes racing on one key, exactly one commit succeeds and the others see `ok: false`.
 * Expiry is checked against the stored time, not only Deno KV's `expireIn`, which deletes expired keys lazily.
 */
export function createDenoKvCoordination(
  kv: DenoKvLike,
  keyOf: (key: string) => readonly string[],
  now: () => number,
  writer: Writer,
): TokenCoordination {
  /** Runs `attempt` on a fresh read of `key`, through the process's one writer (see {@link Writer}). */
  const retrying = <T>(
    key: readonly string[],
    attempt: (value: unknown, versionstamp: string | null) => Promise<T | undefined>,
    contended: () => T,
  ) =>
    writer.run(async () => {
      const entry = await kv.get(key);
      return attempt(entry.value, entry.versionstamp);
    }, contended);

  const commit = (operation: DenoKvAtomicLike) => operation.commit().then((result) => result.ok || undefined);

  return {
    acquire(key, owner, ttlMs) {
      const lockKey = keyOf(key);
      return retrying(
        lockKey,
        (value, versionstamp) => {
          // Its own live lock: a commit that threw after writing (a remote database) and was retried.
          if (isLock(value) && value.expiresAt > now()) return Promise.resolve(value.owner === owner);
          const lock: LockRecord = { owner, expiresAt: now() + ttlMs };
          const write = kv.atomic().check({ key: lockKey, versionstamp });
          return commit(write.set(lockKey, lock, { expireIn: Math.max(1, Math.ceil(ttlMs)) }));
        },
        () => false,
      );
    },

    extend(key, owner, ttlMs) {
      const lockKey = keyOf(key);
      return retrying(
        lockKey,
        (value, versionstamp) => {
          // Only a live lock of this owner: one that ran out may already be another process's to take.
          if (!isLock(value) || value.owner !== owner || !(value.expiresAt > now())) return Promise.resolve(false);
          const lock: LockRecord = { owner, expiresAt: now() + ttlMs };
          const write = kv.atomic().check({ key: lockKey, versionstamp });
          return commit(write.set(lockKey, lock, { expireIn: Math.max(1, Math.ceil(ttlMs)) }));
        },
        () => false,
      );
    },

    release(key, owner) {
      const lockKey = keyOf(key);
      return retrying(
        lockKey,
        (value, versionstamp) => {
          if (!isLock(value) || value.owner !== owner) return Promise.resolve(false);
          return commit(kv.atomic().check({ key: lockKey, versionstamp }).delete(lockKey));
        },
        () => false,
      );
    },

    take(key, limit, windowMs, at) {
      const budgetKey = keyOf(key);
      const called = now();
      return retrying(
        budgetKey,
        async (value, versionstamp) => {
          const budget = budgetOf(value);
          if (budget.pausedUntil > at) return budget.pausedUntil - at;
          // Recorded at the caller's time, or later: never before the newest start (so the record stays sorted and a
          // late writer cannot slip into a stretch of the window another process has trimmed), and, for a call
          // that spent LATE_MS or more queued or retrying, plus that delay, as its request goes out only after this.
          const newest = budget.starts.reduce(
            (latest, recorded) => Math.max(latest, recorded),
            Number.NEGATIVE_INFINITY,
          );
          const delay = now() - called;
          const start = Math.max(at + (delay >= LATE_MS ? delay : 0), newest);
          // Starts from processes whose clocks run ahead stay in: counting one too many is safe, one too few is not.
          const starts = budget.starts.filter((recorded) => recorded > start - windowMs).sort((a, b) => a - b);
          if (starts.length >= limit) return Math.max(1, (starts[starts.length - limit] as number) + windowMs - start);
          starts.push(start);
          const record: BudgetRecord = { starts, pausedUntil: budget.pausedUntil, windowMs };
          const keepMs = Math.max(windowMs, budget.pausedUntil - at) + BUDGET_GRACE_MS;
          const write = kv.atomic().check({ key: budgetKey, versionstamp });
          return (await commit(write.set(budgetKey, record, { expireIn: Math.ceil(keepMs) }))) ? 0 : undefined;
        },
        () => CONTENDED_WAIT_MS,
      );
    },

    pause(key, until) {
      const budgetKey = keyOf(key);
      return retrying(
        budgetKey,
        async (value, versionstamp) => {
          const budget = budgetOf(value);
          if (budget.pausedUntil >= until) return true; // a pause is never shortened
          const record: BudgetRecord = { ...budget, pausedUntil: until };
          const keepMs = Math.max(budget.windowMs, until - now()) + BUDGET_GRACE_MS;
          const write = kv.atomic().check({ key: budgetKey, versionstamp });
          return commit(write.set(budgetKey, record, { expireIn: Math.ceil(keepMs) }));
        },
        () => {
          throw new Error("Deno KV: every commit of the pause lost its race; the pause stays per process");
        },
      );
    },
  };
}
