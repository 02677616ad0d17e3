import type { RequestToken } from "./exchange.js";
import { type Flight, startFlight } from "./flight.js";
import type { TokenManagerStats } from "./manager.js";
import type { Settings } from "./options.js";
import type { SafeStore } from "./safe-store.js";
import type { Scope } from "./scopes.js";
import type { StoredToken } from "./store.js";

const BACKGROUND_RETRY_MS = 10_000;
const noop = () => {};

/** What the manager remembers per scope set besides the cached token. */
export interface KeyState {
  /** The store key. */
  readonly key: string;
  /** The scope set, sorted. */
  readonly scopes: readonly Scope[];
  /** Bumped by invalidate(): a refresh started under an older generation is not cached. */
  generation: number;
  inflight: Flight<StoredToken> | undefined;
  /** Monotonic time before which no background refresh starts again, after one failed. */
  nextBackgroundAt: number;
  /** The `waitUntil` of the latest `getToken` call, for a refresh it starts (set just before it may start one). */
  waitUntil?: ((promise: Promise<unknown>) => void) | undefined;
}

/**
 * Where a cached token stands: 0 serve it, 1 serve it and refresh in the background (soft window), 2 expired
 * (hard margin): wait for a new one.
 */
export type Standing = 0 | 1 | 2;

/** When to refresh, and the single-flight refreshes themselves. */
export interface RefreshPolicy {
  /**
   * Judges a cached token by its time left on the wall clock and, when this process obtained it, on the
   * monotonic clock too (`diesAt`), so a clock stepped back cannot keep a dead token alive. Soft window:
   * `refreshBeforeMs`, at most half the lifetime; hard margin: `expiryMarginMs`, at most a quarter.
   */
  standing(cached: StoredToken, diesAt: number): Standing;
  /** Starts one background refresh for the key unless one is in flight or the last one failed under 10 s ago. */
  background(state: KeyState): void;
  /** Waits for the key's refresh in flight, or starts one, within the caller's limit and signal. */
  wait(state: KeyState, maxWaitMs: number, signal: AbortSignal | undefined): Promise<StoredToken>;
}

export function createRefreshPolicy(
  settings: Settings,
  requestToken: RequestToken,
  cache: SafeStore,
  counters: TokenManagerStats,
): RefreshPolicy {
  const { refreshBeforeMs: softMs, expiryMarginMs: hardMs, now, mono, logger } = settings;

  const start = (state: KeyState, background: boolean) => {
    const { generation, key, scopes } = state;
    const flight: Flight<StoredToken> = startFlight(
      async (self) => {
        try {
          const stored = await requestToken(scopes, self);
          if (state.generation === generation) {
            const lifetime = stored.expiresAt - stored.obtainedAt;
            await cache.set(key, stored, stored.expiresAt - Math.min(hardMs, lifetime / 4) - now());
          }
          return stored;
        } catch (error) {
          counters.failures++;
          throw error;
        } finally {
          if (state.inflight === flight) state.inflight = undefined;
        }
      },
      background ? settings.maxRateLimitWaitMs : -1,
      mono,
    );
    state.inflight = flight;
    // Observed here too: callers that left leave nobody to observe a failure.
    (state.waitUntil ?? settings.waitUntil ?? noop)(flight.promise.catch(noop));
    return flight;
  };

  return {
    standing(cached, diesAt) {
      const lifetime = cached.expiresAt - cached.obtainedAt;
      const left = Math.min(cached.expiresAt - now(), diesAt - mono());
      // Written so that a store's garbage (NaN) counts as expired.
      if (!(left > Math.min(hardMs, lifetime / 4))) return 2;
      return left > Math.min(softMs, lifetime / 2) ? 0 : 1;
    },

    background(state) {
      if (state.inflight || mono() < state.nextBackgroundAt) return;
      counters.backgroundRefreshes++;
      // A failure here is only a warning while the cached token lives; at the hard margin the next caller's
      // own refresh surfaces it.
      start(state, true).promise.catch((error: { code?: string; status?: number }) => {
        state.nextBackgroundAt = mono() + BACKGROUND_RETRY_MS;
        logger.warn?.("dealcloud background token refresh failed", {
          scopes: state.scopes,
          code: error.code,
          status: error.status,
        });
      });
    },

    wait(state, maxWaitMs, signal) {
      let flight = state.inflight;
      if (flight && !flight.signal.aborted) counters.coalescedWaiters++;
      else flight = start(state, false);
      return flight.join(maxWaitMs, signal);
    },
  };
}
