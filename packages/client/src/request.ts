import type { Middleware, QuerySerializerOptions } from "openapi-fetch";
import { parsedAnswers } from "./answer.js";

// The request core behind every client: openapi-fetch's runtime (URL, headers, body, middleware, the answer's
// `{ data, error, response }`) rewritten small, since it was half the bundle of a one-API client. It builds and
// serialises exactly as openapi-fetch 0.17 does for the shapes the DealCloud specs use (path parameters in the
// `{name}` form, query arrays form/explode and objects deepObject by default, JSON or FormData bodies); the
// differential test in `test/request-core.test.ts` holds it to openapi-fetch's output. openapi-fetch's types stay.
// Not carried over, since no DealCloud path has them: the `{.name}`, `{;name}` and `{name*}` path templates and
// object values for path parameters (openapi-fetch's label, matrix and exploded path styles).

/** A call's answer: `{ data, response }` for a 2xx, `{ error, response }` otherwise, as openapi-fetch answers. */
export type Answer = { data?: unknown; error?: unknown; response: Response };

/** What every call of one client shares. */
export interface Core {
  /** `{baseUrl}{basePath}`, without a trailing slash. */
  readonly baseUrl: string;
  /** The client's `headers` option. */
  readonly headers: Record<string, unknown> | undefined;
  /** The middleware of `client.use()`, in order. */
  readonly middleware: Middleware[];
}

type Init = Record<string, any>;
type Params = { path?: Init; query?: Init; header?: Init };

/** One call: builds the request as openapi-fetch does, runs the middleware around `send`, reads the answer. */
export async function callApi(
  core: Core,
  method: string,
  schemaPath: string,
  init: Init,
  send: (request: Request) => Promise<Response>,
): Promise<Answer> {
  const {
    baseUrl: ownBaseUrl,
    fetch: ownFetch,
    Request: MakeRequest = Request,
    headers,
    params = {} as Params,
    parseAs = "json",
    querySerializer = {},
    bodySerializer = serializeBody,
    pathSerializer = serializePath,
    body,
    middleware: callMiddleware = [],
    ...rest
  } = init;
  // A call's own fetch replaces the transport, as it replaced openapi-fetch's (a falsy one does not).
  const fetch = ownFetch || send;
  const baseUrl = ownBaseUrl ? ownBaseUrl.replace(/\/$/, "") : core.baseUrl;
  const serializeQuery =
    typeof querySerializer === "function"
      ? querySerializer
      : (query: Init) => queryString(query, querySerializer as QuerySerializerOptions);
  const merged = mergeHeaders(core.headers, headers, params.header);
  const serialized = body === undefined ? undefined : bodySerializer(body, merged);
  const finalHeaders =
    serialized === undefined || serialized instanceof FormData
      ? merged
      : mergeHeaders({ "Content-Type": "application/json" }, core.headers, headers, params.header);
  let url = `${baseUrl}${schemaPath}`;
  if (params.path) url = pathSerializer(url, params.path);
  const search = serializeQuery(params.query ?? {}).replace(/^\?/, "");
  const request: Request = new MakeRequest(search ? `${url}?${search}` : url, {
    redirect: "follow",
    ...rest,
    method,
    body: serialized,
    headers: finalHeaders,
  });
  // openapi-fetch hands keys a Request has no place for to a custom fetch on the request itself.
  for (const key in rest) if (!(key in request)) (request as Init)[key] = rest[key];
  const middleware = [...core.middleware, ...callMiddleware] as Init[];
  if (!middleware.length) return readBody(await fetch(request), request.method, parseAs);
  // What each hook is handed, as openapi-fetch hands it; hooks may replace `request`, `error` and `response`.
  const context: Init = {
    request,
    schemaPath,
    params,
    options: Object.freeze({
      baseUrl,
      fetch,
      parseAs,
      querySerializer: serializeQuery,
      bodySerializer,
      pathSerializer,
    }),
    id: Math.random().toString(36).slice(2, 11),
  };
  let response = await runHooks(middleware, "onRequest", context, Request);
  if (!response) {
    // The hooks after the answer run last-registered first, as openapi-fetch runs them.
    const reversed = [...middleware].reverse();
    try {
      response = await fetch(context.request);
    } catch (error) {
      context.error = error;
      response = await runHooks(reversed, "onError", context, Error);
      if (!response) throw context.error;
      delete context.error;
    }
    context.response = response;
    await runHooks(reversed, "onResponse", context, Response);
    response = context.response as Response;
  }
  return readBody(response, context.request.method, parseAs);
}

/**
 * Runs one hook of each middleware in turn, as openapi-fetch does: a result of `Kind` replaces what the next
 * hook is handed (the request, the error, the answer); a Response from `onRequest` or `onError` ends the run and
 * is the answer.
 */
