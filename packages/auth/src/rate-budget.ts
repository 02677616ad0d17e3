/**
 * A sliding-window budget: at most `perMinute` calls in any 60 s window, exactly (a token bucket would allow
 * up to twice that across a window boundary). It remembers the start times of the last `perMinute` calls; they
 * are recorded in order, so the oldest is always the next to leave the window.
 */
export interface RateBudget {
  /** Milliseconds from `now` until one more call fits in the window. */
  delay(now: number): number;
  /** Records a call that will start at `at` (now, or later after waiting `delay`). */
  take(at: number): void;
}

export function createRateBudget(perMinute: number): RateBudget {
  const starts: number[] = [];
  let oldest = 0;
  return {
    delay: (now) => (starts.length < perMinute ? 0 : Math.max(0, (starts[oldest] as number) + 60_000 - now)),
    take(at) {
      if (starts.length < perMinute) starts.push(at);
      else (starts[oldest] = at), (oldest = (oldest + 1) % perMinute);
    },
  };
}
