import { abortError } from "./abort.js";
import type { DealCloudAuthError } from "./errors.js";

/** The error for a caller that will not wait `ms` for a rate limit. */
export type RateLimited = (ms: number) => DealCloudAuthError;

/**
 * One refresh, shared by every caller of a scope set (single flight). It goes on while someone waits for it; when
 * the last caller leaves, `signal` aborts, which ends its attempt and its waits, so nothing keeps the process
 * alive. A background refresh has no callers and goes on with the manager's own patience.
 */
export interface Flight<T> {
  /** Settles with the refresh. */
  promise: Promise<T>;
  /** Aborts when nobody waits for the refresh any more. */
  readonly signal: AbortSignal;
  /**
   * Called before a rate-limit wait of `ms`: callers whose `maxRateLimitWaitMs` is shorter fail with
   * `limited(ms)`; throws it when nobody is left to wait that long.
   */
  beforeWait(ms: number, limited: RateLimited): void;
  /** One caller's wait for the refresh, within its own limit and signal. */
  join(maxWaitMs: number, signal: AbortSignal | undefined): Promise<T>;
}

/**
 * Starts `run` as a flight. `patience` is how long a background refresh may wait for a rate limit with nobody
 * waiting; -1 for a refresh that exists only for its callers.
 */
export function startFlight<T>(run: (flight: Flight<T>) => Promise<T>, patience: number, mono: () => number) {
  const controller = new AbortController();
  /** Each waiting caller's way to fail, and how long it allows a rate limit to make it wait. */
  const waiters = new Map<(error: unknown) => void, number>();
  let waitEnds = -Infinity;
  let limitedNow: RateLimited;
  const flight: Flight<T> = {
    promise: undefined as unknown as Promise<T>,
    signal: controller.signal,
    beforeWait(ms, limited) {
      for (const [fail, maxWaitMs] of waiters) if (maxWaitMs < ms) fail(limited(ms));
      if (!waiters.size && !(patience >= ms)) throw limited(ms);
      waitEnds = mono() + ms;
      limitedNow = limited;
    },
    join(maxWaitMs, signal) {
      const left = waitEnds - mono();
      if (left > maxWaitMs) return Promise.reject(limitedNow(left));
      return new Promise<T>((resolve, reject) => {
        const leave = () => {
          waiters.delete(fail);
          signal?.removeEventListener("abort", onAbort);
          if (!waiters.size && patience < 0) controller.abort();
        };
        const fail = (error: unknown) => (leave(), reject(error));
        const onAbort = () => fail(abortError(signal as AbortSignal));
        signal?.addEventListener("abort", onAbort);
        waiters.set(fail, maxWaitMs);
        flight.promise.then((value) => (leave(), resolve(value)), fail);
      });
    },
  };
  // Run from the next turn, once the caller that starts it has joined.
  flight.promise = Promise.resolve(flight).then(run);
  return flight;
}
