import { pauseFor } from "./abort.js";
import { mintedOf } from "./access-token.js";
import type { Coordinator } from "./coordination.js";
import { DealCloudAuthError } from "./errors.js";
import type { Flight, RateLimited } from "./flight.js";
import type { TokenManagerStats } from "./manager.js";
import type { Settings } from "./options.js";
import { createRateBudget } from "./rate-budget.js";
import type { Scope } from "./scopes.js";
import type { StoredToken } from "./store.js";
import { type Answer, describeFailure, isRetryable, parseJson, readTokenAnswer } from "./token-endpoint.js";

const BACKOFF_BASE_MS = 250;
const BACKOFF_CAP_MS = 8_000;

/**
 * The exchange with the token endpoint: attempts, timeouts, retries, and the budget and 429 pauses between them.
 * Gets a token for `scopes`, waiting only as long as the flight's callers allow.
 */
export type RequestToken = (scopes: readonly Scope[], flight: Flight<unknown>) => Promise<StoredToken>;

/** RFC 6749 2.3.1: Basic credentials are form-urlencoded before base64, which leaves btoa only ASCII. */
const formEncoded = (text: string) => new URLSearchParams({ "": text }).toString().slice(1);

export function createExchange(
  settings: Settings,
  counters: TokenManagerStats,
  coordinator: Coordinator | undefined,
): RequestToken {
  const { tokenUrl, tokenProvider, clientId, clientSecret, logger, mono, now, tokenRequestsPerMinute, tokenTimeoutMs } =
    settings;
  // Called unbound: as a method of `settings` it would see the secret as `this`.
  const userFetch = settings.fetch;
  const budget = createRateBudget(tokenRequestsPerMinute);
  // DealCloud limits token requests per user, and a manager is one user: a 429 pauses every scope set.
  let pausedUntil = 0;
  const limited = (by429: boolean, ms: number) =>
    new DealCloudAuthError(
      "TOKEN_RATE_LIMITED",
      `${by429 ? "DealCloud paused token requests (HTTP 429)" : `The token budget (${tokenRequestsPerMinute} requests a minute) is spent`}: retry in ${Math.ceil(ms)} ms.`,
      { retryAfterMs: ms, status: by429 ? 429 : undefined },
    );
  const byBudget: RateLimited = (ms) => limited(false, ms);
  const by429: RateLimited = (ms) => limited(true, ms);

  /** Waits for a place in the budget (reserved before waiting) and for any 429 pause, as long as allowed. */
  const waitTurn = async (flight: Flight<unknown>) => {
    const pauseMs = pausedUntil - mono();
    const budgetMs = budget.delay(mono());
    let ms = Math.max(pauseMs, budgetMs, 0);
    if (ms > 0) flight.beforeWait(ms, pauseMs >= budgetMs ? by429 : byBudget);
    budget.take(mono() + ms);
    // A 429 from another scope set's refresh may extend the pause while this one waits.
    for (; ms > 0; ms = pausedUntil - mono()) {
      await pauseFor(ms, flight.signal);
      if (pausedUntil > mono()) flight.beforeWait(pausedUntil - mono(), by429);
    }
    // With a shared store, the budget of every process using it (a 429 anywhere pauses it too).
    await coordinator?.turn(flight, byBudget);
  };

  // The secret stays in this closure; nothing that can be logged or stored holds it.
  const send = async (scopes: readonly Scope[], signal: AbortSignal): Promise<Response> => {
    if (tokenProvider) {
      const answer = await tokenProvider({ scopes, signal });
      return typeof (answer as Response).text === "function"
        ? (answer as Response)
        : new Response(JSON.stringify(answer));
    }
    const headers: Record<string, string> = {
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    };
    if (settings.basic) {
      headers["authorization"] =
        `Basic ${btoa(`${formEncoded(clientId as string)}:${formEncoded(clientSecret as string)}`)}`;
    }
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      ...(settings.basic ? {} : { client_id: clientId as string, client_secret: clientSecret as string }),
      scope: scopes.join(" "),
    });
    const init: RequestInit = { method: "POST", headers, body, redirect: "manual", signal };
    return (userFetch ?? fetch)(tokenUrl, init);
  };

  /** One attempt, body included, within `tokenTimeoutMs`; ends early when the flight is abandoned. */
  const attempt = async (scopes: readonly Scope[], abandoned: AbortSignal): Promise<Answer> => {
    const controller = new AbortController();
    const abort = () => controller.abort();
    const timer = setTimeout(abort, tokenTimeoutMs);
    abandoned.addEventListener("abort", abort);
    try {
      const response = await send(scopes, controller.signal);
      return { status: response.status, headers: response.headers, json: parseJson(await response.text()) };
    } catch (error) {
      abandoned.throwIfAborted();
      throw controller.signal.aborted
        ? new DealCloudAuthError("TIMEOUT", `Token request over tokenTimeoutMs (${tokenTimeoutMs} ms).`)
        : new DealCloudAuthError("NETWORK_ERROR", `Could not reach ${tokenUrl}.`, {
            cause: error,
          });
    } finally {
      clearTimeout(timer);
      abandoned.removeEventListener("abort", abort);
    }
  };

  return async (scopes, flight) => {
    for (let attemptNo = 1; ; attemptNo++) {
      flight.signal.throwIfAborted();
      await waitTurn(flight);
      const sentAt = now();
      const sentAtMono = mono();
      counters.tokenRequests++;
      let failure: DealCloudAuthError;
      try {
        const answer = await attempt(scopes, flight.signal);
        logger.debug?.("dealcloud token request", { scopes, status: answer.status, attempt: attemptNo });
        if (answer.status >= 200 && answer.status < 300) {
          const { value, type, lifetimeMs } = readTokenAnswer(answer, settings.maxTokenLifetimeMs);
          const stored = { value, type, scopes, obtainedAt: sentAt, expiresAt: sentAt + lifetimeMs };
          // Its monotonic death, so that a wall clock stepped back cannot keep it alive in this process.
          mintedOf(stored, sentAtMono + lifetimeMs);
          return stored;
        }
        failure = describeFailure(answer, scopes, now());
      } catch (error) {
        flight.signal.throwIfAborted();
        failure = error as DealCloudAuthError;
      }
      const pauseMs = failure.status === 429 ? failure.retryAfterMs : undefined;
      if (pauseMs !== undefined) (pausedUntil = mono() + pauseMs), coordinator?.pause(pauseMs);
      if (!isRetryable(failure) || attemptNo >= settings.maxAttempts) throw failure;
      // A 429 pause is waited out in waitTurn; everything else backs off with full jitter.
      const backoffMs =
        pauseMs === undefined ? settings.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attemptNo) : 0;
      logger.warn?.("dealcloud token request failed, retrying", {
        scopes,
        code: failure.code,
        status: failure.status,
        attempt: attemptNo,
        backoffMs,
      });
      await pauseFor(backoffMs, flight.signal);
    }
  };
}
