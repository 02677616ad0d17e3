import { createTokenManager, normalizeSiteUrl, type TokenManager, type TokenManagerOptions } from "@dealcloud-ts/auth";
import createClient, { type Client } from "openapi-fetch";
import { createAuthFetch, type RequestFetch } from "./auth-fetch.js";
import type { ApiDescriptor } from "./descriptor.js";

/** A typed openapi-fetch client for one API: `GET`, `POST`, … on the API's paths, plus `use()` for middleware. */
export type ApiClient<Paths extends {}> = Client<Paths>;

/** How requests reach the network, shared by every way of passing credentials. */
export interface TransportOptions {
  /**
   * The fetch used for API calls and token requests. Default: `globalThis.fetch`, looked up on each call so test
   * tools that patch it keep working.
   */
  fetch?: ((input: Request | string, init?: RequestInit) => Promise<Response>) | undefined;
  /** Headers sent with every API request, e.g. `{ "As-User": 6045 }` to act on behalf of a user. */
  headers?: Record<string, string | number> | undefined;
  /**
   * Replaces the API's base path. The vendor's pages disagree on some (Relationship Intelligence Import is
   * `/api/rest/v4/ri/import` on its endpoint pages, `/api/rest/v1/ri/import` on the token page): set the other
   * reading here if your site serves it.
   */
  basePath?: string | undefined;
}

/** Credentials and token-manager settings: the client builds its own token manager for the API's scopes. */
export interface OwnTokensOptions extends Omit<TokenManagerOptions, "fetch">, TransportOptions {
  tokens?: undefined;
}

/** A token manager shared with other clients, so they share its cache and its per-minute budget. */
export interface SharedTokensOptions extends TransportOptions {
  /** The token manager to take tokens from. */
  tokens: TokenManager;
  /** The site address; default: the token manager's. */
  baseUrl?: string | undefined;
}

/** Options of {@link createApiClient} and of every package's `createXClient`. */
export type ApiClientOptions = OwnTokensOptions | SharedTokensOptions;

/**
 * A typed client for one API: requests go to `{baseUrl}{api.basePath}{path}` with a token for the API's scopes.
 *
 * @example
 * ```ts
 * import { createApiClient } from "@dealcloud-ts/client";
 * import { backups } from "@dealcloud-ts/backups";
 *
 * const client = createApiClient(backups, { baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * await client.POST("/request", { body: { apiNames: ["company"] } });
 * ```
 */
export function createApiClient<Paths extends {}>(api: ApiDescriptor<Paths>, options: ApiClientOptions): ApiClient<Paths> {
  const { fetch, headers, basePath = api.basePath } = options;
  const send: RequestFetch = fetch ? (request) => fetch(request) : (request) => globalThis.fetch(request);
  let tokens: TokenManager;
  let site: string;
  if (options.tokens) {
    tokens = options.tokens;
    site = options.baseUrl === undefined ? tokens.baseUrl : normalizeSiteUrl(options.baseUrl).url;
  } else {
    const { fetch: _fetch, headers: _headers, tokens: _tokens, basePath: _basePath, ...tokenOptions } = options;
    tokens = createTokenManager({ ...tokenOptions, ...(fetch ? { fetch: (url, init) => fetch(url, init) } : {}) });
    site = tokens.baseUrl;
  }
  return createClient<Paths>({
    baseUrl: site + basePath,
    fetch: createAuthFetch({ tokens, scopes: api.scopes, fetch: send }),
    ...(headers ? { headers } : {}),
  });
}
