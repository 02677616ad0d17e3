import {
  createTokenManager,
  normalizeScopes,
  normalizeSiteUrl,
  type Scope,
  type TokenManager,
  type TokenManagerOptions,
} from "@dealcloud-ts/auth";
import createClient from "openapi-fetch";
import { createAuthFetch, type NetworkFetch, type RetryOptions } from "./auth-fetch.js";
import type { ApiDescriptor } from "./descriptor.js";
import { checkScopesBeforeSending, throwOnError } from "./middleware.js";
import type { ThrowingApiClient } from "./throwing.js";
import type { ApiClient } from "./typed-client.js";

export type { ApiClient };

/** How requests reach the network and what happens when they fail; shared by every way of passing credentials. */
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
  /** Retries of 408, 429, 5xx and network errors (idempotent methods unless `retryWrites`); `false` for none. */
  retry?: RetryOptions | false | undefined;
  /** Per-attempt time limit in ms. Default 60000. */
  timeoutMs?: number | undefined;
  /** At most this many requests of one client in flight at once. Default: no cap. */
  maxConcurrency?: number | undefined;
  /**
   * Throw typed errors (`PermissionDeniedError`, `RateLimitError`, …) for HTTP error answers instead of returning
   * openapi-fetch's `{ error, response }`. Default false.
   */
  throwOnError?: boolean | undefined;
  /**
   * The scopes the token asks for. Default: the API's own scopes (or, in `createDealCloud`, the union of the
   * chosen APIs'). An operation that needs a scope outside this list fails with `MissingScopeError` before
   * anything is sent.
   */
  scopes?: readonly Scope[] | undefined;
}

/** Credentials and token-manager settings: the client builds its own token manager. */
export interface OwnTokensOptions extends Omit<TokenManagerOptions, "fetch">, TransportOptions {
  /** Not used here: pass either credentials or `tokens`. */
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

/** The token manager the options name or describe, and the site address requests go to. */
export function resolveTokens(options: ApiClientOptions): { tokens: TokenManager; site: string } {
  if (options.tokens) {
    const site = options.baseUrl === undefined ? options.tokens.baseUrl : normalizeSiteUrl(options.baseUrl).url;
    return { tokens: options.tokens, site };
  }
  const {
    fetch,
    headers: _h,
    tokens: _t,
    basePath: _b,
    retry: _r,
    timeoutMs: _tm,
    maxConcurrency: _m,
    throwOnError: _e,
    scopes: _s,
    ...tokenOptions
  } = options;
  const tokens = createTokenManager({ ...tokenOptions, ...(fetch ? { fetch: (url, init) => fetch(url, init) } : {}) });
  return { tokens, site: tokens.baseUrl };
}

/**
 * A typed client for one API: requests go to `{baseUrl}{api.basePath}{path}`, each attempt signed with a token
 * for the API's scopes, with retries, 401 replay, per-attempt timeouts, the API's documented pacing (Schema: 5
 * per second) and a scope check before sending.
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
export function createApiClient<Paths extends {}>(
  api: ApiDescriptor<Paths>,
  options: ApiClientOptions & { throwOnError: true },
): ThrowingApiClient<Paths>;
export function createApiClient<Paths extends {}>(
  api: ApiDescriptor<Paths>,
  options: ApiClientOptions,
): ApiClient<Paths>;
export function createApiClient<Paths extends {}>(
  api: ApiDescriptor<Paths>,
  options: ApiClientOptions,
): ApiClient<Paths> | ThrowingApiClient<Paths> {
  const { tokens, site } = resolveTokens(options);
  return clientFor(api, tokens, site, options);
}

/** The client for `api` over an existing token manager; `createDealCloud` calls this once per chosen API. */
export function clientFor<Paths extends {}>(
  api: ApiDescriptor<Paths>,
  tokens: TokenManager,
  site: string,
  options: TransportOptions,
): ApiClient<Paths> {
  const { fetch, headers, basePath = api.basePath } = options;
  const scopes = normalizeScopes(options.scopes ?? api.scopes);
  const send: NetworkFetch = fetch
    ? (request, init) => fetch(request, init)
    : (request, init) => globalThis.fetch(request, init);
  const client = createClient<Paths>({
    baseUrl: site + basePath,
    fetch: createAuthFetch({
      tokens,
      scopes,
      fetch: send,
      retry: options.retry,
      timeoutMs: options.timeoutMs,
      maxConcurrency: options.maxConcurrency,
      rateLimit: api.rateLimit,
    }),
    ...(headers ? { headers } : {}),
  });
  checkScopesBeforeSending(client, api.operationScopes, scopes);
  if (options.throwOnError) client.use(throwOnError(scopes));
  // The same object: ApiClient only narrows what its request methods accept (no unknown init keys).
  return client as ApiClient<Paths>;
}
