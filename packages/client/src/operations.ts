import { parseRetryAfter, type Scope } from "@dealcloud-ts/auth";
import type { TransportCallOptions, RequestFetch } from "./auth-fetch.js";
import type { ApiDescriptor } from "./descriptor.js";
import { errorForResponse, MissingScopeError } from "./errors.js";

type Answer = { error?: unknown; response: Response };

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

/**
 * Wraps `client`'s request methods with what the API descriptor knows of each operation (keyed `"METHOD /path"`,
 * the path as written in the call): an operation that needs a scope outside `requestedScopes` rejects with
 * `MissingScopeError` before anything is built or sent; the transport learns whether the operation is idempotent
 * (so whether it may be retried) and its time limit (the call's `timeoutMs`, or a long poll's own wait plus a
 * margin). A wrapper rather than an openapi-fetch middleware: having any middleware costs openapi-fetch work on
 * every request (an id, a frozen options object, awaited hooks).
 */
export function wrapOperations(
  client: object,
  api: Pick<ApiDescriptor, "operationScopes" | "idempotentOperations" | "waitFields">,
  requestedScopes: readonly Scope[],
  transport: RequestFetch,
  throwing: boolean | undefined,
): void {
  const granted = new Set(requestedScopes);
  const idempotent = new Set(api.idempotentOperations);
  type Operation = {
    missing: Scope | undefined;
    fetch: (request: Request) => Promise<Response>;
    call: TransportCallOptions;
  };
  const operations = new Map<string, Operation>();
  const operationOf = (key: string): Operation => {
    let operation = operations.get(key);
    if (!operation) {
      // The descriptor lists the idempotent operations beyond GET, HEAD and OPTIONS, which always are.
      const call = { idempotent: idempotent.has(key) || undefined };
      operation = {
        missing: api.operationScopes[key]?.find((needed) => !granted.has(needed)),
        fetch: (request) => transport(request, call),
        call,
      };
      operations.set(key, operation);
    }
    return operation;
  };
  const send = (
    method: string,
    path: string,
    init: Record<string, unknown> | undefined,
    run: (init: unknown) => unknown,
  ) => {
    const key = `${method} ${path}`;
    const operation = operationOf(key);
    if (operation.missing) return Promise.reject(new MissingScopeError(operation.missing, key, requestedScopes));
    const waitField = api.waitFields?.[key];
    const waited = waitField && (init?.body as Record<string, unknown> | undefined)?.[waitField];
    const timeoutMs = init?.timeoutMs ?? (typeof waited === "number" ? waited + WAIT_MARGIN_MS : undefined);
    const fetch =
      timeoutMs === undefined
        ? operation.fetch
        : (request: Request) => transport(request, { ...operation.call, timeoutMs: timeoutMs as number });
    const answer = run(init?.fetch ? init : { ...init, fetch });
    return throwing ? (answer as Promise<Answer>).then((result) => throwIfError(result, key, requestedScopes)) : answer;
  };
  const methods = client as Record<string, (...args: unknown[]) => unknown>;
  for (const [name, original] of Object.entries(methods)) {
    // GET, POST, … take (path, init); request takes (method, path, init).
    if (name === "request") {
      methods[name] = (method, path, init) =>
        send(String(method).toUpperCase(), path as string, init as Record<string, unknown>, (i) =>
          original(method, path, i),
        );
    } else if (/^[A-Z]+$/.test(name)) {
      methods[name] = (path, init) =>
        send(name, path as string, init as Record<string, unknown>, (i) => original(path, i));
    }
  }
}
