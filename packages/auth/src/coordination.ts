import type { Logger } from "./manager.js";
import type { Scope } from "./scopes.js";
import type { StoredToken, TokenStore } from "./store.js";

/**
 * What a shared store (Redis, Deno KV, a Durable Object) offers so that many processes act as one token manager:
 * a lock with a time limit (renewed while its holder works) and a shared sliding-window budget. Adapters implement
 * these primitives (four, and the optional `extend`) and nothing else; the logic that uses them lives in
 * `@dealcloud-ts/auth/shared` (see {@link SharedTokenStore}).
 * Every method may reject when the backend is down: the manager then carries on per process, with one warning per
 * failure period, and never fails a request because of it. Keys arrive complete (an adapter only adds its own
 * `prefix`); times are milliseconds.
 */
export interface TokenCoordination {
  /**
   * Takes lock `key` for `ttlMs` if nobody holds it; resolves to true when `owner` (a random id) now holds it.
   * A holder that dies frees the lock when `ttlMs` runs out. Must be atomic: of any number of concurrent callers,
   * at most one gets true while the lock lives (Redis: `SET key owner NX PX ttlMs`).
   */
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Frees lock `key` only if `owner` still holds it (compare-and-delete), so a holder whose lock already ran out
   * frees nobody else's.
   */
  release(key: string, owner: string): Promise<unknown>;
  /**
   * Sets the remaining life of lock `key` to `ttlMs` only if `owner` still holds it (compare-and-extend); resolves
   * to true when it did, false when the lock ran out or another owner holds it (never taking a free lock). Must be
   * atomic with `acquire` and `release` (Redis: a script that compares the owner, then `PEXPIRE`). The holder of a
   * refresh calls it every `lockTtlMs / 3` while its request and waits are in flight, so a refresh slower than
   * `lockTtlMs` keeps its lock. Optional: without it a lock lives `lockTtlMs` from `acquire` whatever the
   * refresh takes, and a slower refresh lets a second process ask for the same scope set.
   */
  extend?(key: string, owner: string, ttlMs: number): Promise<boolean>;
  /**
   * Records one token request in the sliding window `key` if fewer than `limit` were recorded in the `windowMs`
   * before `now` and no shared pause (see `pause`) runs at `now`; resolves to 0 when recorded, else the
   * milliseconds to wait before asking again (until the oldest record leaves the window, or the pause ends).
   * `now` is the caller's wall clock, so tests can inject one. Must be atomic: under any concurrency, no window of
   * `windowMs` ever holds more than `limit` records.
   */
  take(key: string, limit: number, windowMs: number, now: number): Promise<number>;
  /** Pauses the budget `key` until wall-clock time `until` (after a 429): `take` refuses until then. Never shortens a pause. */
  pause(key: string, until: number): Promise<unknown>;
}

/**
 * A {@link TokenStore} that may also coordinate many processes. Build one with `createSharedTokenStore(store,
 * coordination)` from `@dealcloud-ts/auth/shared`: only a store built that way brings the coordination logic, so
 * users of the memory store never bundle it. Given such a store, every token manager (in any process) using it:
 * sends one token request per scope set per token lifetime across all processes (the others read the winner's
 * token from the store), shares the per-minute budget and 429 pauses, and falls back to per-process behaviour,
 * with one warning per failure period, while the store is down. A store without `coordination` (Workers KV, which
 * is eventually consistent) shares tokens only: each process keeps its own single flight and budget.
 */
export interface SharedTokenStore extends TokenStore {
  /** The store's lock and budget primitives, when it has them. */
  readonly coordination?: TokenCoordination | undefined;
  /**
   * Connects one token manager to the coordination logic; set by `createSharedTokenStore`.
   * @internal
   */
  readonly coordinate?: ((link: CoordinatorLink) => Coordinator) | undefined;
}

/**
 * What a manager gives the coordination logic.
 * @internal
 */
export interface CoordinatorLink {
  /** The manager's token endpoint: with `clientId`, what names its keys (see `tokenStoreKey`). */
  readonly tokenUrl: string;
  /** The manager's client id; its keys say "provider" instead when it has a `tokenProvider`. */
  readonly clientId: string | undefined;
  /** Set when the manager gets tokens from a provider instead of a client id and secret. */
  readonly tokenProvider?: unknown;
  /** Always empty: the secret never reaches a store. */
  readonly clientSecret: "";
  readonly tokenRequestsPerMinute: number;
  readonly refreshBeforeMs: number;
  readonly expiryMarginMs: number;
  /** With `maxAttempts` and `maxRateLimitWaitMs`: how long a lock holder's refresh may legitimately last. */
  readonly tokenTimeoutMs: number;
  /** The manager's attempts per refresh. */
  readonly maxAttempts: number;
  /** The longest a refresh waits for the budget or a 429 pause. */
  readonly maxRateLimitWaitMs: number;
  readonly logger: Logger;
  readonly now: () => number;
}

/**
 * A refresh as the coordination logic sees it.
 * @internal
 */
export interface CoordinatedFlight {
  /** Aborts when nobody waits for the refresh any more. */
  readonly signal: AbortSignal;
  /** Called before a wait of `ms` for the budget: fails callers who will not wait that long. */
  beforeWait(ms: number, limited: (ms: number) => Error): void;
}

/**
 * One manager's coordination: what the manager calls in place of its per-process behaviour.
 * @internal
 */
export interface Coordinator {
  /** The store to cache in: the shared one, with a time limit on each call and failures warned once per period. */
  readonly store: TokenStore;
  /** Wraps the manager's token request so that one process at a time asks for a scope set; the rest read its token. */
  single<Flight extends CoordinatedFlight>(
    request: (scopes: readonly Scope[], flight: Flight) => Promise<StoredToken>,
  ): (scopes: readonly Scope[], flight: Flight) => Promise<StoredToken>;
  /** Waits for a place in the shared budget before each attempt (after the per-process one). */
  turn(flight: CoordinatedFlight, limited: (ms: number) => Error): Promise<void>;
  /** Shares a 429 pause of `ms`. */
  pause(ms: number): void;
}
