import { DealCloudAuthError, type StoredToken, type TokenStore } from "@dealcloud-ts/auth";

/**
 * The part of a Workers KV binding (`KVNamespace`) that {@link createWorkersKvTokenStore} uses, typed
 * structurally so the package type-checks without `@cloudflare/workers-types`: a real binding is assignable to it.
 */
export interface KvNamespaceLike {
  /** Reads a value as text; null when there is none (or this location has not seen it yet). */
  get(key: string, type: "text"): Promise<string | null>;
  /** Writes a value; `expirationTtl` is in seconds and at least 60. */
  put(key: string, value: string, options?: { expirationTtl?: number }): Promise<unknown>;
  /** Deletes a value. */
  delete(key: string): Promise<unknown>;
}

/** Options of {@link createWorkersKvTokenStore}. */
export interface WorkersKvTokenStoreOptions {
  /** The Workers KV binding tokens are cached in, e.g. `env.DEALCLOUD_TOKENS`. */
  namespace: KvNamespaceLike;
  /**
   * Put before every key, so several applications can share one namespace. Default `"dealcloud-ts:"`; the key
   * after it is `tokenStoreKey()`'s, and prefix plus key must stay within KV's 512 bytes.
   */
  prefix?: string | undefined;
}

/** A token as stored: its own expiry travels with it, since KV will not expire anything sooner than 60 s. */
interface TokenEntry {
  token: StoredToken;
  until: number;
}

/** Workers KV refuses an `expirationTtl` under 60 s. */
const KV_MIN_TTL_SECONDS = 60;

function parseEntry(text: string | null): TokenEntry | undefined {
  if (text === null) return undefined;
  try {
    const entry = JSON.parse(text) as TokenEntry | null;
    const token = entry?.token;
    return typeof entry?.until === "number" &&
      typeof token?.value === "string" &&
      typeof token.type === "string" &&
      Array.isArray(token.scopes) &&
      typeof token.obtainedAt === "number" &&
      typeof token.expiresAt === "number"
      ? entry
      : undefined;
  } catch {
    return undefined; // not ours (another application under the same prefix): a cache miss
  }
}

/**
 * A token CACHE on Workers KV, shared by every isolate and location of a Worker: a token one isolate obtained is
 * read by the others instead of each asking DealCloud for its own. It has no `coordination`, because KV cannot
 * give a lock or a budget: it is eventually consistent (a write may take up to 60 s to be seen in other
 * locations, and there is no compare-and-set). What that means:
 *
 * - **Tokens**: usually one token request per scope set for the whole Worker, but not always: isolates that start
 *   cold at the same time, or in locations that have not seen the cached token yet, each request their own (each
 *   isolate's token manager still sends only one request at a time per scope set).
 * - **Budget**: DealCloud's per-minute token budget (300, or 60 on UAT/sandbox) stays per isolate: the managers'
 *   `tokenRequestsPerMinute` limits each isolate, not the Worker. Give each a part of the budget, or use
 *   {@link createDurableObjectTokenStore}, which shares the lock and the budget.
 * - **Deletes** (after a 401) reach other locations as slowly as writes: they may serve the old token a little
 *   longer, and refresh on their own 401.
 * - **Short lifetimes**: KV's `expirationTtl` is at least 60 s, so each entry carries its own expiry and is
 *   ignored once it is past, whatever KV still holds. KV also takes about one write per second per key.
 *
 * @example
 * ```ts
 * import { createTokenManager, type TokenManager } from "@dealcloud-ts/auth";
 * import { createWorkersKvTokenStore, type KvNamespaceLike } from "@dealcloud-ts/store-workers-kv";
 *
 * interface Env {
 *   DEALCLOUD_TOKENS: KvNamespaceLike; // a KV namespace binding (KVNamespace)
 *   DEALCLOUD_CLIENT_ID: string;
 *   DEALCLOUD_CLIENT_SECRET: string;
 * }
 * let tokens: TokenManager | undefined; // one manager per isolate
 * export default {
 *   async fetch(request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
 *     tokens ??= createTokenManager({
 *       baseUrl: "yourfirm.dealcloud.com",
 *       clientId: env.DEALCLOUD_CLIENT_ID,
 *       clientSecret: env.DEALCLOUD_CLIENT_SECRET,
 *       store: createWorkersKvTokenStore({ namespace: env.DEALCLOUD_TOKENS }),
 *     });
 *     // waitUntil per call: a refresh this request starts outlives its answer (one manager, many requests).
 *     const token = await tokens.getToken("data", { waitUntil: ctx.waitUntil.bind(ctx) });
 *     return new Response(`token for ${token.scopes.join(" ")} until ${new Date(token.expiresAt).toISOString()}`);
 *   },
 * };
 * ```
 */
export function createWorkersKvTokenStore(options: WorkersKvTokenStoreOptions): TokenStore {
  const { namespace, prefix = "dealcloud-ts:" } = options ?? ({} as Partial<WorkersKvTokenStoreOptions>);
  if (
    !["get", "put", "delete"].every(
      (name) => typeof (namespace as unknown as Record<string, unknown>)?.[name] === "function",
    )
  ) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "createWorkersKvTokenStore needs `namespace`: a Workers KV binding (env.YOUR_KV_NAMESPACE).",
    );
  }
  if (typeof prefix !== "string") {
    throw new DealCloudAuthError("INVALID_OPTION", `prefix must be a string (got ${typeof prefix}).`);
  }
  return {
    async get(key) {
      const entry = parseEntry(await namespace.get(prefix + key, "text"));
      return entry && entry.until > Date.now() ? entry.token : undefined;
    },
    set(key, token, ttlMs) {
      if (!(ttlMs >= 1)) return namespace.delete(prefix + key);
      const entry: TokenEntry = { token, until: Date.now() + ttlMs };
      const expirationTtl = Math.max(KV_MIN_TTL_SECONDS, Math.ceil(ttlMs / 1000));
      return namespace.put(prefix + key, JSON.stringify(entry), { expirationTtl });
    },
    delete: (key) => namespace.delete(prefix + key),
  };
}
