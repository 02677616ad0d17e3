import { normalizeScopes, type Scope, type TokenManager } from "@dealcloud-ts/auth";
import type { Middleware } from "openapi-fetch";

/**
 * An openapi-fetch `Middleware` that sets `Authorization: Bearer …` from a token manager, for people who build
 * their own openapi-fetch client. It cannot replay: openapi-fetch middleware has no way to send a request again,
 * so a 401 is handed back as is (the token is dropped from the cache, so the next request gets a fresh one). For
 * replay, retries and timeouts give openapi-fetch {@link createAuthFetch} as its `fetch` instead.
 *
 * @example
 * ```ts
 * import createClient from "openapi-fetch";
 * import { createTokenManager } from "@dealcloud-ts/auth";
 * import { authMiddleware } from "@dealcloud-ts/client";
 * import type { paths } from "@dealcloud-ts/schema";
 *
 * const tokens = createTokenManager({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const client = createClient<paths>({ baseUrl: "https://yourfirm.dealcloud.com/api/rest/v4/schema" });
 * client.use(authMiddleware(tokens, ["data"]));
 * ```
 */
export function authMiddleware(tokens: TokenManager, scopes: Scope | readonly Scope[]): Middleware {
  const sorted = normalizeScopes(scopes);
  const sent = new WeakMap<Request, string>();
  return {
    async onRequest({ request }) {
      const token = await tokens.getToken(sorted, { signal: request.signal });
      request.headers.set("Authorization", `Bearer ${token.value}`);
      sent.set(request, token.value);
      return request;
    },
    async onResponse({ request, response }) {
      const value = sent.get(request);
      if (response.status === 401 && value) await tokens.invalidate(sorted, value);
      return undefined;
    },
  };
}
