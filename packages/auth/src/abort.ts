import { DealCloudAuthError } from "./errors.js";

/** The caller's abort as our error: `TIMEOUT` for `AbortSignal.timeout()`, `ABORTED` otherwise. */
export function abortError(signal: AbortSignal): DealCloudAuthError {
  const reason: unknown = signal.reason;
  const timedOut = (reason as { name?: unknown } | undefined)?.name === "TimeoutError";
  return new DealCloudAuthError(
    timedOut ? "TIMEOUT" : "ABORTED",
    `The caller's signal ${timedOut ? "timed out" : "aborted"} the token wait.`,
    {
      cause: reason,
    },
  );
}

/**
 * Waits for a shared promise on behalf of one caller: the caller's signal ends only this wait, never the shared
 * work (a refresh other callers are waiting for).
 */
export function waitFor<T>(shared: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    shared.then(
      (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
      (error: unknown) => (signal.removeEventListener("abort", onAbort), reject(error)),
    );
  });
}

/** A pause that keeps nothing alive once it has elapsed. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A pause that ends early, clearing its timer, when `signal` aborts, so it keeps nothing alive. */
export const pauseFor = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const stop = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener("abort", stop), resolve()), ms);
    signal.aborted ? stop() : signal.addEventListener("abort", stop);
  });
