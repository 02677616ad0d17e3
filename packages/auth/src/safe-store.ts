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
 * a warning. The store's methods are called as methods of the store, never with anything but the key and token.
 */
export function createSafeStore(store: TokenStore, logger: Logger): SafeStore {
  const failed = (operation: "get" | "set" | "delete") => {
    logger.warn?.(`dealcloud token store ${operation} failed; carrying on without the cache`, { operation });
    return undefined;
  };
  // A store that answers synchronously (the memory store) is answered synchronously, so a cache hit costs no
  // extra turn; each method is written out so that a hit allocates no closure.
  const settle = <T>(operation: "get" | "set" | "delete", result: T) =>
    typeof (result as PromiseLike<T> | undefined)?.then === "function"
      ? Promise.resolve(result).catch(() => failed(operation))
      : result;
  return {
    get(key) {
      try {
        return settle("get", store.get(key));
      } catch {
        return failed("get");
      }
    },
    set(key, token, ttlMs) {
      try {
        return settle("set", store.set(key, token, ttlMs));
      } catch {
        return failed("set");
      }
    },
    delete(key) {
      try {
        return settle("delete", store.delete(key));
      } catch {
        return failed("delete");
      }
    },
  };
}
