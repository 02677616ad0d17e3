import { abortError, sleep, waitFor } from "./abort.js";
import { normalizeSiteUrl } from "./base-url.js";
import { DealCloudAuthError } from "./errors.js";
import { createRateBudget } from "./rate-budget.js";
import { normalizeScopes, type Scope } from "./scopes.js";
import { createMemoryTokenStore, type StoredToken, type TokenStore } from "./store.js";
import {
  type Answer,
  describeFailure,
  DOCUMENTED_LIFETIME_MS,
  isRetryable,
  readTokenAnswer,
} from "./token-endpoint.js";

/** The path of DealCloud's OAuth token endpoint under the site address. */
export const TOKEN_PATH = "/api/rest/v1/oauth/token";

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
  /** Aborts when the attempt times out (`timeoutMs`). */
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
  /** Clock in milliseconds; default `Date.now`. Expiry is computed from this clock only, never the server's. */
  now?: () => number;
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
   * elsewhere. Set 60 yourself for a sandbox on another host. Several processes share DealCloud's budget, so
   * give each its part.
   */
  tokenRequestsPerMinute?: number;
  /**
   * Longest a caller waits for the per-minute budget (or a 429's `Retry-After`) before failing with
   * `TOKEN_RATE_LIMITED` instead. Default 60 000; 0 never waits. Per call: `getToken`'s option of the same name.
   */
  maxRateLimitWaitMs?: number;
  // No {@link} here: @dealcloud-ts/client's options inherit this comment, and typedoc cannot link across packages.
  /** Where tokens are cached. Default: a `createMemoryTokenStore()` (in memory, 100 entries, LRU). */
  store?: TokenStore;
  /** Per-attempt time limit for one token request, body included. Default 30 000. */
  timeoutMs?: number;
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
  /** Ends this caller's wait (with `ABORTED`, or `TIMEOUT` for `AbortSignal.timeout`); a shared refresh goes on. */
  signal?: AbortSignal | undefined;
  /** Skips the cache and asks DealCloud for a new token (joining one already in flight). */
  forceRefresh?: boolean | undefined;
  /** Overrides the manager's `maxRateLimitWaitMs` for this call. */
  maxRateLimitWaitMs?: number | undefined;
}

/**
 * A bearer token for one scope set. Its `value` is hidden from `JSON.stringify`, `String()` and Node/Deno
 * `inspect`, so logging the object does not leak it; read `value` to build the `Authorization` header.
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
  /** Refreshes that failed (after their last attempt), including budget refusals. */
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

interface KeyState {
  /** Bumped by invalidate(): a refresh started under an older generation is not cached. */
  generation: number;
  inflight: Promise<StoredToken> | undefined;
  /** After a failed background refresh, the next background attempt waits until then. */
  nextBackgroundAt: number;
}

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;
const BACKGROUND_RETRY_MS = 10_000;
const noop = () => {};
const redacted = "[redacted]";

function inspectToken(this: AccessToken) {
  return `AccessToken ${JSON.stringify(this)}`;
}
// Shared by every AccessToken: what JSON, String() and inspect see instead of the value. Built on first use, so
// importing the package runs nothing (`Symbol.for` at module scope would count as a side effect).
let accessTokenProto: object | undefined;
const newAccessToken = ({ value, type, scopes, expiresAt }: StoredToken): AccessToken =>
  Object.assign(
    Object.create(
      (accessTokenProto ??= {
        toJSON(this: AccessToken) {
          return { value: redacted, type: this.type, scopes: this.scopes, expiresAt: this.expiresAt };
        },
        toString: () => `Bearer ${redacted}`,
        [Symbol.for("nodejs.util.inspect.custom")]: inspectToken,
        [Symbol.for("Deno.customInspect")]: inspectToken,
      }),
    ) as object,
    { value, type, scopes, expiresAt },
  );
// One AccessToken per cached token, so a cache hit allocates nothing (a memory store hands back the same object).
// Frozen, because every caller of that scope set shares it.
const accessTokens = new WeakMap<StoredToken, AccessToken>();
const toAccessToken = (stored: StoredToken): AccessToken => {
  let token = accessTokens.get(stored);
  if (!token) accessTokens.set(stored, (token = Object.freeze(newAccessToken(stored))));
  return token;
};

