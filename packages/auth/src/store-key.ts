import { normalizeSiteUrl } from "./base-url.js";
import { TOKEN_PATH } from "./options.js";
import { normalizeScopes, type Scope } from "./scopes.js";

/** What names a cached token: see {@link tokenStoreKey}. */
export interface TokenStoreKeyParts {
  /** The site address, as given to `createTokenManager` (normalised here). */
  baseUrl: string;
  /** The client id of a manager with credentials; leave it out for a manager with a `tokenProvider`. */
  clientId?: string | number | undefined;
  /** The scope set; order and duplicates do not matter. */
  scopes: Scope | readonly Scope[];
}

/**
 * The start of every key: the format's version comes first, so a change of format (which must bump it) can never
 * read another version's entries in a shared store.
 */
export const storeKeyPrefix = (tokenUrl: string, clientId: string | undefined) =>
  `dealcloud-token:v1 ${tokenUrl} ${clientId ?? "provider"} `;

/**
 * The key a token manager caches a token under in its `store`:
 * `dealcloud-token:v1 {token URL} {client id, or "provider"} {sorted scopes, space-separated}`. The format is
 * stable within a version: shared stores (Redis, Workers KV) written by one release are read by the next, and a
 * change of format comes with a new version (`v2`). Use it to inspect or pre-warm a shared store; the key holds
 * no secret.
 *
 * @example
 * ```ts
 * import { tokenStoreKey } from "@dealcloud-ts/auth";
 *
 * tokenStoreKey({ baseUrl: "yourfirm.dealcloud.com", clientId: 106, scopes: ["publish", "data"] });
 * // "dealcloud-token:v1 https://yourfirm.dealcloud.com/api/rest/v1/oauth/token 106 data publish"
 * ```
 */
export function tokenStoreKey({ baseUrl, clientId, scopes }: TokenStoreKeyParts): string {
  const tokenUrl = normalizeSiteUrl(baseUrl).url + TOKEN_PATH;
  return (
    storeKeyPrefix(tokenUrl, clientId === undefined ? clientId : String(clientId)) + normalizeScopes(scopes).join(" ")
  );
}
