import {
  createTokenManager,
  normalizeScopes,
  normalizeSiteUrl,
  type Scope,
  type TokenManager,
  type TokenManagerOptions,
} from "@dealcloud-ts/auth";
import { createAuthFetch, type RetryOptions } from "./auth-fetch.js";
import { invalidOption } from "./options.js";
import type { ApiDescriptor } from "./descriptor.js";
import { createClientObject } from "./operations.js";
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
  /**
   * Retries of 408, 429, 5xx and answers that never came, for the operations the API declares idempotent (reads,
   * whatever their method; writes only where repeating cannot write twice), unless `retryWrites`; `false` for none.
   */
  retry?: RetryOptions | false | undefined;
  /**
   * Per-attempt time limit in ms for API requests, the answer's body included. Default 60000; a long poll's
   * default is its own wait plus 15 s. One call can set its own: `client.GET(path, { timeoutMs: 5000 })`. (The
   * token request's limit is the token manager's `tokenTimeoutMs`.)
   */
  timeoutMs?: number | undefined;
  /** Largest answer body read, in bytes; more fails with `InvalidResponseError` (`RESPONSE_TOO_LARGE`). Default 64 MiB. */
  maxResponseBytes?: number | undefined;
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
  if (options === null || typeof options !== "object") {
    throw invalidOption("Pass options with baseUrl and credentials, or tokens.");
  }
  const shared = options.tokens;
  if (shared) {
    if (typeof shared.getToken !== "function") {
      throw invalidOption("tokens must be a token manager (createTokenManager).");
    }
    const site = options.baseUrl === undefined ? shared.baseUrl : normalizeSiteUrl(options.baseUrl).url;
    if (originOf(site) !== originOf(shared.baseUrl)) {
      throw invalidOption(
        `baseUrl ${originOf(site)} is another site than the tokens' (${originOf(shared.baseUrl)}): leave it out.`,
      );
    }
    return { tokens: shared, site };
  }
  // The token manager takes what it knows from the same object and ignores the transport's keys.
  const { fetch, ...rest } = options;
  const tokens = createTokenManager({ ...rest, ...(fetch ? { fetch: (url, init) => fetch(url, init) } : {}) });
  return { tokens, site: tokens.baseUrl };
}

const originOf = (url: string) => new URL(url).origin;

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
  // A base path is a path: anything else (":8443/api", "//other.host") would move the bearer token to another origin.
  if (
    typeof basePath !== "string" ||
    !/^\/(?!\/)[^?#\\]*$/.test(basePath) ||
    originOf(site + basePath) !== originOf(site)
  ) {
    throw invalidOption(`basePath must be a path starting with "/", e.g. "${api.basePath}".`);
  }
  // The transport takes its own keys (retry, timeoutMs, maxConcurrency, maxResponseBytes) from the options; `now`
  // and `random` are the token manager's.
  const transport = createAuthFetch({
    ...options,
    tokens,
    scopes,
    // Called unbound, and without one the transport looks up globalThis.fetch on each call.
    fetch: fetch && ((request, init) => fetch(request, init)),
    rateLimit: api.rateLimit,
    now: undefined,
    random: undefined,
  });
  // openapi-fetch's interface, over the in-house request core: the same object shape and answers.
  const client = createClientObject(api, scopes, transport, options.throwOnError, site + basePath, headers);
  return client as unknown as ApiClient<Paths>;
}
