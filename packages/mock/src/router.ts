/**
 * Matches request paths against OpenAPI path templates (`/entrydata/rows/{entryTypeId}`). Literal segments
 * match case-insensitively, as ASP.NET routing (DealCloud's stack) does; parameters take one segment each.
 * When several templates match, the one with more literal segments wins: `POST /entrydata/get` is the cells
 * read, not a cells write to an object called "get".
 */

/** One route: an HTTP method and a path template relative to the area's base path. */
export interface RouteSpec<Handler> {
  readonly method: string;
  readonly path: string;
  readonly handle: Handler;
}

/** What a lookup found. */
export type RouteMatch<Handler> =
  | { kind: "found"; route: RouteSpec<Handler>; params: Record<string, string> }
  | { kind: "wrong-method"; allowed: string[] }
  | { kind: "not-found" };

interface Compiled<Handler> {
  readonly route: RouteSpec<Handler>;
  readonly segments: readonly string[];
  readonly literals: number;
}

const isParam = (segment: string) => segment.startsWith("{") && segment.endsWith("}");
const split = (path: string) => path.split("/").filter((segment) => segment !== "");

/** Builds a lookup over `routes`; throws on two routes with the same method and template. */
export function createRouter<Handler>(routes: readonly RouteSpec<Handler>[]) {
  const compiled: Compiled<Handler>[] = routes.map((route) => {
    const segments = split(route.path);
    return { route, segments, literals: segments.filter((segment) => !isParam(segment)).length };
  });
  const keys = new Set<string>();
  for (const { route } of compiled) {
    const key = `${route.method} ${route.path}`;
    if (keys.has(key)) throw new Error(`Duplicate mock route ${key}`);
    keys.add(key);
  }
  // Most specific first, so the first match is the best one.
  compiled.sort((a, b) => b.literals - a.literals);

  function bind(entry: Compiled<Handler>, parts: readonly string[]): Record<string, string> | undefined {
    if (entry.segments.length !== parts.length) return undefined;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const segment = entry.segments[i]!;
      const part = parts[i]!;
      if (isParam(segment)) params[segment.slice(1, -1)] = decodeURIComponent(part);
      else if (segment.toLowerCase() !== part.toLowerCase()) return undefined;
    }
    return params;
  }

  return {
    routes,
    /** Finds the route for `method` and a path relative to the base path. */
    match(method: string, path: string): RouteMatch<Handler> {
      const parts = split(path);
      const allowed: string[] = [];
      for (const entry of compiled) {
        const params = bind(entry, parts);
        if (!params) continue;
        if (entry.route.method === method) return { kind: "found", route: entry.route, params };
        allowed.push(entry.route.method);
      }
      return allowed.length > 0 ? { kind: "wrong-method", allowed } : { kind: "not-found" };
    },
  };
}
