// Waiting that honours an AbortSignal: plain sleeps, pacing to a documented rate, and a concurrency cap.

/**
 * Resolves after `ms`, or rejects with the signal's reason when it aborts first. The wait the client's retries and
 * the API packages' helpers use (the global `setTimeout`, looked up at each call, so fake timers apply).
 */
export const sleep = (ms: number, signal: AbortSignal = new AbortController().signal): Promise<void> =>
  // Written as auth's pauseFor is, which every bundle with a client carries too: the two compress as one.
  new Promise((resolve, reject) => {
    const stop = () => (clearTimeout(timer), reject(signal.reason));
    const timer = setTimeout(() => (signal.removeEventListener("abort", stop), resolve()), ms);
    signal.aborted ? stop() : signal.addEventListener("abort", stop);
  });

/**
 * Spaces calls so that no more than `requests` start in any `perMs` window, e.g. the Schema API's 5 calls per
 * second. Turns are handed out at once, in the order of asking: each starts `perMs` after the one `requests`
 * places before it. A turn whose caller gives up while waiting stays taken, which only ever spaces the rest more.
 */
export function createPacer(requests: number, perMs: number, now: () => number) {
  // The last `requests` start times handed out, in order.
  const starts: number[] = [];
  return (signal?: AbortSignal): Promise<void> => {
    const time = now();
    const start = starts.length < requests ? time : Math.max(time, starts.shift()! + perMs);
    starts.push(start);
    return start > time ? sleep(start - time, signal) : Promise.resolve();
  };
}

/**
 * At most `limit` holders at once; the rest wait in order. A waiter whose signal aborts leaves the queue at once
 * (rejecting with the signal's reason), so an abandoned call never holds a place. Each holder calls the release it
 * was given exactly once (the attempt does, in its `finally`).
 */
export function createSemaphore(limit: number) {
  let active = 0;
  const waiting = new Set<() => void>();
  const release = () => {
    const [next] = waiting;
    if (next) {
      waiting.delete(next);
      next();
    } else active--;
  };
  return (signal: AbortSignal): Promise<() => void> | (() => void) => {
    if (active < limit) {
      active++;
      return release;
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => (waiting.delete(granted), reject(signal.reason));
      const granted = () => (signal.removeEventListener("abort", onAbort), resolve(release));
      waiting.add(granted);
      signal.aborted ? onAbort() : signal.addEventListener("abort", onAbort);
    });
  };
}
