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
  const guard = <T>(operation: "get" | "set" | "delete", run: () => T | PromiseLike<T>) => {
    const failed = () => {
      logger.warn?.(`dealcloud token store ${operation} failed; carrying on without the cache`, { operation });
      return undefined;
    };
    try {
      const result = run();
      return typeof (result as PromiseLike<T> | undefined)?.then === "function"
        ? Promise.resolve(result).catch(failed)
        : (result as T);
    } catch {
      return failed();
    }
  };
  return {
    get: (key) => guard("get", () => store.get(key)),
    set: (key, token, ttlMs) => guard("set", () => store.set(key, token, ttlMs)),
    delete: (key) => guard("delete", () => store.delete(key)),
  };
}
