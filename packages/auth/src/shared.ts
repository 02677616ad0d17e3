/**
 * The coordination logic behind {@link SharedTokenStore}: imported only by store adapters (Redis, Deno KV), so
 * users of the memory store never bundle it.
 *
 * @packageDocumentation
 */
import type { Coordinator, CoordinatorLink, SharedTokenStore, TokenCoordination } from "./coordination.js";
import { DealCloudAuthError } from "./errors.js";
import type { StoredToken, TokenStore } from "./store.js";
import { storeKeyPrefix } from "./store-key.js";

export type { SharedTokenStore, TokenCoordination } from "./coordination.js";

/** Options of {@link createSharedTokenStore}; adapters pass them on from their own options. */
export interface SharedTokenStoreOptions {
  /**
   * How long the lock of one scope set's refresh lives, ms: a holder that dies is replaced after this. Default
   * 20 000. Keep it longer than a token request usually takes.
   */
  lockTtlMs?: number | undefined;
  /** How often a process that lost the lock reads the store for the winner's token, ms. Default 50. */
  pollIntervalMs?: number | undefined;
  /**
   * Time limit for each call to the store, ms; a call that takes longer counts as a failure (a disconnected client
   * that queues commands would otherwise hold every caller). Default 1 000.
   */
  operationTimeoutMs?: number | undefined;
  /** Also receives the once-per-failure-period warnings (the managers' `logger.warn` receives them anyway). */
  onWarning?: ((message: string, meta: Record<string, unknown>) => void) | undefined;
}

/** Lock key of one scope set's refresh: its token key plus `:lock`. */
export const lockKeyOf = (tokenKey: string): string => `${tokenKey}:lock`;

/**
 * Budget key (and pause) of one DealCloud user on one site: the token keys' common start plus `:budget`, since
 * DealCloud counts token requests per user, not per scope set.
 */
export const budgetKeyOf = (keyPrefix: string): string => `${keyPrefix}:budget`;

const WINDOW_MS = 60_000;

/** Rejects when `ms` pass first; the timer is cleared either way, so a settled call keeps nothing alive. */
function within<T>(work: () => T | Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`took longer than ${ms} ms`)), ms);
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => clearTimeout(timer));
  });
}

/** A pause that ends early, clearing its timer, when `signal` aborts. */
const pauseFor = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const stop = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener("abort", stop), resolve()), ms);
    signal.aborted ? stop() : signal.addEventListener("abort", stop);
  });

const checkMs = (name: string, value: number | undefined, fallback: number, min: number, max: number) => {
  const ms = value ?? fallback;
  if (typeof ms !== "number" || !(ms >= min && ms <= max)) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `${name} must be a number from ${min} to ${max} (got ${String(ms)}).`,
    );
  }
  return ms;
};

/**
 * Makes `store` a {@link SharedTokenStore}. With `coordination`, token managers using it, in any number of
 * processes, act as one: one token request per scope set per token lifetime (the process holding the scope set's
 * lock asks, the others read its token from the store), one per-minute budget and one 429 pause per DealCloud user
 * and site. Without, they only share tokens. Either way, a store that fails or takes longer than
 * `operationTimeoutMs` is skipped: each process carries on alone, with one warning per failure period, until a
 * call succeeds again.
 *
 * @example An adapter
 * ```ts
 * import type { StoredToken, TokenCoordination } from "@dealcloud-ts/auth";
 * import { createSharedTokenStore } from "@dealcloud-ts/auth/shared";
 *
 * declare const kv: { get(key: string): Promise<StoredToken | undefined>; put(key: string, token: StoredToken, ttlMs: number): Promise<void>; remove(key: string): Promise<void> };
 * declare const coordination: TokenCoordination;
 * const store = createSharedTokenStore(
 *   { get: (key) => kv.get(key), set: (key, token, ttlMs) => kv.put(key, token, ttlMs), delete: (key) => kv.remove(key) },
 *   coordination,
 *   { lockTtlMs: 10_000 },
 * );
 * ```
 */
export function createSharedTokenStore(
  store: TokenStore,
  coordination?: TokenCoordination,
  options: SharedTokenStoreOptions = {},
): SharedTokenStore {
  if ((["get", "set", "delete"] as const).some((method) => typeof store?.[method] !== "function")) {
    throw new DealCloudAuthError("INVALID_OPTION", "store must have get, set and delete methods (see TokenStore).");
  }
  if (
    coordination !== undefined &&
    (["acquire", "release", "take", "pause"] as const).some((method) => typeof coordination?.[method] !== "function")
  ) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "coordination must have acquire, release, take and pause methods (see TokenCoordination).",
    );
  }
  const lockTtlMs = checkMs("lockTtlMs", options.lockTtlMs, 20_000, 100, 600_000);
  const pollIntervalMs = checkMs("pollIntervalMs", options.pollIntervalMs, 50, 1, 10_000);
  const operationTimeoutMs = checkMs("operationTimeoutMs", options.operationTimeoutMs, 1_000, 1, 60_000);
  const { onWarning } = options;
  if (onWarning !== undefined && typeof onWarning !== "function") {
    throw new DealCloudAuthError("INVALID_OPTION", "onWarning must be a function.");
  }
  const shared: SharedTokenStore = {
    get: (key) => store.get(key),
    set: (key, token, ttlMs) => store.set(key, token, ttlMs),
    delete: (key) => store.delete(key),
    coordination,
    coordinate: (link) =>
      createCoordinator(store, coordination, link, { lockTtlMs, pollIntervalMs, operationTimeoutMs, onWarning }),
  };
  return shared;
}

interface Settled {
  lockTtlMs: number;
  pollIntervalMs: number;
  operationTimeoutMs: number;
  onWarning: SharedTokenStoreOptions["onWarning"];
}

