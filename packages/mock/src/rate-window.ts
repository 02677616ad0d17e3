/**
 * Per-client sliding 60 s windows for the token endpoint's limit (300 calls a minute per user in production,
 * 60 in UAT/sandbox: DealCloud token docs). Only admitted calls are remembered, so a refused call does not
 * push the window further out.
 */
export interface RateWindows {
  /** Admits and remembers a call at `now`, or returns the whole seconds until one more call fits. */
  admit(key: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Forgets every window. */
  reset(): void;
}

const WINDOW_MS = 60_000;

/** Creates empty windows admitting `perMinute` calls per key (Infinity: no limit). */
export function createRateWindows(perMinute: number): RateWindows {
  const windows = new Map<string, number[]>();
  return {
    admit(key, now) {
      const starts = (windows.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
      windows.set(key, starts);
      if (starts.length >= perMinute) {
        // The oldest admitted call leaves the window first; round up so a client that waits is admitted.
        const oldest = starts[starts.length - perMinute]!;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now) / 1000)) };
      }
      starts.push(now);
      return { ok: true };
    },
    reset() {
      windows.clear();
    },
  };
}
