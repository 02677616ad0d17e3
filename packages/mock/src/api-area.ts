import type { Area, SiteContext } from "./area.js";
import { json } from "./http.js";
import { MockHttpError } from "./http-error.js";
import { createRouter, type RouteSpec } from "./router.js";
import type { IssuedToken, MockRoute } from "./types.js";

/** One API request as a route handler sees it, after authentication, scope and `As-User` checks. */
export interface ApiCall {
  readonly request: Request;
  readonly url: URL;
  /** Path parameters by template name, URL-decoded. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** The token the request carried. */
  readonly token: IssuedToken;
  /**
   * The DealCloud user the request acts for: the `As-User` principal when the header is honoured, otherwise the
   * token's own user (DealCloud's client id is the user id). Undefined for a client id that is not a number.
   */
  readonly userId: number | undefined;
  /**
   * `"METHOD /template"`, as the descriptors key operations (the path template as in the spec), e.g.
   * `"GET /entrydata/rows/{entryTypeId}"`.
   */
  readonly operation: string;
  /** The JSON body; a 400 `{ message }` when it is missing or malformed. */
  json(): Promise<unknown>;
}

/** A route handler: answers one call, or throws `MockHttpError` to refuse it. */
export type ApiHandler = (call: ApiCall) => Response | Promise<Response>;

/** How to build one API area (Data, Schema, User Management, ...). */
export interface ApiAreaDefinition {
  /** The area's name, as faults target it. */
  readonly route: MockRoute;
  /** The base path under the site root, e.g. `/api/rest/v4/data`. */
  readonly basePath: string;
  /** Other base paths that reach the same operations (the RI Import API's v1 and v4 prefixes). */
  readonly alternateBasePaths?: readonly string[];
  /** The token scope every operation of the area needs (DealCloud token docs). */
  readonly scope: string;
  /** The operations, with paths relative to `basePath` as in the OpenAPI documents. */
  readonly routes: readonly RouteSpec<ApiHandler>[];
  /** Honour the `As-User` impersonation header (the Data API does: DealCloud Data API docs). */
  readonly asUser?: boolean;
  /** Site rules checked after authentication and before the route (rate limits, URL length); throw to refuse. */
  admit?(call: ApiCall): void;
  /** Forgets the area's own state (site-wide state is reset by the site). */
  reset?(): void;
  /** Ends the server-side session of a client (the `endSession` fault), for areas that keep sessions. */
  endSession?(token: IssuedToken): void;
}

/** An area built from a definition: an `Area` that also lists its operations. */
export interface ApiArea extends Area {
  /** `"METHOD /template"` of every operation served. */
  readonly operations: readonly string[];
  readonly basePath: string;
}

/** The token's user: DealCloud's `client_id` is the user id (DealCloud token docs). */
export function tokenUserId(token: IssuedToken): number | undefined {
  return /^\d+$/.test(token.clientId) ? Number(token.clientId) : undefined;
}

/**
 * Builds an API area: routing (404/405), bearer authentication (401), the scope check (403 with DealCloud's
 * hint), `As-User` (401 unless the token's user holds proxy access), the area's own rules, then the route.
 */
export function createApiArea(definition: ApiAreaDefinition, context: SiteContext): ApiArea {
  const router = createRouter(definition.routes);
  const bases = [definition.basePath, ...(definition.alternateBasePaths ?? [])].map((path) => path.toLowerCase());

  /** The path after the base path, or undefined when the request is not for this area. */
  function relative(pathname: string): string | undefined {
    const lower = pathname.toLowerCase();
    for (const base of bases) {
      const index = lower.indexOf(base);
      if (index < 0) continue;
      const rest = pathname.slice(index + base.length);
      if (rest === "" || rest.startsWith("/")) return rest;
    }
    return undefined;
  }

  function operationOf(request: Request): string | undefined {
    const rest = relative(new URL(request.url).pathname);
    if (rest === undefined) return undefined;
    const found = router.match(request.method, rest);
    return found.kind === "found" ? `${found.route.method} ${found.route.path}` : undefined;
  }

  async function handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const rest = relative(url.pathname) ?? "";
    const found = router.match(request.method, rest);
    if (found.kind === "not-found") {
      return json(404, { message: `The mock DealCloud site has no route ${request.method} ${url.pathname}.` });
    }
    if (found.kind === "wrong-method") {
      return json(
        405,
        { message: `${url.pathname} does not take ${request.method}.` },
        { allow: found.allowed.join(", ") },
      );
    }
    const auth = context.tokens.authenticate(request.headers.get("authorization"));
    if (!auth.ok) return json(401, { message: auth.message });
    const { token } = auth;
    if (!token.scopes.includes(definition.scope)) {
      // DealCloud token docs: a 403 "most likely" means a missing scope or user-group permission.
      return json(403, {
        message:
          `The access token lacks the "${definition.scope}" scope this API needs (it has: ${token.scopes.join(" ") || "none"}). ` +
          "Request the scope, and check that the user's group has the API capability.",
      });
    }
    let userId = tokenUserId(token);
    const asUser = request.headers.get("as-user");
    if (definition.asUser && asUser !== null) {
      // DealCloud Data API docs: only user ids; only principals the caller holds proxy access to; else 401.
      const principal = /^\s*\d+\s*$/.test(asUser) ? Number(asUser) : undefined;
      if (principal === undefined || userId === undefined || !context.users.canActAs(userId, principal)) {
        return json(401, { message: "As-User must be the id of a user you hold proxy access to." });
      }
      userId = principal;
    }
    let parsed: Promise<unknown> | undefined;
    const call: ApiCall = {
      request,
      url,
      params: found.params,
      query: url.searchParams,
      token,
      userId,
      operation: `${found.route.method} ${found.route.path}`,
      json: () => (parsed ??= readJson(request)),
    };
    try {
      definition.admit?.(call);
      return await found.route.handle(call);
    } catch (error) {
      if (error instanceof MockHttpError) return error.toResponse();
      throw error;
    }
  }

  return {
    route: definition.route,
    basePath: definition.basePath,
    operations: definition.routes.map((route) => `${route.method} ${route.path}`),
    matches: (pathname) => relative(pathname) !== undefined,
    operation: operationOf,
    handle,
    // Only the token endpoint keeps a record of requests (for `tokenRequests`); API calls are not recorded.
    async recordFault() {},
    reset: () => definition.reset?.(),
    endSession(request) {
      const auth = context.tokens.authenticate(request.headers.get("authorization"));
      if (auth.ok) definition.endSession?.(auth.token);
    },
  };
}

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (text.trim() === "") throw new MockHttpError(400, "The request body is empty: send JSON.");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MockHttpError(400, "The request body is not valid JSON.");
  }
}
