import { DealCloudAuthError, type StoredToken } from "@dealcloud-ts/auth";
import { createSharedTokenStore, type SharedTokenStore, type SharedTokenStoreOptions } from "@dealcloud-ts/auth/shared";
import { createDenoKvCoordination } from "./coordination.js";
import { createWriter } from "./serial.js";
import type { DenoKvLike } from "./deno-kv.js";

/** Options of {@link createDenoKvTokenStore}; the lock and polling options are `@dealcloud-ts/auth/shared`'s. */
export interface DenoKvTokenStoreOptions extends SharedTokenStoreOptions {
  /** An open Deno KV database: `await Deno.openKv()` (Deno Deploy, or a local file shared by processes). */
  kv: DenoKvLike;
  /**
   * The first part of every key this store writes (`[prefix, key]`), so several applications can share one
   * database without reading each other's entries. Default `"dealcloud-ts"`.
   */
  prefix?: string | undefined;
}

/** A token as stored: with its own expiry, since Deno KV deletes entries past `expireIn` only lazily. */
interface TokenEntry {
  token: StoredToken;
  until: number;
}

const isMethod = (value: unknown, name: string) =>
  typeof (value as Record<string, unknown> | null)?.[name] === "function";

const isTokenEntry = (value: unknown): value is TokenEntry => {
  const token = (value as TokenEntry | null)?.token;
  return (
    typeof (value as TokenEntry | null)?.until === "number" &&
    typeof token?.value === "string" &&
    typeof token.type === "string" &&
    Array.isArray(token.scopes) &&
    typeof token.obtainedAt === "number" &&
    typeof token.expiresAt === "number"
  );
};

/**
 * A token store on Deno KV that shares tokens, one token request per scope set and the token budget across every
 * process using the same database: several `deno run` processes on one local file (`Deno.openKv("tokens.db")`),
 * or every isolate of a Deno Deploy project (`Deno.openKv()`).
 *
 * What it guarantees, with every token manager of a client id using it:
 * - **Tokens**: a token one process obtained is read by the others (`expireIn` drops it when it dies).
 * - **Lock**: `acquire` reads the lock and commits with `atomic().check()` on the versionstamp it read (null when
 *   free), so of any number of racing processes exactly one gets it; a holder that dies is replaced once the
 *   lock's TTL has passed (the stored expiry time is checked too, as Deno KV deletes expired keys lazily).
 *   `extend` (the holder renewing its lock while its refresh runs) and `release` change only the owner's live
 *   lock, checked by versionstamp.
 * - **Budget**: `take` is a check-and-set of the window's start times, so no window ever holds more than the
 *   limit; a 429 `pause` is stored in the same entry and `take` refuses until it ends.
 * - **Contention**: each store writes one transaction at a time (a local file is SQLite, which answers "database
 *   is locked" to a second writer), and retries a busy database or a commit that lost its race until 80% of
 *   `operationTimeoutMs` (default 1 s) has passed since the call, queueing included; then a `take` that only lost
 *   races answers "ask again in 25 ms", and other calls reject without writing (the manager then carries on per
 *   process, with a warning).
 *
 * Deno KV needs `--unstable-kv` outside Deno Deploy. Times are wall-clock milliseconds (`Date.now`), so the
 * processes' clocks should agree to well under the lock TTL.
 *
 * @example
 * ```ts
 * import { createTokenManager } from "@dealcloud-ts/auth";
 * import { createDenoKvTokenStore, type DenoKvLike } from "@dealcloud-ts/store-deno-kv";
 *
 * // In Deno: `const kv = await Deno.openKv();` (run with --unstable-kv outside Deno Deploy).
 * declare const kv: DenoKvLike;
 * const tokens = createTokenManager({
 *   baseUrl: "yourfirm.dealcloud.com",
 *   clientId: 106,
 *   clientSecret: "…",
 *   store: createDenoKvTokenStore({ kv }),
 * });
 * ```
 */
export function createDenoKvTokenStore(options: DenoKvTokenStoreOptions): SharedTokenStore {
  const { kv, prefix = "dealcloud-ts", ...shared } = options ?? ({} as Partial<DenoKvTokenStoreOptions>);
  if (!["get", "set", "delete", "atomic"].every((name) => isMethod(kv, name))) {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "createDenoKvTokenStore needs `kv`: an open Deno KV database (`await Deno.openKv()`).",
    );
  }
  if (typeof prefix !== "string" || prefix === "") {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      `prefix must be a non-empty string (got ${JSON.stringify(prefix)}).`,
    );
  }
  const keyOf = (key: string): readonly string[] => [prefix, key];
  const now = Date.now;
  // Every call ends (done, or failed without writing) before the manager's time limit for a store call.
  const writer = createWriter(0.8 * (shared.operationTimeoutMs ?? 1_000), Math.random);
  const write = (work: () => Promise<unknown>) =>
    writer.run(
      async () => (await work(), true),
      () => true,
    );
  const tokens = {
    async get(key: string) {
      const { value } = await kv.get(keyOf(key));
      return isTokenEntry(value) && value.until > now() ? value.token : undefined;
    },
    set(key: string, token: StoredToken, ttlMs: number) {
      if (!(ttlMs >= 1)) return write(() => kv.delete(keyOf(key)));
      const entry: TokenEntry = { token, until: now() + ttlMs };
      return write(() => kv.set(keyOf(key), entry, { expireIn: Math.ceil(ttlMs) }));
    },
    delete: (key: string) => write(() => kv.delete(keyOf(key))),
  };
  return createSharedTokenStore(tokens, createDenoKvCoordination(kv, keyOf, now, writer), shared);
}
