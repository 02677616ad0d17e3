/**
 * Per-client sliding windows: 60 s for the token endpoint's limit (300 calls a minute per user in production,
 * 60 in UAT/sandbox: DealCloud token docs), 1 s for the Schema API's 5 calls a second. Only admitted calls are
 * remembered, so a refused call does not push the window further out.
 */
export interface RateWindows {
  /** Admits and remembers a call at `now`, or returns the whole seconds until one more call fits. */
  admit(key: string, now: number): { ok: true } | { ok: false; retryAfterSeconds: number };
  /** Forgets every window. */
  reset(): void;
}

/** Creates empty windows admitting `limit` calls per key in any `windowMs` (Infinity: no limit). */
export function createRateWindows(limit: number, windowMs = 60_000): RateWindows {
  const windows = new Map<string, number[]>();
  return {
    admit(key, now) {
      const starts = (windows.get(key) ?? []).filter((at) => at > now - windowMs);
      windows.set(key, starts);
      if (starts.length >= limit) {
        // The oldest admitted call leaves the window first; round up so a client that waits is admitted.
        const oldest = starts[starts.length - limit]!;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)) };
      }
      starts.push(now);
      return { ok: true };
    },
    reset() {
      windows.clear();
    },
  };
}
