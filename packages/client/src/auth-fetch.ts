import { type AccessToken, normalizeScopes, parseRetryAfter, type Scope, type TokenManager } from "@dealcloud-ts/auth";
import { operationOf } from "./answer.js";
import { type AttemptContext, attemptOnce, type NetworkFetch } from "./attempt.js";
import { AbortedError, ConnectionError, type InvalidResponseError, TimeoutError } from "./errors.js";
import { numberOption } from "./options.js";
import { createPacer, createSemaphore, sleep } from "./timing.js";

export type { NetworkFetch };

/**
 * What one call tells the transport about itself; `createApiClient` fills it in from the API descriptor (whether
 * the operation is idempotent, a long poll's wait) and the call's own `timeoutMs`.
 */
export interface TransportCallOptions {
  /** The operation can be sent again without a second effect, so failures without an answer are retried. */
  idempotent?: boolean | undefined;
  /** This call's per-attempt time limit in ms, instead of the transport's `timeoutMs`. */
  timeoutMs?: number | undefined;
}

/** A `fetch` that takes a `Request`, as openapi-fetch calls it, plus what the caller knows of the operation. */
export type RequestFetch = (request: Request, call?: TransportCallOptions) => Promise<Response>;

/** When and how often a request is sent again. */
export interface RetryOptions {
  /** Retries after the first attempt, for 408, 429, 500, 502, 503, 504 and answers that never came. Default 2. */
  maxRetries?: number;
  /**
   * Retry every operation, idempotent or not. Off by default: DealCloud has no idempotency keys, so a retried
   * write whose first attempt did land writes twice (a PUT with negative ids creates new entries each time).
   * Which operations are idempotent is declared per operation in each API's OpenAPI document.
   */
  retryWrites?: boolean;
  /** First backoff cap in ms; each retry waits a random time up to `min(maxDelayMs, baseDelayMs × 2^n)`. Default 500. */
  baseDelayMs?: number;
  /** Largest backoff in ms without a `Retry-After`. Default 8000. */
  maxDelayMs?: number;
  /** A `Retry-After` longer than this (ms) is not waited for: the 429 is returned. Default 60000. */
  maxRetryAfterMs?: number;
}

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions {
  /** Where tokens come from; share one manager between clients so they share tokens. */
  tokens: TokenManager;
  /** The scopes every request's token carries. */
  scopes: Scope | readonly Scope[];
  /** The fetch that reaches the network, called as `fetch(request, init)`. Default: `globalThis.fetch`, looked up on each call. */
  fetch?: NetworkFetch | undefined;
  /** Retries of failed attempts; `false` sends each request once (a 401 is still replayed once). */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt time limit in ms, body included, started afresh for each attempt. Default 60000. */
  timeoutMs?: number | undefined;
  /** At most this many requests of this fetch in flight at once; the rest queue. Default: no cap. */
  maxConcurrency?: number | undefined;
  /** Largest answer body read, in bytes; more fails with `InvalidResponseError` (`RESPONSE_TOO_LARGE`). Default 64 MiB. */
  maxResponseBytes?: number | undefined;
  /** Space sends to at most `requests` per `perMs` (e.g. Schema's 5 per second, from the API descriptor), with a 10% margin. */
  rateLimit?:
    | {
        /** How many requests the window allows. */
        readonly requests: number;
        /** The window's length in ms. */
        readonly perMs: number;
      }
    | undefined;
  /** The clock, for tests. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Random numbers in [0, 1) for backoff jitter, for tests. Default `Math.random`. */
  random?: (() => number) | undefined;
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Without word from the API descriptor, only the methods HTTP defines as safe are taken as idempotent. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A 401 that says the user lacks a capability rather than that the token is bad. The RI Import API answers
 * `401 {"message":"Cannot perform the action. User capabilities are required: AccessRiWebService"}` (DealCloud RI
 * docs): a new token cannot fix that, and dropping a token that other clients share would cost them a refresh.
 * The answer's body was read in the attempt: `text()` serves it again, and the caller can still read it.
 */
const REFUSES_CAPABILITY = /capabilities are required/i;

/** How much wider than the documented limit the pacing window is. */
const PACING_MARGIN = 1.1;

// Tokens that some request carried to a non-401 answer, or that were refused right after being issued: a 401 for
// a request with its own `As-User` is then that user's problem, and dropping the token would cost every other
// caller a refresh. Shared by every transport, since clients share tokens; weak, so it keeps no token alive.
const provenTokens = new WeakSet<AccessToken>();

/**
 * A `fetch` for openapi-fetch that runs beneath its middleware, once per logical request. Each attempt takes a
 * token for `scopes` and sets `Authorization`. A 401 drops that exact token (so a storm of 401s causes one
 * refresh) and replays once. 408, 429, 5xx and answers that never came are retried for idempotent operations,
 * with full-jitter backoff or the server's `Retry-After` plus jitter. Each attempt has its own time limit, body
 * included; the caller's `AbortSignal` ends the request at any point. Failures without a usable answer throw
 * `ConnectionError`, `TimeoutError`, `AbortedError` or `InvalidResponseError` (a body that is not JSON, one over
 * `maxResponseBytes`, or a redirect, which is never followed).
 *
 * @example
 * ```ts
 * import createClient from "openapi-fetch";
 * import { createTokenManager } from "@dealcloud-ts/auth";
 * import { createAuthFetch } from "@dealcloud-ts/client";
 *
 * const tokens = createTokenManager({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const client = createClient({
 *   baseUrl: "https://yourfirm.dealcloud.com/api/rest/v4/data",
 *   fetch: createAuthFetch({ tokens, scopes: ["data"], retry: { maxRetries: 3 } }),
 * });
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): RequestFetch {
  const { tokens } = options;
  const scopes = normalizeScopes(options.scopes);
  const timeoutMs = numberOption("timeoutMs", options.timeoutMs, 60_000, 1, 3_600_000);
  const retry = options.retry === false ? { maxRetries: 0 } : (options.retry ?? {});
  const maxRetries = numberOption("retry.maxRetries", retry.maxRetries, 2, 0, 10, true);
  const baseDelayMs = numberOption("retry.baseDelayMs", retry.baseDelayMs, 500, 0, 60_000);
  const maxDelayMs = numberOption("retry.maxDelayMs", retry.maxDelayMs, 8_000, 0, 600_000);
  const maxRetryAfterMs = numberOption("retry.maxRetryAfterMs", retry.maxRetryAfterMs, 60_000, 0, 3_600_000);
  const maxConcurrency = numberOption("maxConcurrency", options.maxConcurrency, 0, 1, 100_000, true);
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const context: AttemptContext = {
    tokens,
    scopes,
    send: options.fetch ?? ((request, init) => fetch(request, init)),
    // The server counts arrivals, and arrivals jitter (a send that waited on a cold token reaches the server
    // later than the one after it), so the window is kept 10% wider than the documented limit.
    pace: options.rateLimit && createPacer(options.rateLimit.requests, options.rateLimit.perMs * PACING_MARGIN, now),
    slots: maxConcurrency ? createSemaphore(maxConcurrency) : undefined,
    maxResponseBytes: numberOption("maxResponseBytes", options.maxResponseBytes, 2 ** 26, 1, 2 ** 30, true),
  };

  /** Waits before the next attempt, unless the caller gives up first. */
  const pause = (ms: number, request: Request) =>
    sleep(ms, request.signal).catch((reason: unknown) => {
      throw new AbortedError(operationOf(request), reason);
    });
  const backoff = (attempt: number) => Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
  // 300 callers told `Retry-After: 1` must not come back as one herd a second later.
  const afterRetryAfter = (ms: number) => ms + Math.floor(random() * Math.max(baseDelayMs, ms / 2));

  return async (request, call = {}) => {
    const mayRetry = retry.retryWrites || (call.idempotent ?? SAFE_METHODS.has(request.method));
    const attemptMs = numberOption("timeoutMs", call.timeoutMs, timeoutMs, 1, 3_600_000);
    // Read the body once, so every attempt can send it again.
    const body = request.body && (await request.arrayBuffer());
    const ownUser = request.headers.has("as-user");
    let replayed401 = false;
    for (let attempt = 0; ; attempt++) {
      const outcome = await attemptOnce(context, request, body, attemptMs);
      if (outcome instanceof Error) {
        // Token-manager errors were already retried by the manager; only a missing or unreadable answer is here.
        const retryable =
          outcome instanceof ConnectionError ||
          outcome instanceof TimeoutError ||
          (outcome as InvalidResponseError).code === "INVALID_RESPONSE";
        if (!(retryable && mayRetry && attempt < maxRetries)) throw outcome;
        await pause(backoff(attempt), request);
        continue;
      }
      const { response, token } = outcome;
      if (response.status === 401) {
        if (replayed401) {
          // A token issued a moment ago was refused too: with As-User, the user's proxy access is the cause.
          if (ownUser) provenTokens.add(token);
        } else if (!(ownUser && provenTokens.has(token)) && !REFUSES_CAPABILITY.test(await response.text())) {
          replayed401 = true;
          await tokens.invalidate(scopes, token.value);
          attempt--;
          continue;
        }
      } else provenTokens.add(token);
      if (!(mayRetry && attempt < maxRetries && RETRY_STATUSES.has(response.status))) return response;
      const wait = parseRetryAfter(response.headers.get("retry-after"), now());
      if (wait !== undefined && wait > maxRetryAfterMs) return response;
      await pause(wait === undefined ? backoff(attempt) : afterRetryAfter(wait), request);
    }
  };
}
