/**
 * OAuth2 client-credentials tokens for the DealCloud REST API: cached per scope set, one request in flight per
 * scope set however many callers ask, refreshed before expiry, within DealCloud's per-minute token budget.
 * Web-standard APIs only (fetch, URL, URLSearchParams, AbortSignal): the same code runs in Node, Deno, Bun,
 * Cloudflare Workers, edge runtimes and browsers.
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/auth
 */
export {
  createTokenManager,
  TOKEN_PATH,
  type AccessToken,
  type FetchLike,
  type GetTokenOptions,
  type Logger,
  type TokenAnswerBody,
  type TokenManager,
  type TokenManagerOptions,
  type TokenManagerStats,
  type TokenProvider,
} from "./manager.js";
export {
  DealCloudAuthError,
  DealCloudError,
  type AuthErrorCode,
  type AuthErrorDetails,
  type ApiHelperErrorCode,
  type ClientErrorCode,
  type DataErrorCode,
  type PublicationsErrorCode,
  type SiteErrorCode,
  type CliErrorCode,
  type DealCloudErrorCode,
} from "./errors.js";
export { SCOPES, normalizeScopes, type Scope } from "./scopes.js";
export {
  createMemoryTokenStore,
  type MemoryTokenStore,
  type MemoryTokenStoreOptions,
  type StoredToken,
  type TokenStore,
} from "./store.js";
export { normalizeSiteUrl, type SiteUrl } from "./base-url.js";
export { parseRetryAfter } from "./token-endpoint.js";
export { tokenStoreKey, type TokenStoreKeyParts } from "./store-key.js";
export type {
  CoordinatedFlight,
  Coordinator,
  CoordinatorLink,
  SharedTokenStore,
  TokenCoordination,
} from "./coordination.js";
