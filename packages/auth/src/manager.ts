import { abortError } from "./abort.js";
import { mintedOf } from "./access-token.js";
import { createExchange } from "./exchange.js";
import { resolveOptions } from "./options.js";
import { createRefreshPolicy, type KeyState } from "./refresh-policy.js";
import { createSafeStore } from "./safe-store.js";
import { normalizeScopes, type Scope } from "./scopes.js";
import type { SharedTokenStore } from "./coordination.js";
import type { TokenStore } from "./store.js";
import { storeKeyPrefix } from "./store-key.js";

export { TOKEN_PATH } from "./options.js";

/** The `fetch` the manager calls: the global one or any compatible function. It is always called unbound. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Where log lines go. Every method is optional; missing levels are dropped. Lines never contain the client
 * secret or an access token: only scopes, statuses, attempt numbers and error codes.
 */
export interface Logger {
  /** Each token request and its outcome. */
  debug?(message: string, meta?: Record<string, unknown>): void;
  /** Retries and background refresh failures that are still covered by a live token. */
  warn?(message: string, meta?: Record<string, unknown>): void;
}

/**
 * Gets a token some other way than calling DealCloud with a secret: in a browser, ask your own backend, which
 * holds the secret (the vendor warns against secrets in client-side code). Return the backend's `Response` as is
 * (its status is handled like the token endpoint's: 429 and 5xx are retried) or the parsed DealCloud answer.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@dealcloud-ts/auth";
 *
 * const tokens = createTokenManager({
 *   baseUrl: "yourfirm.dealcloud.com",
 *   tokenProvider: ({ scopes, signal }) =>
 *     fetch("/api/dealcloud-token", { method: "POST", body: scopes.join(" "), signal }),
 * });
 * ```
 */
export type TokenProvider = (request: {
  /** The scopes asked for, sorted and de-duplicated. */
  scopes: readonly Scope[];
  /** Aborts when the attempt times out (`tokenTimeoutMs`) or nobody waits for the token any more. */
  signal: AbortSignal;
}) => Promise<Response | TokenAnswerBody>;

/** DealCloud's token answer, as a {@link TokenProvider} may return it. */
export interface TokenAnswerBody {
  /** The bearer token. */
  access_token: string;
  /** `bearer` (any case); assumed when absent. */
  token_type?: string;
  /** Lifetime in seconds (a number or numeric string); 900 when absent. */
  expires_in?: number | string;
}

