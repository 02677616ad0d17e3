import type { Client, FetchResponse, MaybeOptionalInit } from "openapi-fetch";

/**
 * The client type of the throwing mode (`throwOnError: true`): the same methods as openapi-fetch's `Client`,
 * but a call that resolves always holds `data` (an error answer rejects with the typed `APIError` instead), so
 * callers need no `if (error)` or `data!`.
 */

type Method = "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace";
type MediaType = `${string}/${string}`;

/** The paths of `Paths` that have `method` (openapi-typescript marks the others `?: never`). */
type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: unknown } ? P : never;
}[keyof Paths];
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** openapi-fetch's rule: the init argument is optional exactly when nothing in it is required. */
type InitArgument<Init> =
  RequiredKeys<Init> extends never ? [(Init & { [key: string]: unknown })?] : [Init & { [key: string]: unknown }];

/** A method of the throwing client: openapi-fetch's signature, answering only the success branch. */
export type ThrowingMethod<Paths, M extends Method> = <
  Path extends PathsWith<Paths, M>,
  Init extends MaybeOptionalInit<Paths[Path & keyof Paths], M & keyof Paths[Path & keyof Paths]>,
>(
  url: Path,
  ...init: InitArgument<Init>
) => Promise<
  Extract<
    FetchResponse<
      Paths[Path & keyof Paths][M & keyof Paths[Path & keyof Paths]] & Record<string, any>,
      Init,
      MediaType
    >,
    {
      /**
       * Always set: an error answer rejects the promise instead. (Matching on `data` rather than on `error?: never`
       * narrows under plain `strict` too, not only with `exactOptionalPropertyTypes`.)
       */
      data: unknown;
    }
  >
>;

/** A typed client whose calls resolve with `{ data, response }` and reject with a typed `DealCloudError`. */
export interface ThrowingApiClient<Paths extends {}>
  extends Omit<Client<Paths>, "GET" | "PUT" | "POST" | "DELETE" | "OPTIONS" | "HEAD" | "PATCH" | "TRACE" | "request"> {
  /** Call a GET endpoint; resolves with `data`, rejects with a typed error. */
  GET: ThrowingMethod<Paths, "get">;
  /** Call a PUT endpoint; resolves with `data`, rejects with a typed error. */
  PUT: ThrowingMethod<Paths, "put">;
  /** Call a POST endpoint; resolves with `data`, rejects with a typed error. */
  POST: ThrowingMethod<Paths, "post">;
  /** Call a DELETE endpoint; resolves with `data`, rejects with a typed error. */
  DELETE: ThrowingMethod<Paths, "delete">;
  /** Call an OPTIONS endpoint; resolves with `data`, rejects with a typed error. */
  OPTIONS: ThrowingMethod<Paths, "options">;
  /** Call a HEAD endpoint; resolves with `data`, rejects with a typed error. */
  HEAD: ThrowingMethod<Paths, "head">;
  /** Call a PATCH endpoint; resolves with `data`, rejects with a typed error. */
  PATCH: ThrowingMethod<Paths, "patch">;
  /** Call a TRACE endpoint; resolves with `data`, rejects with a typed error. */
  TRACE: ThrowingMethod<Paths, "trace">;
}
