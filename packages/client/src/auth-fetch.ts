import { parseRetryAfter, type Scope, type TokenManager } from "@dealcloud-ts/auth";
import { AbortedError, ConnectionError, TimeoutError } from "./errors.js";
import { createPacer, createSemaphore, sleep } from "./timing.js";

/** A `fetch` that takes a `Request`, as openapi-fetch calls it. */
export type RequestFetch = (request: Request) => Promise<Response>;

/**
 * The fetch beneath `createAuthFetch`: called like the standard `fetch`, with the request openapi-fetch built and
 * an `init` carrying each attempt's `headers` (with `Authorization`), `signal` and replayable `body`. A custom
 * one must apply `init`, e.g. by passing both to `globalThis.fetch`.
 */
export type NetworkFetch = (request: Request, init: RequestInit) => Promise<Response>;

/** When and how often a request is sent again. */
export interface RetryOptions {
  /** Retries after the first attempt, for 408, 429, 500, 502, 503, 504 and network errors. Default 2. */
  maxRetries?: number;
  /**
   * Retry POST and PATCH too. Off by default: DealCloud has no idempotency keys, so a retried write whose first
   * attempt did land creates duplicates. (GET, HEAD, OPTIONS, PUT and DELETE are retried.)
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
  /** Per-attempt time limit in ms, started afresh for each attempt. Default 60000. */
  timeoutMs?: number | undefined;
  /** At most this many requests of this fetch in flight at once; the rest queue. Default: no cap. */
  maxConcurrency?: number | undefined;
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

// Only errors need the operation's name; it is not worth a URL parse on every request.
const operationOf = (request: Request) => `${request.method} ${new URL(request.url).pathname}`;

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"]);

/** How much wider than the documented limit the pacing window is. */
const PACING_MARGIN = 1.1;

/**
 * A `fetch` for openapi-fetch that runs beneath its middleware, once per logical request. Each attempt takes a
 * token for `scopes` and sets `Authorization`. A 401 drops that exact token (so a storm of 401s causes one
 * refresh) and replays once. 408, 429, 5xx and network errors are retried with full-jitter backoff or the
 * server's `Retry-After`, for idempotent methods unless `retry.retryWrites`. Each attempt has its own timeout;
 * the caller's `AbortSignal` ends the request at any point. Failures without an answer throw
 * `ConnectionError`, `TimeoutError` or `AbortedError`.
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
  const { tokens, scopes, timeoutMs = 60_000 } = options;
  const send: NetworkFetch = options.fetch ?? ((request, init) => globalThis.fetch(request, init));
  const retry = options.retry === false ? { maxRetries: 0 } : (options.retry ?? {});
  const {
    maxRetries = 2,
    retryWrites = false,
    baseDelayMs = 500,
    maxDelayMs = 8_000,
    maxRetryAfterMs = 60_000,
  } = retry;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  // The server counts arrivals, and arrivals jitter (a send that waited on a cold token reaches the server later
  // than the one after it), so the window is kept 10% wider than the documented limit.
  const pace = options.rateLimit
    ? createPacer(options.rateLimit.requests, options.rateLimit.perMs * PACING_MARGIN, now)
    : undefined;
  const slots = options.maxConcurrency ? createSemaphore(options.maxConcurrency) : undefined;

  return async (request) => {
    const _signal = request.signal;
    const mayRetry = retryWrites || IDEMPOTENT.has(request.method);
    // Read the body once, so every attempt can send it again.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const release = slots && (await slots.acquire());
    try {
      let replayed401 = false;
      for (let attempt = 0; ; attempt++) {
        const outcome = await attemptOnce(request, body);
        if (outcome instanceof Error) {
          // Token-manager errors were already retried by the manager; only a missing answer is retried here.
          const retryable = outcome instanceof ConnectionError || outcome instanceof TimeoutError;
          if (!(retryable && mayRetry && attempt < maxRetries)) throw outcome;
          await pause(backoff(attempt), request);
          continue;
        }
        const { response, token } = outcome;
        if (response.status === 401 && !replayed401 && !(await refusesCapability(response))) {
          replayed401 = true;
          await response.body?.cancel();
          await tokens.invalidate(scopes, token);
          attempt--;
          continue;
        }
        if (!(mayRetry && attempt < maxRetries && RETRY_STATUSES.has(response.status))) return response;
        const wait = parseRetryAfter(response.headers.get("retry-after"), now());
        if (wait !== undefined && wait > maxRetryAfterMs) return response;
        await response.body?.cancel();
        await pause(wait ?? backoff(attempt), request);
      }
    } finally {
      release?.();
    }
  };

  async function pause(ms: number, request: Request) {
    await sleep(ms, request.signal).catch((reason: unknown) => {
      throw new AbortedError(operationOf(request), reason);
    });
  }

  function backoff(attempt: number) {
    return Math.floor(random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt));
  }

  /** One signed attempt: the answer and the token it judged, or the typed error for no answer. */
  async function attemptOnce(
    request: Request,
    body: ArrayBuffer | undefined,
  ): Promise<{ response: Response; token: string } | Error> {
    const caller = request.signal;
    if (caller.aborted) return new AbortedError(operationOf(request), caller.reason);
    const attemptController = new AbortController();
    let timedOut = false;
    const arm = () =>
      setTimeout(() => {
        timedOut = true;
        attemptController.abort(new TimeoutError(operationOf(request), timeoutMs));
      }, timeoutMs);
    let timer = arm();
    const onAbort = () => attemptController.abort(caller.reason);
    caller.addEventListener("abort", onAbort, { once: true });
    try {
      const token = await tokens.getToken(scopes, { signal: attemptController.signal });
      if (pace) {
        // Paced after the token is in hand, so the spacing is the spacing of the sends the server sees (a cold
        // token fetch would otherwise bunch the first requests up behind it). The wait is not part of the
        // attempt's time limit, which starts again once the turn comes.
        clearTimeout(timer);
        await pace(attemptController.signal);
        timer = arm();
      }
      // The token goes into this attempt's own headers, never onto openapi-fetch's request, which its middleware
      // (a user's logger included) sees. Handing `init` to fetch builds one Request per attempt, inside fetch.
      const headers = new Headers(request.headers);
      headers.set("Authorization", `Bearer ${token.value}`);
      const response = await send(request, { headers, signal: attemptController.signal, ...(body ? { body } : {}) });
      return { response, token: token.value };
    } catch (error) {
      if (timedOut) return new TimeoutError(operationOf(request), timeoutMs);
      if (caller.aborted) return new AbortedError(operationOf(request), caller.reason);
      if (error instanceof Error && error.name === "DealCloudAuthError") return error;
      return new ConnectionError(operationOf(request), error);
    } finally {
      clearTimeout(timer);
      caller.removeEventListener("abort", onAbort);
    }
  }
}

/**
 * Whether a 401 says the user lacks a capability rather than that the token is bad. The RI Import API answers
 * `401 {"message":"Cannot perform the action. User capabilities are required: AccessRiWebService"}` (DealCloud RI
 * docs): a new token cannot fix that, and dropping a token that other clients share would cost them a refresh.
 */
async function refusesCapability(response: Response): Promise<boolean> {
  const text = await response
    .clone()
    .text()
    .catch(() => "");
  return /capabilities are required/i.test(text);
}