/** Options of {@link createTokenManager}. Only `baseUrl` and credentials are required. */
export interface TokenManagerOptions {
  /**
   * Your DealCloud site: a bare host (`yourfirm.dealcloud.com`) or an origin (`https://yourfirm.dealcloud.eu`).
   * Normalised to https with no trailing slash; plain http is accepted only on loopback (the mock server).
   * Tokens are requested from `{baseUrl}/api/rest/v1/oauth/token`.
   */
  baseUrl: string;
  /** The Client ID of the DealCloud user whose API key you use. Required unless `tokenProvider` is given. */
  clientId?: string | number | undefined;
  /**
   * That user's client secret (the "API key"). Kept in a closure: it never reaches the store, a log line, an
   * error or `JSON.stringify`/`inspect` output. Required unless `tokenProvider` is given.
   */
  clientSecret?: string | undefined;
  /** Gets tokens from elsewhere (your backend) instead of from DealCloud with a secret. See {@link TokenProvider}. */
  tokenProvider?: TokenProvider;
  /**
   * Allows a `clientSecret` in a browser. Everyone who loads the page can read it: use a `tokenProvider` backed
   * by your server instead, unless the page is an internal tool on a trusted machine.
   */
  dangerouslyAllowBrowser?: boolean;
  /** The `fetch` to call; default the global `fetch`, looked up at each call so later interceptors apply. */
  fetch?: FetchLike;
  /**
   * Wall clock in milliseconds; default `Date.now`. Expiry (`expiresAt`, what a store shares) is computed from
   * this clock, never the server's.
   */
  now?: () => number;
  /**
   * For tests: the monotonic clock in milliseconds; default `performance.now` (the `performance` object of when
   * the manager is created, so install fake timers first). Waits for the budget and 429
   * pauses, and the life of tokens this process obtained, are counted on it, so a wall clock stepped backwards
   * can neither lock the manager out nor keep a dead token alive.
   */
  monotonicNow?: () => number;
  /** Random numbers in [0, 1) for retry jitter; default `Math.random`. Inject one for deterministic tests. */
  random?: () => number;
  /**
   * Soft window, ms before expiry: a caller in it gets the cached token at once and one background refresh
   * starts. Default 120 000 (2 minutes of a 15-minute token); halved lifetimes scale it down.
   */
  refreshBeforeMs?: number;
  /**
   * Hard margin, ms before expiry: from here the token counts as expired and callers wait for a new one, so no
   * request leaves with a token that dies in flight. Default 30 000; must be smaller than `refreshBeforeMs`.
   */
  expiryMarginMs?: number;
  /**
   * Longest lifetime believed, whatever `expires_in` says. Default 900 000 (the documented 900 s): a recorded
   * DealCloud answer said `expires_in: 1199` for a token that died at 900 s.
   */
  maxTokenLifetimeMs?: number;
  /**
   * Token requests allowed in any 60 s window; never exceeded. DealCloud allows 300 a minute per user in
   * production and 60 in UAT/sandbox: the default is 60 on `*.dealclouduat.com`/`.eu`/`.ae` hosts and 300
   * elsewhere. Set 60 yourself for a sandbox on another host. Several processes share DealCloud's budget: give
   * each its part, or give them all one shared store that coordinates them (`@dealcloud-ts/store-redis`), which
   * keeps this budget for all of them together (set the same value in each).
   */
  tokenRequestsPerMinute?: number;
  /**
   * Longest a caller waits for the per-minute budget (or a 429's `Retry-After`) at any point of a refresh,
   * retries included, before failing with `TOKEN_RATE_LIMITED` instead. Default 60 000; 0 never waits. Per call:
   * `getToken`'s option of the same name.
   */
  maxRateLimitWaitMs?: number;
  // No {@link} here: @dealcloud-ts/client's options inherit this comment, and typedoc cannot link across packages.
  /**
   * Where tokens are cached. Default: a `Map` of this manager's own (at most 31 entries: one per scope set, so it
   * needs no eviction); pass a `createMemoryTokenStore()` to share one between managers. A shared store
   * that coordinates (`createRedisTokenStore` from `@dealcloud-ts/store-redis`) makes the managers of many
   * processes act as one: one token request per scope set, one per-minute budget (guide: Running many processes).
   */
  store?: TokenStore;
  /**
   * How the client id and secret are sent: `"body"` (default, as DealCloud's docs: `client_id` and
   * `client_secret` form fields) or `"basic"` (an `Authorization: Basic` header, as the vendor's Python SDK does;
   * id and secret are form-urlencoded before base64, RFC 6749 2.3.1).
   */
  clientAuthentication?: "body" | "basic";
  /** Per-attempt time limit for one token request, body included. Default 30 000. */
  tokenTimeoutMs?: number;
  /** Attempts per refresh for network errors, timeouts, 408, 429 and 5xx (full-jitter backoff). Default 3. */
  maxAttempts?: number;
  /**
   * Keeps the current request alive until a refresh settles: pass `ctx.waitUntil.bind(ctx)` in Cloudflare
   * Workers, where a promise created by one request and awaited by another is cancelled when the first ends.
   */
  waitUntil?: (promise: Promise<unknown>) => void;
  /** Receives debug and warning lines; see {@link Logger}. Default: silent. */
  logger?: Logger;
}

