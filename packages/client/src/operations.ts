import { parseRetryAfter, type Scope } from "@dealcloud-ts/auth";
import type { Middleware } from "openapi-fetch";
import type { RequestFetch, TransportCallOptions } from "./auth-fetch.js";
import type { ApiDescriptor } from "./descriptor.js";
import { errorForResponse, MissingScopeError } from "./errors.js";
import { type Answer, callApi, type Core } from "./request.js";

/** Throwing mode: an HTTP error answer becomes the typed `APIError` subclass for its status. */
function throwIfError(result: Answer, operation: string, requestedScopes: readonly Scope[]): Answer {
  const { response, error } = result;
  if (response.ok) return result;
  throw errorForResponse(
    { operation, body: error === "" ? undefined : error, requestedScopes, response },
    parseRetryAfter(response.headers.get("retry-after"), Date.now()),
  );
}

/** The margin a long poll's attempt gets beyond the time the server may hold it open. */
const WAIT_MARGIN_MS = 15_000;

/** The request methods of a client, as openapi-fetch names them. */
const METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"];

/**
 * The client object: openapi-fetch's request methods (`GET`, …, `request`) and `use`/`eject`, with what the API
 * descriptor knows of each operation (keyed `"METHOD /path"`, the path as written in the call): an operation
 * that needs a scope outside `requestedScopes` rejects with `MissingScopeError` before anything is built or
 * sent; the transport learns whether the operation is idempotent (so whether it may be retried) and its time
 * limit (the call's `timeoutMs`, or a long poll's own wait plus a margin).
 */
export function createClientObject(
  api: Pick<ApiDescriptor, "scopes" | "operationScopes" | "idempotentOperations" | "waitFields">,
  requestedScopes: readonly Scope[],
  transport: RequestFetch,
  throwing: boolean | undefined,
  baseUrl: string,
  headers: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const middleware: Middleware[] = [];
  const core: Core = { baseUrl: baseUrl.replace(/\/$/, ""), headers, middleware };
  const send = (method: string, path: string, init: Record<string, unknown> | undefined | null) => {
    init ??= {};
    const key = `${method} ${path}`;
    const missing = (api.operationScopes?.[key] ?? api.scopes).find((needed) => !requestedScopes.includes(needed));
    if (missing) return Promise.reject(new MissingScopeError(missing, key, requestedScopes));
    const waitField = api.waitFields?.[key];
    const waited = waitField && (init.body as Record<string, unknown> | undefined)?.[waitField];
    const call: TransportCallOptions = {
      // The descriptor lists the idempotent operations beyond GET, HEAD and OPTIONS, which always are.
      idempotent: api.idempotentOperations?.includes(key) || undefined,
      timeoutMs:
        (init.timeoutMs as number | undefined) ?? (typeof waited === "number" ? waited + WAIT_MARGIN_MS : undefined),
    };
    const fetch = (request: Request) => transport(request, call);
    const answer = callApi(core, method, path, init, fetch);
    return throwing ? answer.then((result) => throwIfError(result, key, requestedScopes)) : answer;
  };
  const client: Record<string, unknown> = {
    request: (method: string, path: string, init?: Record<string, unknown>) => send(method.toUpperCase(), path, init),
    /** Adds middleware (openapi-fetch's `onRequest`, `onResponse`, `onError` hooks) to every later call. */
    use(...added: Middleware[]) {
      for (const each of added) {
        if (!each) continue;
        if (typeof each !== "object" || !("onRequest" in each || "onResponse" in each || "onError" in each)) {
          throw new Error("Middleware must have onRequest, onResponse or onError");
        }
        middleware.push(each);
      }
    },
    /** Removes middleware added by `use`. */
    eject(...removed: Middleware[]) {
      for (const each of removed) {
        const at = middleware.indexOf(each);
        if (at !== -1) middleware.splice(at, 1);
      }
    },
  };
  for (const method of METHODS)
    client[method] = (path: string, init?: Record<string, unknown>) => send(method, path, init);
  return client;
}
