import { pauseFor } from "./abort.js";
import type { CoordinatedFlight, Coordinator, CoordinatorLink, TokenCoordination } from "./coordination.js";
import type { Logger } from "./manager.js";
import type { Scope } from "./scopes.js";
import type { StoredToken, TokenStore } from "./store.js";
import { storeKeyPrefix } from "./store-key.js";

const WINDOW_MS = 60_000;
/** Refusals in a row before a refresh gives up on the shared budget (each one waits for it first). */
const MAX_REFUSALS = 100;
const UNAVAILABLE = "dealcloud shared token store unavailable; each process carries on alone until it is back";
const REACHABLE = "dealcloud shared token store reachable again; sharing tokens and budget across processes";
const LOCK_LOST = "dealcloud shared token lock ran out during a refresh; another process may ask for the same token";
/** What a renewal throws when the store answered that this process no longer holds the lock. */
const lockLost = new Error("the lock was no longer held");
/** The longest backoff between two attempts of a refresh (exchange.ts). */
const BACKOFF_CAP_MS = 8_000;

/** Lock key of one scope set's refresh: its token key plus `:lock`. */
export const lockKeyOf = (tokenKey: string): string => `${tokenKey}:lock`;

/** Budget key (and pause) of one DealCloud user on one site: the token keys' common start plus `:budget`. */
export const budgetKeyOf = (keyPrefix: string): string => `${keyPrefix}:budget`;

/** What `createSharedTokenStore` settled from its options. */
export interface CoordinatorSettings {
  lockTtlMs: number;
  pollIntervalMs: number;
  operationTimeoutMs: number;
  onWarning: ((message: string, meta: Record<string, unknown>) => void) | undefined;
}

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

/** Runs one store call within the time limit; a failure answers `fallback` instead of throwing. */
type Guard = <T>(operation: string, work: () => unknown, fallback: T) => Promise<T>;

/**
 * Store calls that never throw: a failure, or a call slower than `timeoutMs`, answers the fallback. The first
 * failure of a period warns (once, however many calls fail meanwhile); the first success after it ends the period.
 * A lock lost mid-refresh (a renewal the store refused) counts as a failure too, with its own message.
 */
function createGuard(logger: Logger, { operationTimeoutMs, onWarning }: CoordinatorSettings): Guard {
  let down = false;
  return async <T>(operation: string, work: () => unknown, fallback: T) => {
    try {
      const result = (await within(work, operationTimeoutMs)) as T;
      if (down) (down = false), logger.debug?.(REACHABLE, { operation });
      return result;
    } catch (error) {
      if (!down) {
        down = true;
        const meta = { operation, reason: error instanceof Error ? error.message : String(error) };
        const message = error === lockLost ? LOCK_LOST : UNAVAILABLE;
        logger.warn?.(message, meta);
        onWarning?.(message, meta);
      }
      return fallback;
    }
  };
}

/** How the coordinator judges a token, with the manager's own margins. */
function tokenTimes(link: CoordinatorLink) {
  const lifetimeOf = (token: StoredToken) => token.expiresAt - token.obtainedAt;
  return {
    /** Whether it is outside the soft window, as a cache hit needs: another process's such token ends a refresh. */
    fresh: (token: StoredToken | undefined): token is StoredToken =>
      token !== undefined && token.expiresAt - link.now() > Math.min(link.refreshBeforeMs, lifetimeOf(token) / 2),
    /** How long the store keeps it: until the hard margin, as the manager's own cache does. */
    ttlOf: (token: StoredToken) => token.expiresAt - Math.min(link.expiryMarginMs, lifetimeOf(token) / 4) - link.now(),
  };
}

/**
 * The manager's cache over the shared store, with a near copy of the last token read or written per key, so that
 * a cache hit costs no round trip while that token is fresh. Other processes replace a token only by a newer one,
 * which this one needs only once its own nears expiry (then `get` reads the store again); a token DealCloud
 * rejected is dropped by this process's own `invalidate`. The near copies also serve while the store is down.
 */
function createNearStore(store: TokenStore, guard: Guard, fresh: (token: StoredToken | undefined) => boolean) {
  const near = new Map<string, StoredToken>();
  /** The store's token, bypassing the near copy (which it then replaces). */
  const remote = async (key: string) => {
    const token = await guard("get", () => store.get(key), undefined as StoredToken | undefined);
    if (token) near.set(key, token);
    return token;
  };
  const cache: TokenStore = {
    get: (key) => {
      const token = near.get(key);
      return fresh(token) ? token : remote(key);
    },
    set: (key, token, ttlMs) => {
      // The same object again (the manager caching what the coordinator just stored or read): nothing new.
      if (near.get(key) === token) return;
      near.set(key, token);
      return guard("set", () => store.set(key, token, ttlMs), undefined);
    },
    delete: (key) => {
      near.delete(key);
      return guard("delete", () => store.delete(key), undefined);
    },
  };
  return { cache, remote };
}

