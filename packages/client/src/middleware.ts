import { normalizeScopes, parseRetryAfter, type Scope, type TokenManager } from "@dealcloud-ts/auth";
import type { Middleware } from "openapi-fetch";
import { errorForResponse, MissingScopeError } from "./errors.js";

/**
 * Makes `client`'s request methods reject with `MissingScopeError`, before anything is built or sent, when the
 * operation needs a scope outside `requestedScopes`, using the descriptor's generated `operationScopes` (keyed
 * `"METHOD /path"`, the path as written in the call). A wrapper rather than an openapi-fetch middleware: having
 * any middleware costs openapi-fetch work on every request (an id, a frozen options object, awaited hooks).
 */
export function checkScopesBeforeSending(
  client: object,
  operationScopes: Readonly<Record<string, readonly Scope[]>>,
  requestedScopes: readonly Scope[],
): void {
  const granted = new Set(requestedScopes);
  const refusal = (method: string, path: string) => {
    const operation = `${method} ${path}`;
    const scope = operationScopes[operation]?.find((needed) => !granted.has(needed));
    return scope && Promise.reject(new MissingScopeError(scope, operation, requestedScopes));
  };
  const methods = client as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, send] of Object.entries(methods)) {
    // GET, POST, … take (path, init); request takes (method, path, init).
    if (name === "request")
      methods[name] = (method, path, init) =>
        refusal(String(method).toUpperCase(), path as string) || send(method, path, init);
    else if (/^[A-Z]+$/.test(name)) methods[name] = (path, init) => refusal(name, path as string) || send(path, init);
  }
}

/** Throwing mode: an HTTP error answer becomes the typed `APIError` subclass for its status. */
export function throwOnError(requestedScopes: readonly Scope[]): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      if (response.ok) return undefined;
      const text = await response.clone().text();
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      throw errorForResponse(
        { operation: `${request.method} ${schemaPath}`, body, requestedScopes, response },
        parseRetryAfter(response.headers.get("retry-after"), Date.now()),
      );
    },
  };
}

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
