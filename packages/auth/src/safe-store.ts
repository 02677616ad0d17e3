import type { Logger } from "./manager.js";
import type { StoredToken, TokenStore } from "./store.js";

/** A {@link TokenStore} whose failures are cache misses: `get` answers undefined, `set` and `delete` do nothing. */
export interface SafeStore {
  /** The cached token, or undefined; synchronous when the store is (so a memory cache hit costs no extra turn). */
  get(key: string): StoredToken | undefined | Promise<StoredToken | undefined>;
  set(key: string, token: StoredToken, ttlMs: number): unknown;
  delete(key: string): unknown;
}

/**
 * Wraps the user's store so that an outage (Redis down, say) never stops authentication: it is a cache miss and
 * a warning. The store's methods are called as methods of the store. A store that answers synchronously (the
 * memory store) is answered synchronously, so a cache hit costs no extra turn and allocates nothing.
 */
export function createSafeStore(store: TokenStore, logger: Logger): SafeStore {
  const safe = {} as Record<keyof TokenStore, (key: string, token?: StoredToken, ttlMs?: number) => unknown>;
  for (const operation of ["get", "set", "delete"] as const) {
    const failed = () => {
      logger.warn?.(`dealcloud token store ${operation} failed`, { operation });
    };
    safe[operation] = (key, token, ttlMs) => {
      try {
        const result = (store[operation] as (key: string, token?: StoredToken, ttlMs?: number) => unknown)(
          key,
          token as StoredToken,
          ttlMs as number,
        );
        return typeof (result as PromiseLike<unknown> | undefined)?.then === "function"
          ? Promise.resolve(result).catch(failed)
          : result;
      } catch {
        return failed();
      }
    };
  }
  return safe as SafeStore;
}