/**
 * One manager's view of the shared store: every call guarded, and with `coordination`, the lock per scope set, the
 * shared budget and the shared 429 pause used as the manager asks.
 */
export function createCoordinator(
  store: TokenStore,
  coordination: TokenCoordination | undefined,
  link: CoordinatorLink,
  settings: CoordinatorSettings,
): Coordinator {
  const { lockTtlMs, pollIntervalMs, operationTimeoutMs } = settings;
  const { now } = link;
  const keyPrefix = storeKeyPrefix(link.tokenUrl, link.tokenProvider ? undefined : link.clientId);
  const budgetKey = budgetKeyOf(keyPrefix);
  // How long a live holder may keep its lock by renewing it: the longest refresh the manager's options allow
  // (every attempt timing out, each after a budget or 429 wait and a backoff). A holder stuck past it (a token
  // provider that ignores its signal) stops renewing, so the fleet is never blocked for good.
  const maxHoldMs = coordination?.extend
    ? link.maxAttempts * (link.tokenTimeoutMs + link.maxRateLimitWaitMs + BACKOFF_CAP_MS)
    : 0;
  // Rounds of a process waiting for another's token: enough to outlive a live holder's renewals, and then a dead
  // holder's lock twice over.
  const maxPolls = Math.ceil((maxHoldMs + 2 * lockTtlMs + operationTimeoutMs) / pollIntervalMs) + 2;
  const guard = createGuard(link.logger, settings);
  const { fresh, ttlOf } = tokenTimes(link);
  const { cache, remote } = createNearStore(store, guard, fresh);

  /**
   * Renews lock `lock` every `lockTtlMs / 3` until the answer is called (the refresh settled) or `signal` aborts
   * (it was abandoned), so a refresh slower than `lockTtlMs` keeps its lock; a renewal that fails, or finds the
   * lock lost, warns (through the guard) and ends the renewals. The answer resolves once no renewal is in flight,
   * so the release that follows cannot race one; no timer outlives it.
   */
  const keepLocked = (lock: string, owner: string, signal: AbortSignal): (() => Promise<unknown>) => {
    if (!coordination?.extend) return () => Promise.resolve();
    const extend = () => coordination.extend?.(lock, owner, lockTtlMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let renewal: Promise<unknown> = Promise.resolve();
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
      return renewal;
    };
    const renew = async (left: number) => {
      const held = await guard("extend", async () => (await extend()) || Promise.reject(lockLost), false);
      if (held && !stopped && left > 1) schedule(left - 1);
    };
    const schedule = (left: number) => {
      timer = setTimeout(() => (renewal = renew(left)), lockTtlMs / 3);
    };
    signal.addEventListener("abort", stop);
    schedule(Math.ceil((3 * maxHoldMs) / lockTtlMs));
    return stop;
  };

  /** The refresh as the lock holder runs it: one more look at the store, the request, the token stored. */
  const asHolder = async <F extends CoordinatedFlight>(
    key: string,
    request: (scopes: readonly Scope[], flight: F) => Promise<StoredToken>,
    scopes: readonly Scope[],
    flight: F,
  ) => {
    // Another process may have stored a token between this one's cache read and the lock.
    const current = await remote(key);
    if (fresh(current)) return current;
    const token = await request(scopes, flight);
    // Stored before the lock is freed, so the next holder finds it instead of asking again.
    await cache.set(key, token, ttlOf(token));
    return token;
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
          const stopRenewing = keepLocked(lock, owner, flight.signal);
          try {
            return await asHolder(key, request, scopes, flight);
          } finally {
            await stopRenewing();
            // Awaited, so the release is part of the refresh: a Worker's waitUntil (which keeps the refresh alive)
            // then covers it too, and other isolates need not wait out the lock's TTL.
            await guard("release", () => coordination.release(lock, owner), undefined);
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
    store: cache,
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
        if (refusals >= MAX_REFUSALS) throw limited(ms);
        flight.beforeWait(ms, limited);
        await pauseFor(ms, flight.signal);
      }
    },
    pause(ms) {
      if (coordination) void guard("pause", () => coordination.pause(budgetKey, now() + ms), undefined);
    },
  };
}
