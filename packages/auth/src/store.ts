import { DealCloudAuthError } from "./errors.js";
import type { Scope } from "./scopes.js";

/**
 * What a {@link TokenStore} keeps for one scope set: plain JSON-safe data, so a store can serialise it as it likes.
 * It holds the access token (that is what is shared) but never the client secret.
 */
export interface StoredToken {
  /** The access token. */
  readonly value: string;
  /** Always `bearer` for DealCloud. */
  readonly type: string;
  /** The scopes the token was requested for, sorted. */
  readonly scopes: readonly Scope[];
  /** Local clock time (ms) when the token request was sent: the start of its lifetime. */
  readonly obtainedAt: number;
  /** Local clock time (ms) when the token dies: `obtainedAt` + min(`expires_in`, the lifetime cap). */
  readonly expiresAt: number;
}

/**
 * Where tokens are cached, keyed by token URL + client id + scope set. Small on purpose: a cache is a few lines.
 * Methods may be synchronous or return promises. With a plain store, single flight and the per-minute budget stay
 * per process and the store only lets processes reuse a token; a `SharedTokenStore` (such as
 * `createRedisTokenStore` from `@dealcloud-ts/store-redis`) also makes them act as one: one token request per
 * scope set across processes and one budget. See the guide "Running many processes".
 *
 * @example A token cache in Redis (node-redis v4), shared but not coordinated
 * ```ts
 * import { createTokenManager, type TokenStore } from "@dealcloud-ts/auth";
 *
 * // A connected node-redis v4 client, e.g. `await createClient({ url }).connect()` from "redis".
 * declare const redis: {
 *   get(key: string): Promise<string | null>;
 *   set(key: string, value: string, options: { PX: number }): Promise<unknown>;
 *   del(key: string): Promise<number>;
 * };
 *
 * const store: TokenStore = {
 *   get: async (key) => JSON.parse((await redis.get(key)) ?? "null") ?? undefined,
 *   set: (key, token, ttlMs) => redis.set(key, JSON.stringify(token), { PX: Math.max(1, Math.floor(ttlMs)) }),
 *   delete: (key) => redis.del(key),
 * };
 * const tokens = createTokenManager({ baseUrl: "yourfirm.dealcloud.com", clientId: 106, clientSecret: "…", store });
 * ```
 */
export interface TokenStore {
  /** The token cached under `key`, or undefined. Expired tokens may be returned; the manager checks expiry. */
  get(key: string): StoredToken | undefined | Promise<StoredToken | undefined>;
  /** Caches `token`; `ttlMs` is how long it stays usable, so a store with expiry can drop it after that. */
  set(key: string, token: StoredToken, ttlMs: number): unknown;
  /** Drops the token cached under `key`. */
  delete(key: string): unknown;
}

/** Options of {@link createMemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Most tokens kept; the least recently used goes first. Default 100 (one manager uses at most 31 scope sets). */
  maxEntries?: number;
}

/** The default {@link TokenStore}: synchronous, in memory, bounded by least-recently-used eviction. */
export interface MemoryTokenStore extends TokenStore {
  /** The token cached under `key`, or undefined; counts as a use for eviction. */
  get(key: string): StoredToken | undefined;
  /** Caches `token`, evicting the least recently used entry past `maxEntries`. */
  set(key: string, token: StoredToken, ttlMs?: number): void;
  /** Drops the token cached under `key`. */
  delete(key: string): void;
}

/**
 * The default store: an in-memory map bounded by least-recently-used eviction. Every token manager creates one
 * unless given a `store`; create one yourself to change its size or to share it between managers.
 *
 * @example
 * ```ts
 * import { createMemoryTokenStore, createTokenManager } from "@dealcloud-ts/auth";
 *
 * // Two sites' managers caching in one store of at most 20 tokens (keys include the token URL and client id).
 * const store = createMemoryTokenStore({ maxEntries: 20 });
 * const us = createTokenManager({ baseUrl: "yourfirm.dealcloud.com", clientId: 106, clientSecret: "…", store });
 * const eu = createTokenManager({ baseUrl: "yourfirm.dealcloud.eu", clientId: 107, clientSecret: "…", store });
 * ```
 */
export function createMemoryTokenStore(options: MemoryTokenStoreOptions = {}): MemoryTokenStore {
  const { maxEntries = 100 } = options;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `maxEntries must be a positive integer (got ${String(maxEntries)}).`,
    );
  }
  const entries = new Map<string, StoredToken>();
  // The key at the end of the Map's order, so a hit on it (the usual case: one hot scope set) moves nothing.
  let newest: string | undefined;
  return {
    get(key) {
      const token = entries.get(key);
      // Re-inserting moves the key to the end of the Map's order: the Map is its own LRU list.
      if (token && key !== newest) entries.delete(key), entries.set(key, token), (newest = key);
      return token;
    },
    set(key, token) {
      entries.delete(key);
      entries.set(key, token);
      newest = key;
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    delete(key) {
      entries.delete(key);
      if (key === newest) newest = undefined;
    },
  };
}