/** One manager's view of the shared store: every call guarded, the lock and the budget used as the manager asks. */
function createCoordinator(
  store: TokenStore,
  coordination: TokenCoordination | undefined,
  link: CoordinatorLink,
  { lockTtlMs, pollIntervalMs, operationTimeoutMs, onWarning }: Settled,
): Coordinator {
  const { logger, now } = link;
  const keyPrefix = storeKeyPrefix(link.tokenUrl, link.tokenProvider ? undefined : link.clientId);
  // Refusals in a row before a refresh gives up on the shared budget (each one waits for it first).
  const maxRefusals = 100;
  // Store reads by a process waiting for another's token: enough to outlive a dead holder's lock twice over.
  const maxPolls = Math.ceil((2 * lockTtlMs + operationTimeoutMs) / pollIntervalMs) + 2;
  const budgetKey = budgetKeyOf(keyPrefix);
  let down = false;

  /**
   * Runs one store call; a failure (or a call slower than the limit) answers `fallback`. The first failure of a
   * period warns; the first success after it ends the period.
   */
  const guard = async <T>(operation: string, work: () => unknown, fallback: T): Promise<T> => {
    try {
      const result = (await within(work, operationTimeoutMs)) as T;
      if (down) {
        down = false;
        logger.debug?.("dealcloud shared token store reachable again; sharing tokens and budget across processes", {
          operation,
        });
      }
      return result;
    } catch (error) {
      if (!down) {
        down = true;
        const message = "dealcloud shared token store unavailable; each process carries on alone until it is back";
        const meta = { operation, reason: error instanceof Error ? error.message : String(error) };
        logger.warn?.(message, meta);
        onWarning?.(message, meta);
      }
      return fallback;
    }
  };

  // The last token this manager read or wrote per key, so that a cache hit costs no round trip to the store while
  // that token is outside its soft window. Other processes replace a token only by a newer one, which this one
  // needs only once its own nears expiry (then `get` reads the store again); a token DealCloud rejected is dropped
  // by this process's own `invalidate`. It also serves this process while the store is down.
  const near = new Map<string, StoredToken>();
  const remote = async (key: string) => {
    const token = await guard("get", () => store.get(key), undefined);
    if (token) near.set(key, token);
    return token;
  };
  const guarded: TokenStore = {
    get: (key) => {
      const token = near.get(key);
      return fresh(token) ? token : remote(key);
    },
    set: (key, token, ttlMs) => {
      // The same object again (the manager caching what this coordinator just stored or read): nothing new.
      if (near.get(key) === token) return;
      near.set(key, token);
      return guard("set", () => store.set(key, token, ttlMs), undefined);
    },
    delete: (key) => {
      near.delete(key);
      return guard("delete", () => store.delete(key), undefined);
    },
  };

  /** Whether another process's token ends this refresh: a token outside the soft window, as a cache hit needs. */
  const fresh = (token: StoredToken | undefined): token is StoredToken => {
    if (!token) return false;
    const lifetime = token.expiresAt - token.obtainedAt;
    return token.expiresAt - now() > Math.min(link.refreshBeforeMs, lifetime / 2);
  };

  /** How long the store keeps a token: until the hard margin, as the manager's own cache does. */
  const ttlOf = (token: StoredToken) => {
    const lifetime = token.expiresAt - token.obtainedAt;
    return token.expiresAt - Math.min(link.expiryMarginMs, lifetime / 4) - now();
  };

  const single: Coordinator["single"] = (request) => {
    if (!coordination) return request;
    return async (scopes, flight) => {
      const key = keyPrefix + scopes.join(" ");
      const lock = lockKeyOf(key);
      // Unique across processes whatever clock or random source the manager was given.
      const owner = crypto.randomUUID();
      // Bounded by the lock's life: a holder that never stores a token loses its lock after lockTtlMs, and then
      // this process takes it. Past twice that (a store that keeps saying "taken"), ask alone.
      for (let polls = 0; polls < maxPolls; polls++) {
        flight.signal.throwIfAborted();
        const won = await guard("acquire", () => coordination.acquire(lock, owner, lockTtlMs), undefined);
        // The store is down: this process asks alone.
        if (won === undefined) return request(scopes, flight);
        if (won) {
          try {
            // Another process may have stored a token between this one's cache read and the lock.
            const current = await remote(key);
            if (fresh(current)) return current;
            const token = await request(scopes, flight);
            // Stored before the lock is freed, so the next holder finds it instead of asking again.
            await guarded.set(key, token, ttlOf(token));
            return token;
          } finally {
            void guard("release", () => coordination.release(lock, owner), undefined);
          }
        }
        // Jittered, so that waiting processes do not all read the store at the same instant.
        await pauseFor(pollIntervalMs * (0.5 + Math.random()), flight.signal);
        const current = await remote(key);
        if (fresh(current)) return current;
      }
      return request(scopes, flight);
    };
  };

  return {
    store: guarded,
    single,
    async turn(flight, limited) {
      if (!coordination) return;
      for (let refusals = 0; ; refusals++) {
        const ms = await guard(
          "take",
          () => coordination.take(budgetKey, link.tokenRequestsPerMinute, WINDOW_MS, now()),
          0,
        );
        // The budget (or the store being down, which answers 0) lets this attempt go.
        if (!(ms > 0)) return;
        if (refusals >= maxRefusals) throw limited(ms);
        flight.beforeWait(ms, limited);
        await pauseFor(ms, flight.signal);
      }
    },
    pause(ms) {
      if (coordination) void guard("pause", () => coordination.pause(budgetKey, now() + ms), undefined);
    },
  };
}
