import type { Client } from "openapi-fetch";
import type { ApiMethod, ApiRequestMethod, HttpMethod, RequestMethodName } from "./typed-client.js";

/**
 * A method of the throwing client: {@link ApiMethod}'s signature and init checks, answering only the success
 * branch (`data` always set).
 */
export type ThrowingMethod<Paths extends {}, M extends HttpMethod> = ApiMethod<Paths, M, true>;

/**
 * The client type of the throwing mode (`throwOnError: true`): the same methods and init checks as
 * {@link ApiClient}, but a call that resolves always holds `data` (an error answer rejects with the typed
 * `APIError` instead), so callers need no `if (error)` or `data!`.
 */
export interface ThrowingApiClient<Paths extends {}> extends Omit<Client<Paths>, RequestMethodName> {
  /** Call an endpoint by method and path, e.g. `request("get", "/user")`; resolves with `data`. */
  request: ApiRequestMethod<Paths, true>;
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
