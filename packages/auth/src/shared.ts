/**
 * The coordination logic behind {@link SharedTokenStore}: imported only by store adapters (Redis, Deno KV), so
 * users of the memory store never bundle it.
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/auth/shared
 */
import type { SharedTokenStore, TokenCoordination } from "./coordination.js";
import { createCoordinator } from "./coordinator.js";
import { DealCloudAuthError } from "./errors.js";
import type { TokenStore } from "./store.js";

export type { SharedTokenStore, TokenCoordination } from "./coordination.js";

/** Options of {@link createSharedTokenStore}; adapters pass them on from their own options. */
export interface SharedTokenStoreOptions {
  /**
   * How long the lock of one scope set's refresh lives, ms: a holder that dies is replaced after this. Default
   * 20 000. With a `coordination` that has `extend` (every adapter of this SDK), the holder renews its lock every
   * `lockTtlMs / 3` while its refresh runs, so a refresh may take longer; without `extend`, keep it longer than a
   * refresh usually takes.
   */
  lockTtlMs?: number | undefined;
  /** How often a process that lost the lock reads the store for the winner's token, ms. Default 50. */
  pollIntervalMs?: number | undefined;
  /**
   * Time limit for each call to the store, ms; a call that takes longer counts as a failure (a disconnected client
   * that queues commands would otherwise hold every caller). Default 1 000.
   */
  operationTimeoutMs?: number | undefined;
  /** Also receives the once-per-failure-period warnings (the managers' `logger.warn` receives them anyway). */
  onWarning?: ((message: string, meta: Record<string, unknown>) => void) | undefined;
}

export { budgetKeyOf, lockKeyOf } from "./coordinator.js";

const checkMs = (name: string, value: number | undefined, fallback: number, min: number, max: number) => {
  const ms = value ?? fallback;
  if (typeof ms !== "number" || !(ms >= min && ms <= max)) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `${name} must be a number from ${min} to ${max} (got ${String(ms)}).`,
    );
  }
  return ms;
};

/**
 * Makes `store` a {@link SharedTokenStore}. With `coordination`, token managers using it, in any number of
 * processes, act as one: one token request per scope set per token lifetime (the process holding the scope set's
 * lock asks, the others read its token from the store, and the holder renews the lock while it asks), one
 * per-minute budget and one 429 pause per DealCloud user and site. Without, they only share tokens. Either way, a store that fails or takes longer than
 * `operationTimeoutMs` is skipped: each process carries on alone, with one warning per failure period, until a
 * call succeeds again.
 *
 * @example An adapter
 * ```ts
 * import type { StoredToken, TokenCoordination } from "@dealcloud-ts/auth";
 * import { createSharedTokenStore } from "@dealcloud-ts/auth/shared";
 *
 * declare const kv: { get(key: string): Promise<StoredToken | undefined>; put(key: string, token: StoredToken, ttlMs: number): Promise<void>; remove(key: string): Promise<void> };
 * declare const coordination: TokenCoordination;
 * const store = createSharedTokenStore(
 *   { get: (key) => kv.get(key), set: (key, token, ttlMs) => kv.put(key, token, ttlMs), delete: (key) => kv.remove(key) },
 *   coordination,
 *   { lockTtlMs: 10_000 },
 * );
 * ```
 */
export function createSharedTokenStore(
  store: TokenStore,
  coordination?: TokenCoordination,
  options: SharedTokenStoreOptions = {},
): SharedTokenStore {
  if ((["get", "set", "delete"] as const).some((method) => typeof store?.[method] !== "function")) {
    throw new DealCloudAuthError("INVALID_OPTION", "store must have get, set and delete methods (see TokenStore).");
  }
  if (
    coordination !== undefined &&
    (["acquire", "release", "take", "pause"] as const).some((method) => typeof coordination?.[method] !== "function")
  ) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "coordination must have acquire, release, take and pause methods (see TokenCoordination).",
    );
  }
  if (coordination?.extend !== undefined && typeof coordination.extend !== "function") {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "coordination.extend must be a method when given (see TokenCoordination).",
    );
  }
  const lockTtlMs = checkMs("lockTtlMs", options.lockTtlMs, 20_000, 100, 600_000);
  const pollIntervalMs = checkMs("pollIntervalMs", options.pollIntervalMs, 50, 1, 10_000);
  const operationTimeoutMs = checkMs("operationTimeoutMs", options.operationTimeoutMs, 1_000, 1, 60_000);
  const { onWarning } = options;
  if (onWarning !== undefined && typeof onWarning !== "function") {
    throw new DealCloudAuthError("INVALID_OPTION", "onWarning must be a function.");
  }
  const shared: SharedTokenStore = {
    get: (key) => store.get(key),
    set: (key, token, ttlMs) => store.set(key, token, ttlMs),
    delete: (key) => store.delete(key),
    coordination,
    coordinate: (link) =>
      createCoordinator(store, coordination, link, { lockTtlMs, pollIntervalMs, operationTimeoutMs, onWarning }),
  };
  return shared;
}