/** Per-call options of {@link TokenManager.getToken}. */
export interface GetTokenOptions {
  /**
   * Ends this caller's wait (with `ABORTED`, or `TIMEOUT` for `AbortSignal.timeout`). A refresh shared with other
   * callers goes on; one nobody waits for any more stops, aborting its request.
   */
  signal?: AbortSignal | undefined;
  /**
   * Skips the cache and asks DealCloud for a new token (joining one already in flight). With a shared store that
   * coordinates processes, it joins the fleet's refresh: a fresh token another process stored meanwhile is
   * taken instead. To replace a token DealCloud rejected, call `invalidate(scopes, value)`.
   */
  forceRefresh?: boolean | undefined;
  /** Overrides the manager's `maxRateLimitWaitMs` for this call. */
  maxRateLimitWaitMs?: number | undefined;
  /**
   * Overrides the manager's `waitUntil` for a refresh this call starts (in the background, near expiry, or one it
   * waits for): pass the current request's `ctx.waitUntil.bind(ctx)` in Cloudflare Workers, so one manager can
   * live for the isolate while each refresh keeps alive the request that started it.
   */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * A bearer token for one scope set. Its `value` is a getter on the prototype, not an own property: nothing that
 * enumerates the object (`console.dir`, spread, `structuredClone`, `Object.entries`) sees it, and
 * `JSON.stringify`, `String()` and Node/Deno `inspect` print `[redacted]`. Read `value` to build the
 * `Authorization` header.
 */
export interface AccessToken {
  /** The bearer token itself. */
  readonly value: string;
  /** Always `bearer`. */
  readonly type: string;
  /** The scopes it was issued for, sorted. */
  readonly scopes: readonly Scope[];
  /** Local clock time (ms) when it dies. */
  readonly expiresAt: number;
}

/** Counters for tests, benchmarks and dashboards. */
export interface TokenManagerStats {
  /** HTTP requests sent to the token endpoint (or `tokenProvider` calls), retries included. */
  tokenRequests: number;
  /** `getToken` calls answered from the cache. */
  cacheHits: number;
  /** `getToken` calls that joined a refresh already in flight instead of starting one. */
  coalescedWaiters: number;
  /** Refreshes that failed (after their last attempt), including budget refusals and refreshes abandoned by every caller. */
  failures: number;
  /** Refreshes started in the soft window while the cached token was still served. */
  backgroundRefreshes: number;
}

/** A DealCloud token cache with single-flight refresh; see {@link createTokenManager}. */
export interface TokenManager {
  /**
   * A live token for `scopes`: from the cache, or from one shared request however many callers ask at once.
   * Scope order and duplicates do not matter.
   */
  getToken(scopes: Scope | readonly Scope[], options?: GetTokenOptions): Promise<AccessToken>;
  /**
   * Drops the cached token for `scopes`, e.g. after an API answered 401. With `value`, drops it only if it is
   * still the cached one, so N requests failing with the same token cause one refresh, not N. A refresh in
   * flight when this is called will not be cached. Resolves true if a token was dropped.
   */
  invalidate(scopes: Scope | readonly Scope[], value?: string): Promise<boolean>;
  /** A snapshot of the counters. */
  stats(): TokenManagerStats;
  /** The normalised site address, e.g. `https://yourfirm.dealcloud.com`. */
  readonly baseUrl: string;
  /** The per-minute token budget in force (default 300, or 60 on UAT/sandbox hosts). */
  readonly tokenRequestsPerMinute: number;
}

/**
 * Creates a token manager for one DealCloud user (client id) on one site. Nothing is sent until the first
 * `getToken`, so it can live at module scope in Node, Deno, Bun and browsers. In Workers, where a promise made
 * during one request cannot settle in another, keep only the token `store` for the isolate and create the manager
 * (or client) per request with that request's `waitUntil`: see the runtimes guide.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@dealcloud-ts/auth";
 *
 * // The API user's id and key, read from your runtime's environment or secret store (never from source code).
 * declare const env: { DEALCLOUD_CLIENT_ID: string; DEALCLOUD_CLIENT_SECRET: string };
 *
 * const tokens = createTokenManager({
 *   baseUrl: "yourfirm.dealcloud.com",
 *   clientId: env.DEALCLOUD_CLIENT_ID,
 *   clientSecret: env.DEALCLOUD_CLIENT_SECRET,
 * });
 * const token = await tokens.getToken(["data"]);
 * await fetch("https://yourfirm.dealcloud.com/api/rest/v4/schema/entrytypes", {
 *   headers: { Authorization: `Bearer ${token.value}` },
 * });
 * ```
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const settings = resolveOptions(options);
  const counters: TokenManagerStats = {
    tokenRequests: 0,
    cacheHits: 0,
    coalescedWaiters: 0,
    failures: 0,
    backgroundRefreshes: 0,
  };
  const keyPrefix = storeKeyPrefix(settings.tokenUrl, settings.tokenProvider ? undefined : settings.clientId);
  // Only a store built by @dealcloud-ts/auth/shared has `coordinate`: the logic lives there, out of this bundle.
  // The settings without the secret, which never reaches the store.
  const coordinator = (settings.store as SharedTokenStore).coordinate?.({ ...settings, clientSecret: "" });
  const cache = createSafeStore(coordinator?.store ?? settings.store, settings.logger);
  const exchange = createExchange(settings, counters, coordinator);
  const policy = createRefreshPolicy(settings, coordinator?.single(exchange) ?? exchange, cache, counters);
  const states = new Map<string, KeyState>();
  // Callers ask with the same scope (a string) or the same frozen array (normalizeScopes' answer, which clients
  // hold) on every request, so its key is worked out once. Only frozen arrays are remembered: an array changed
  // after a call is never matched to its old key. Only valid scopes are remembered (normalizeScopes throws first,
  // for a non-array too, which counts as frozen), so the string map stays small.
  const byString = new Map<unknown, KeyState>();
  const byArray = new WeakMap<object, KeyState>() as unknown as typeof byString;
  const stateOf = (requested: Scope | readonly Scope[]): KeyState => {
    const memo = typeof requested === "string" ? byString : Object.isFrozen(requested) ? byArray : undefined;
    let state = memo?.get(requested);
    if (!state) {
      const scopes = normalizeScopes(requested);
      const key = keyPrefix + scopes.join(" ");
      state = states.get(key);
      if (!state) states.set(key, (state = { key, scopes, generation: 0, inflight: undefined, nextBackgroundAt: 0 }));
      memo?.set(requested, state);
    }
    return state;
  };

  return {
    baseUrl: settings.site.url,
    tokenRequestsPerMinute: settings.tokenRequestsPerMinute,

    async getToken(requested, callOptions = {}) {
      const state = stateOf(requested);
      const { signal } = callOptions;
      if (signal?.aborted) throw abortError(signal);
      const lookup = callOptions.forceRefresh ? undefined : cache.get(state.key);
      const cached = lookup instanceof Promise ? await lookup : lookup;
      // For a refresh this call starts from here on, synchronously; one in flight keeps its starter's waitUntil.
      state.waitUntil = callOptions.waitUntil;
      if (cached) {
        const { token, diesAt } = mintedOf(cached);
        const standing = policy.standing(cached, diesAt);
        if (standing < 2) {
          counters.cacheHits++;
          if (standing) policy.background(state);
          return token;
        }
      }
      const maxWaitMs = callOptions.maxRateLimitWaitMs ?? settings.maxRateLimitWaitMs;
      return mintedOf(await policy.wait(state, maxWaitMs, signal)).token;
    },

    async invalidate(requested, value) {
      const state = stateOf(requested);
      const { key } = state;
      const cached = await cache.get(key);
      if (value !== undefined && cached?.value !== value) return false;
      state.generation++;
      state.inflight = undefined;
      if (cached) await cache.delete(key);
      return cached !== undefined;
    },

    stats: () => ({ ...counters }),
  };
}