function option(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `${name} must be a number from ${min} to ${max} (got ${typeof value === "number" ? value : typeof value}).`,
    );
  }
  return value;
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
  if (options === null || typeof options !== "object") {
    throw new DealCloudAuthError("INVALID_OPTION", "Pass an options object with baseUrl and credentials.");
  }
  const site = normalizeSiteUrl(options.baseUrl);
  const { tokenProvider, clientSecret, logger = {} } = options;
  const clientId = typeof options.clientId === "number" ? String(options.clientId) : options.clientId;

  for (const name of ["tokenProvider", "fetch", "now", "random", "waitUntil"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") {
      throw new DealCloudAuthError("INVALID_OPTION", `${name} must be a function.`);
    }
  }
  if (tokenProvider !== undefined) {
    if (clientSecret !== undefined) {
      throw new DealCloudAuthError("INVALID_OPTION", "Pass either clientSecret or tokenProvider, not both.");
    }
  } else {
    for (const [name, value] of [
      ["clientId", clientId],
      ["clientSecret", clientSecret],
    ] as const) {
      if (typeof value !== "string" || value.trim() === "") {
        throw new DealCloudAuthError(
          "MISSING_CREDENTIALS",
          `${name} is missing: pass a DealCloud user's Client ID and secret (Profile > API key), or a tokenProvider.`,
        );
      }
    }
    const inBrowser =
      typeof (globalThis as { document?: unknown }).document === "object" &&
      typeof (globalThis as { window?: unknown }).window === "object";
    if (inBrowser && options.dangerouslyAllowBrowser !== true) {
      throw new DealCloudAuthError(
        "SECRET_IN_BROWSER",
        "A clientSecret in a browser is readable by its users: use a tokenProvider, or set dangerouslyAllowBrowser.",
      );
    }
  }
  // Called unbound: as a method of `options` it would see the secret as `this`.
  const { store = createMemoryTokenStore(), waitUntil, fetch: userFetch } = options;
  if ((["get", "set", "delete"] as const).some((method) => typeof store?.[method] !== "function")) {
    throw new DealCloudAuthError("INVALID_OPTION", "store must have get, set and delete methods (see TokenStore).");
  }
  const maxLifetimeMs = option(
    "maxTokenLifetimeMs",
    options.maxTokenLifetimeMs,
    DOCUMENTED_LIFETIME_MS,
    1_000,
    86_400_000,
  );
  const softMs = option("refreshBeforeMs", options.refreshBeforeMs, 120_000, 0, maxLifetimeMs);
  const hardMs = option("expiryMarginMs", options.expiryMarginMs, 30_000, 0, maxLifetimeMs);
  if (hardMs >= softMs && softMs > 0) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `expiryMarginMs (${hardMs}) must be smaller than refreshBeforeMs (${softMs}).`,
    );
  }
  const perMinute = Math.floor(
    option("tokenRequestsPerMinute", options.tokenRequestsPerMinute, site.sandbox ? 60 : 300, 1, 100_000),
  );
  const defaultMaxWaitMs = option("maxRateLimitWaitMs", options.maxRateLimitWaitMs, 60_000, 0, 3_600_000);
  const timeoutMs = option("timeoutMs", options.timeoutMs, 30_000, 1, 600_000);
  const maxAttempts = Math.floor(option("maxAttempts", options.maxAttempts, 3, 1, 10));
  const now = () => (options.now ?? Date.now)();
  const random = () => (options.random ?? Math.random)();

  const tokenUrl = site.url + TOKEN_PATH;
  const keyPrefix = `dealcloud-token ${tokenProvider ? `${site.url} provider` : `${tokenUrl} ${clientId}`} `;
  const budget = createRateBudget(perMinute);
  const states = new Map<string, KeyState>();
  // DealCloud limits token requests per user, and a manager is one user: a 429 pauses every scope set.
  let pausedUntil = 0;
  const budgetWaitMs = () => Math.max(budget.delay(now()), pausedUntil - now(), 0);
  // Callers ask with the same scope (a string) or the same frozen array (normalizeScopes' answer, which clients
  // hold) on every request, so its key is worked out once. Only frozen arrays are remembered: an array changed
  // after a call is never matched to its old key. Only valid scopes are remembered (normalizeScopes throws first,
  // for a non-array too, which counts as frozen), so the string map stays small.
  type Known = { scopes: readonly Scope[]; key: string };
  const byString = new Map<unknown, Known>();
  const byArray = new WeakMap<object, Known>() as unknown as typeof byString;
  const keyOf = (requested: Scope | readonly Scope[]): Known => {
    const memo = typeof requested === "string" ? byString : Object.isFrozen(requested) ? byArray : undefined;
    let known = memo?.get(requested);
    if (!known) {
      const scopes = normalizeScopes(requested);
      known = { scopes, key: keyPrefix + scopes.join(" ") };
      memo?.set(requested, known);
    }
    return known;
  };
  const counters: TokenManagerStats = {
    tokenRequests: 0,
    cacheHits: 0,
    coalescedWaiters: 0,
    failures: 0,
    backgroundRefreshes: 0,
  };

  // The secret stays in this closure; nothing that can be logged or stored holds it.
  const exchange = async (scopes: readonly Scope[], signal: AbortSignal): Promise<Response> => {
    if (tokenProvider) {
      const answer = await tokenProvider({ scopes, signal });
      return typeof (answer as Response).text === "function"
        ? (answer as Response)
        : new Response(JSON.stringify(answer));
    }
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: clientId as string,
      client_secret: clientSecret as string,
      scope: scopes.join(" "),
    });
    const init: RequestInit = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
      redirect: "manual",
      signal,
    };
    return userFetch ? userFetch(tokenUrl, init) : fetch(tokenUrl, init);
  };

  /** One attempt, body included, within `timeoutMs`. Throws NETWORK_ERROR or TIMEOUT. */
  const attempt = async (scopes: readonly Scope[]): Promise<Answer> => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await exchange(scopes, controller.signal);
      return { status: response.status, headers: response.headers, body: await response.text() };
    } catch (error) {
      throw controller.signal.aborted
        ? new DealCloudAuthError("TIMEOUT", `The token request took longer than timeoutMs (${timeoutMs} ms).`)
        : new DealCloudAuthError("NETWORK_ERROR", `Could not reach DealCloud's token endpoint at ${tokenUrl}.`, {
            cause: error,
          });
    } finally {
      clearTimeout(timer);
    }
  };

  /** Asks for a token, retrying what may succeed on another attempt, within the per-minute budget. */
  const requestToken = async (scopes: readonly Scope[]): Promise<StoredToken> => {
    for (let attemptNo = 1; ; attemptNo++) {
      const waitMs = budgetWaitMs();
      budget.take(now() + waitMs);
      if (waitMs > 0) await sleep(waitMs);
      const sentAt = now();
      counters.tokenRequests++;
      let failure: DealCloudAuthError;
      try {
        const answer = await attempt(scopes);
        logger.debug?.("dealcloud token request", { scopes, status: answer.status, attempt: attemptNo });
        if (answer.status >= 200 && answer.status < 300) {
          const issued = readTokenAnswer(answer, maxLifetimeMs);
          return {
            value: issued.value,
            type: issued.type,
            scopes,
            obtainedAt: sentAt,
            expiresAt: sentAt + issued.lifetimeMs,
          };
        }
        failure = describeFailure(answer, scopes, now());
      } catch (error) {
        failure = error as DealCloudAuthError;
      }
      const pauseMs = failure.status === 429 ? failure.retryAfterMs : undefined;
      if (pauseMs !== undefined) pausedUntil = now() + pauseMs;
      if (!isRetryable(failure) || attemptNo >= maxAttempts || (pauseMs ?? 0) > defaultMaxWaitMs) throw failure;
      // A 429 pause is waited out at the top of the loop; everything else backs off with full jitter.
      const backoffMs =
        pauseMs === undefined ? random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attemptNo) : 0;
      logger.warn?.("dealcloud token request failed, retrying", {
        scopes,
        code: failure.code,
        status: failure.status,
        attempt: attemptNo,
        backoffMs,
      });
      await sleep(backoffMs);
    }
  };

  /** Starts the one refresh for a key, or refuses at once if the budget would make the caller wait too long. */
  const refresh = (key: string, state: KeyState, scopes: readonly Scope[], maxWaitMs: number): Promise<StoredToken> => {
    const waitMs = budgetWaitMs();
    if (waitMs > maxWaitMs) {
      counters.failures++;
      return Promise.reject(
        new DealCloudAuthError(
          "TOKEN_RATE_LIMITED",
          `The token budget (${perMinute} requests a minute) is spent: a new token can be requested in ${Math.ceil(waitMs)} ms.`,
          { retryAfterMs: waitMs },
        ),
      );
    }
    const generation = state.generation;
    const shared: Promise<StoredToken> = requestToken(scopes)
      .then(async (token) => {
        if (state.generation === generation) {
          await cache("set", () =>
            store.set(key, token, token.expiresAt - Math.min(hardMs, (token.expiresAt - token.obtainedAt) / 4) - now()),
          );
        }
        return token;
      })
      .catch((error: unknown) => {
        counters.failures++;
        throw error;
      })
      .finally(() => {
        if (state.inflight === shared) state.inflight = undefined;
      });
    shared.catch(noop); // Callers that aborted leave nobody to observe a failure.
    state.inflight = shared;
    waitUntil?.(shared.catch(noop));
    return shared;
  };

  // A store outage (Redis down, say) must not stop authentication: it is a cache miss and a warning. A store that
  // answers synchronously (the memory store) is answered synchronously, so a cache hit costs no extra turn.
  const cache = <T>(
    operation: "get" | "set" | "delete",
    run: () => T | PromiseLike<T>,
  ): T | undefined | Promise<T | undefined> => {
    const failed = () => {
      logger.warn?.(`dealcloud token store ${operation} failed; carrying on without the cache`, { operation });
      return undefined;
    };
    try {
      const result = run();
      return typeof (result as PromiseLike<T> | undefined)?.then === "function"
        ? Promise.resolve(result).catch(failed)
        : (result as T);
    } catch {
      return failed();
    }
  };

  const stateOf = (key: string): KeyState => {
    let state = states.get(key);
    if (!state) states.set(key, (state = { generation: 0, inflight: undefined, nextBackgroundAt: 0 }));
    return state;
  };

  return {
    baseUrl: site.url,
    tokenRequestsPerMinute: perMinute,

    async getToken(requested, callOptions = {}) {
      const { scopes, key } = keyOf(requested);
      if (callOptions.signal?.aborted) throw abortError(callOptions.signal);
      const state = stateOf(key);
      const maxWaitMs = callOptions.maxRateLimitWaitMs ?? defaultMaxWaitMs;
      if (!callOptions.forceRefresh) {
        const lookup = cache("get", () => store.get(key));
        const cached = lookup instanceof Promise ? await lookup : lookup;
        const t = now();
        const lifetime = cached ? cached.expiresAt - cached.obtainedAt : 0;
        if (cached && t < cached.expiresAt - Math.min(hardMs, lifetime / 4)) {
          counters.cacheHits++;
          if (
            t >= cached.expiresAt - Math.min(softMs, lifetime / 2) &&
            !state.inflight &&
            t >= state.nextBackgroundAt
          ) {
            counters.backgroundRefreshes++;
            // A failure here is only a warning while the cached token lives; at the hard margin the next
            // caller's own refresh surfaces it.
            refresh(key, state, scopes, maxWaitMs).catch((error: DealCloudAuthError) => {
              state.nextBackgroundAt = now() + BACKGROUND_RETRY_MS;
              logger.warn?.("dealcloud background token refresh failed; serving the live token", {
                scopes,
                code: error.code,
                status: error.status,
              });
            });
          }
          return toAccessToken(cached);
        }
      }
      let shared = state.inflight;
      if (shared) counters.coalescedWaiters++;
      else shared = refresh(key, state, scopes, maxWaitMs);
      return toAccessToken(await waitFor(shared, callOptions.signal));
    },

    async invalidate(requested, value) {
      const { key } = keyOf(requested);
      const state = stateOf(key);
      const cached = await cache("get", () => store.get(key));
      if (value !== undefined && cached?.value !== value) return false;
      state.generation++;
      state.inflight = undefined;
      if (cached) await cache("delete", () => store.delete(key));
      return cached !== undefined;
    },

    stats: () => ({ ...counters }),
  };
}
