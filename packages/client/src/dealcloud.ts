import { normalizeScopes, type Scope } from "@dealcloud-ts/auth";
import { clientFor, resolveTokens, type ApiClient, type ApiClientOptions } from "./api-client.js";
import type { ApiDescriptor, PathsOf } from "./descriptor.js";
import type { ThrowingApiClient } from "./throwing.js";

/** How the combined clients share tokens. */
export type ScopeStrategy = "union" | "per-api";

/** Options of {@link createDealCloud}: credentials (or a shared `tokens`), the APIs, and transport settings. */
export type DealCloudOptions<Apis extends Record<string, ApiDescriptor<any>>> = ApiClientOptions & {
  /** The APIs to combine, by the name you want them under, e.g. `{ data, schema, userManagement }`. */
  apis: Apis;
  /**
   * `"union"` (default): one token for the union of the chosen APIs' scopes, shared by every client: one token
   * request per 15 minutes however many APIs. `"per-api"`: each client asks for its own API's scopes only
   * (strict least privilege), one token request per distinct scope set.
   */
  scopeStrategy?: ScopeStrategy | undefined;
};

/** One typed client per chosen API, under the names given in `apis`. */
export type DealCloudClients<Apis extends Record<string, ApiDescriptor<any>>> = {
  readonly [Name in keyof Apis]: ApiClient<PathsOf<Apis[Name]>>;
};

/** The clients of the throwing mode (`throwOnError: true`): calls resolve with `data` or reject with a typed error. */
export type DealCloudThrowingClients<Apis extends Record<string, ApiDescriptor<any>>> = {
  readonly [Name in keyof Apis]: ThrowingApiClient<PathsOf<Apis[Name]>>;
};

/** The scopes a token must carry for these APIs together: the union of their declared scopes, sorted. */
export function unionScopes(apis: readonly ApiDescriptor<any>[]): readonly Scope[] {
  return normalizeScopes(apis.flatMap((api) => api.scopes));
}

/**
 * Combines the API clients you pick under one token manager, so the token asks for exactly the scopes they
 * need. The result's type carries exactly the chosen APIs.
 *
 * @example
 * ```ts
 * import { createDealCloud } from "@dealcloud-ts/client";
 * import { data } from "@dealcloud-ts/data";
 * import { schema } from "@dealcloud-ts/schema";
 * import { userManagement } from "@dealcloud-ts/user-management";
 *
 * const dc = createDealCloud({
 *   baseUrl: "https://yourfirm.dealcloud.com",
 *   clientId: 106,
 *   clientSecret: "…",
 *   apis: { data, schema, userManagement }, // one token, scope "data user_management"
 * });
 * const { data: entryTypes } = await dc.schema.GET("/entrytypes");
 * const { data: users } = await dc.userManagement.GET("/user", { params: { query: { pageSize: 100 } } });
 * ```
 */
export function createDealCloud<const Apis extends Record<string, ApiDescriptor<any>>>(
  options: DealCloudOptions<Apis> & { throwOnError: true },
): DealCloudThrowingClients<Apis>;
export function createDealCloud<const Apis extends Record<string, ApiDescriptor<any>>>(
  options: DealCloudOptions<Apis>,
): DealCloudClients<Apis>;
export function createDealCloud<const Apis extends Record<string, ApiDescriptor<any>>>(
  options: DealCloudOptions<Apis>,
): DealCloudClients<Apis> | DealCloudThrowingClients<Apis> {
  const { apis, scopeStrategy = "union", ...rest } = options;
  const chosen = Object.values(apis);
  if (chosen.length === 0)
    throw new TypeError("createDealCloud: pass at least one API in `apis`, e.g. { data } from @dealcloud-ts/data.");
  if (scopeStrategy !== "union" && scopeStrategy !== "per-api") {
    throw new TypeError(
      `createDealCloud: scopeStrategy must be "union" or "per-api", not ${JSON.stringify(scopeStrategy)}.`,
    );
  }
  const { tokens, site } = resolveTokens(rest as ApiClientOptions);
  const union = rest.scopes ?? unionScopes(chosen);
  const clients: Record<string, unknown> = {};
  for (const [name, api] of Object.entries(apis)) {
    clients[name] = clientFor(api, tokens, site, {
      ...rest,
      scopes: scopeStrategy === "union" ? union : (rest.scopes ?? api.scopes),
    });
  }
  return clients as DealCloudClients<Apis>;
}
