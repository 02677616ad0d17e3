import type { Client, ClientPathsWithMethod, FetchOptions, FetchResponse, MaybeOptionalInit } from "openapi-fetch";

// Types only: the runtime is the in-house request core (request.ts), which behaves as openapi-fetch's. What
// changes is the init argument of every request method: openapi-fetch infers `Init` from the argument and then
// adds `& { [key: string]: unknown }`, so a misspelt key (`header:` for `headers:`, which silently drops
// `As-User`) compiles. Here each key of the inferred init that is not a known one is typed `never`, so the error
// names the bad key. The signatures otherwise mirror openapi-fetch's, which keeps inference of `data` and `error`
// as it is (the type tests compare the two).

/** The HTTP methods openapi-fetch has a request method for (lower case, as in the OpenAPI paths). */
export type HttpMethod = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type MediaType = `${string}/${string}`;

/** Options this SDK adds to every call, next to openapi-fetch's (`params`, `body`, `headers`, `signal`, …). */
export interface CallOptions {
  /** This call's per-attempt time limit in ms, overriding the client's `timeoutMs`. */
  timeoutMs?: number | undefined;
}

/** The paths of `Paths` that have `method` (openapi-typescript marks the others `?: never`). */
export type PathsWith<Paths extends {}, M extends HttpMethod> = ClientPathsWithMethod<Client<Paths>, M>;

/** The OpenAPI path item of `path`. */
type PathItem<Paths, Path> = Paths[Path & keyof Paths];

/** Every key a call's init may carry: openapi-fetch's (with each `RequestInit` key) and {@link CallOptions}. */
export type CallInit<Paths, Path, M> = FetchOptions<PathItem<Paths, Path>[M & keyof PathItem<Paths, Path>]> &
  CallOptions;

// openapi-typescript-helpers' `RequiredKeysOf` (not a dependency of ours, so spelt out here).
type RequiredKeysOfHelper<T> = { [K in keyof T]: {} extends Pick<T, K> ? never : K }[keyof T];
type RequiredKeysOf<T> = RequiredKeysOfHelper<T> extends undefined ? never : RequiredKeysOfHelper<T>;

/** `Init` with every key outside `Allowed` typed `never`: `header: {…}` fails with the name `header` in the error. */
export type NoExtraKeys<Init, Allowed> = Init & { [K in Exclude<keyof Init, keyof Allowed>]: never };

/**
 * The rest parameter holding the init: optional exactly when nothing in it is required (openapi-fetch's rule),
 * and never with an unknown key.
 */
type InitArgument<Init, Allowed> =
  RequiredKeysOf<Init> extends never ? [NoExtraKeys<Init, Allowed>?] : [NoExtraKeys<Init, Allowed>];

/** What openapi-fetch answers for `Init` on `path`: `{ data, response }` or `{ error, response }`. */
export type CallResponse<Paths, Path, M, Init> = FetchResponse<
  PathItem<Paths, Path>[M & keyof PathItem<Paths, Path>] & Record<string, any>,
  Init,
  MediaType
>;

/** The success branch of an answer: what a call of the throwing mode resolves with (an error answer rejects). */
export type Resolved<Response> = Extract<
  Response,
  {
    /**
     * Always set: an error answer rejects the promise instead. (Matching on `data` rather than on `error?: never`
     * narrows under plain `strict` too, not only with `exactOptionalPropertyTypes`.)
     */
    data: unknown;
  }
>;

/** The answer of a call: openapi-fetch's union, or only its success branch when `Throwing`. */
type Answer<Response, Throwing extends boolean> = Throwing extends true ? Resolved<Response> : Response;

/**
 * A request method (`GET`, `POST`, …) of {@link ApiClient} (or, when `Throwing`, of the throwing mode's client):
 * openapi-fetch's signature, refusing unknown init keys.
 */
export type ApiMethod<Paths extends {}, M extends HttpMethod, Throwing extends boolean = false> = <
  Path extends PathsWith<Paths, M>,
  Init extends MaybeOptionalInit<PathItem<Paths, Path>, M & keyof PathItem<Paths, Path>> & CallOptions,
>(
  url: Path,
  ...init: InitArgument<Init, CallInit<Paths, Path, M>>
) => Promise<Answer<CallResponse<Paths, Path, M, Init>, Throwing>>;

/** `request(method, path, init)` of {@link ApiClient}: the method as a lower-case argument. */
export type ApiRequestMethod<Paths extends {}, Throwing extends boolean = false> = <
  M extends HttpMethod,
  Path extends PathsWith<Paths, M>,
  Init extends MaybeOptionalInit<PathItem<Paths, Path>, M & keyof PathItem<Paths, Path>> & CallOptions,
>(
  method: M,
  url: Path,
  ...init: InitArgument<Init, CallInit<Paths, Path, M>>
) => Promise<Answer<CallResponse<Paths, Path, M, Init>, Throwing>>;

/** The request methods both client types redefine; the rest (`use`, `eject`) are openapi-fetch's. */
export type RequestMethodName = "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" | "request";

/**
 * A typed openapi-fetch client for one API: `GET`, `POST`, … on the API's paths, plus `use()` for middleware.
 * Answers are openapi-fetch's `{ data, error, response }`. An init key that is neither openapi-fetch's (`params`,
 * `body`, `headers`, `parseAs`, …), a `RequestInit` key (`signal`, `cache`, …) nor a {@link CallOptions} key is a
 * compile error, so `header:` for `headers:` cannot silently drop a header.
 */
export interface ApiClient<Paths extends {}> extends Omit<Client<Paths>, RequestMethodName> {
  /** Call an endpoint by method and path, e.g. `request("get", "/user")`. */
  request: ApiRequestMethod<Paths>;
  /** Call a GET endpoint. */
  GET: ApiMethod<Paths, "get">;
  /** Call a PUT endpoint. */
  PUT: ApiMethod<Paths, "put">;
  /** Call a POST endpoint. */
  POST: ApiMethod<Paths, "post">;
  /** Call a DELETE endpoint. */
  DELETE: ApiMethod<Paths, "delete">;
  /** Call an OPTIONS endpoint. */
  OPTIONS: ApiMethod<Paths, "options">;
  /** Call a HEAD endpoint. */
  HEAD: ApiMethod<Paths, "head">;
  /** Call a PATCH endpoint. */
  PATCH: ApiMethod<Paths, "patch">;
  /** Call a TRACE endpoint. */
  TRACE: ApiMethod<Paths, "trace">;
}
