import type { Scope, TokenManager } from "@dealcloud-ts/auth";

/** A `fetch` that takes a `Request`, as openapi-fetch calls it. */
export type RequestFetch = (request: Request) => Promise<Response>;

/** Options of {@link createAuthFetch}. */
export interface AuthFetchOptions {
  /** Where tokens come from; share one manager between clients so they share tokens. */
  tokens: TokenManager;
  /** The scopes every request's token carries. */
  scopes: Scope | readonly Scope[];
  /** The fetch that reaches the network. Default: `globalThis.fetch`, looked up on each call. */
  fetch?: RequestFetch | undefined;
}

/**
 * A `fetch` that signs every attempt with a token for `scopes`. When the API answers 401, it drops that exact
 * token (so concurrent failures cause one refresh) and replays the request once with a fresh one. Give it to
 * openapi-fetch as its `fetch`: it then runs beneath openapi-fetch's middleware, so `onResponse` sees the final
 * answer.
 *
 * @example
 * ```ts
 * import createClient from "openapi-fetch";
 * import { createTokenManager } from "@dealcloud-ts/auth";
 * import { createAuthFetch } from "@dealcloud-ts/client";
 *
 * const tokens = createTokenManager({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const client = createClient({ baseUrl: "https://yourfirm.dealcloud.com/api/rest/v4/data", fetch: createAuthFetch({ tokens, scopes: ["data"] }) });
 * ```
 */
export function createAuthFetch(options: AuthFetchOptions): RequestFetch {
  const { tokens, scopes } = options;
  const send: RequestFetch = options.fetch ?? ((request) => globalThis.fetch(request));
  const signed = async (request: Request) => {
    const token = await tokens.getToken(scopes, { signal: request.signal });
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${token.value}`);
    return { token, response: await send(new Request(request, { headers })) };
  };
  return async (request) => {
    // A body can be read once: keep a copy for the one replay a 401 may need.
    const spare = request.bodyUsed ? undefined : request.clone();
    const first = await signed(request);
    if (first.response.status !== 401 || !spare) return first.response;
    await first.response.body?.cancel();
    await tokens.invalidate(scopes, first.token.value);
    return (await signed(spare)).response;
  };
}
