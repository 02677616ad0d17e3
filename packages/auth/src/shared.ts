/**
 * The coordination logic behind {@link SharedTokenStore}: imported only by store adapters (Redis, Deno KV), so
 * users of the memory store never bundle it.
 *
 * @packageDocumentation
 */
import type { SharedTokenStore, TokenCoordination } from "./coordination.js";
import type { TokenStore } from "./store.js";

export type { SharedTokenStore, TokenCoordination } from "./coordination.js";

/** Options of {@link createSharedTokenStore}; adapters pass them on from their own options. */
export interface SharedTokenStoreOptions {
  /**
   * How long the lock of one scope set's refresh lives, ms: a holder that dies is replaced after this. Default
   * 20 000. Keep it longer than a token request usually takes.
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

/** Lock key of one scope set's refresh: its token key plus `:lock`. */
export const lockKeyOf = (tokenKey: string): string => `${tokenKey}:lock`;

/**
 * Budget key (and pause) of one DealCloud user on one site: the token keys' common start plus `:budget`, since
 * DealCloud counts token requests per user, not per scope set.
 */
export const budgetKeyOf = (keyPrefix: string): string => `${keyPrefix}:budget`;

/**
 * Makes `store` a {@link SharedTokenStore}: with `coordination`, token managers using it coordinate across
 * processes; without, they only share tokens.
 */
export function createSharedTokenStore(
  store: TokenStore,
  coordination?: TokenCoordination,
  options: SharedTokenStoreOptions = {},
): SharedTokenStore {
  void options;
  return { get: store.get.bind(store), set: store.set.bind(store), delete: store.delete.bind(store), coordination };
}