async function runHooks(
  list: Init[],
  hook: "onRequest" | "onError" | "onResponse",
  context: Init,
  Kind: typeof Request | typeof Response | typeof Error,
): Promise<Response | undefined> {
  // What the hook's result replaces: `onRequest` → `request`, `onError` → `error`, `onResponse` → `response`.
  const key = hook.slice(2).toLowerCase();
  for (const middleware of list) {
    if (typeof middleware?.[hook] !== "function") continue;
    const result: unknown = await middleware[hook]({ ...context });
    if (result instanceof Kind) context[key] = result;
    else if (result instanceof Response) return result;
    else if (result) throw new Error(`${hook}: return a ${Kind.name}, a Response or nothing`);
  }
  return undefined;
}

/** The answer's body as openapi-fetch reads it: `parseAs` for a 2xx, JSON if it parses (else text) for an error. */
async function readBody(response: Response, method: string, parseAs: string): Promise<Answer> {
  const length = response.headers.get("content-length");
  if (
    response.status === 204 ||
    method === "HEAD" ||
    (length === "0" && !response.headers.get("transfer-encoding")?.includes("chunked"))
  ) {
    return { [response.ok ? "data" : "error"]: undefined, response };
  }
  if (response.ok) {
    const data =
      parseAs === "stream"
        ? response.body
        : // The transport parsed its answers once already: taking that value saves parsing a large page twice.
          parseAs !== "json" || length || parsedAnswers.has(response)
          ? await (response as Init)[parseAs]()
          : await response.text().then((raw) => (raw ? JSON.parse(raw) : undefined));
    return { data, response };
  }
  let error: unknown = await response.text();
  try {
    error = JSON.parse(error as string);
  } catch {}
  return { error, response };
}

/** Headers from several sources, later ones winning: `null` deletes, an array appends each value. */
function mergeHeaders(...sources: unknown[]): Headers {
  const merged = new Headers();
  for (const source of sources) {
    if (!source || typeof source !== "object") continue;
    // Headers are iterable at run time; the DOM lib this package compiles against omits it.
    const entries =
      source instanceof Headers ? (source as unknown as Iterable<[string, string]>) : Object.entries(source);
    for (const [key, value] of entries) {
      if (value === null) merged.delete(key);
      else if (Array.isArray(value)) for (const each of value) merged.append(key, each);
      else if (value !== undefined) merged.set(key, value);
    }
  }
  return merged;
}

/** openapi-fetch's default body: FormData as is, a form-encoded body when the headers say so, else JSON. */
function serializeBody(body: unknown, headers: Headers): unknown {
  if (body instanceof FormData) return body;
  return headers.get("content-type") === "application/x-www-form-urlencoded"
    ? new URLSearchParams(body as Init).toString()
    : JSON.stringify(body);
}

/** `{name}` in the URL → the parameter, encoded (arrays joined by commas); a missing one leaves `{name}`. */
function serializePath(url: string, path: Init): string {
  return url.replace(/\{([^{}]+)\}/g, (match, name: string) => {
    const value = path[name];
    if (value == null) return match;
    return Array.isArray(value) ? value.map(encodeURIComponent).join(",") : encodeURIComponent(value);
  });
}

/**
 * The query string as openapi-fetch's default serializer writes it: arrays `form` and exploded (`a=1&a=2`),
 * objects `deepObject` (`o[k]=v`), unless `options` says otherwise; `null`, `undefined` and empty arrays left out.
 */
export function queryString(query: Init, options: QuerySerializerOptions = {}): string {
  const encode = (value: unknown) => (options.allowReserved ? value : encodeURIComponent(value as string));
  const pair = (name: string, value: unknown) => {
    if (value == null) return "";
    if (typeof value === "object") {
      throw new Error("A nested query value needs your own querySerializer.");
    }
    return `${name}=${encode(value)}`;
  };
  const parts: string[] = [];
  for (const name in query) {
    const value = query[name];
    if (value == null || (Array.isArray(value) && !value.length)) continue;
    if (Array.isArray(value)) {
      const { style, explode } = options.array ?? {};
      // openapi-fetch's own table: form (the default) and unknown styles are joined by commas.
      const joiner = { spaceDelimited: "%20", pipeDelimited: "|" }[style as string] || ",";
      parts.push(
        explode === false
          ? `${name}=${value.map(encode).join(joiner)}`
          : value.map((each) => pair(name, each)).join("&"),
      );
    } else if (typeof value === "object") {
      const { style = "deepObject", explode } = options.object ?? {};
      const keys = Object.keys(value);
      parts.push(
        style !== "deepObject" && explode === false
          ? `${name}=${keys.flatMap((key) => [key, encode(value[key])]).join(",")}`
          : keys.map((key) => pair(style === "deepObject" ? `${name}[${key}]` : key, value[key])).join("&"),
      );
    } else parts.push(pair(name, value));
  }
  return parts.join("&");
}
