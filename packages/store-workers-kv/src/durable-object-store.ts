import { DealCloudAuthError, type StoredToken, type TokenCoordination } from "@dealcloud-ts/auth";
import { createSharedTokenStore, type SharedTokenStore, type SharedTokenStoreOptions } from "@dealcloud-ts/auth/shared";
import { type CoordinatorCall, PROTOCOL_HEADER, PROTOCOL_VERSION } from "./protocol.js";

/**
 * The part of a Durable Object stub (`env.NAMESPACE.get(id)`) that {@link createDurableObjectTokenStore} uses,
 * typed structurally so the package type-checks without `@cloudflare/workers-types`.
 */
export interface DurableObjectStubLike {
  /** Sends a request to the object's `fetch`. */
  fetch(url: string, init: DurableObjectRequestInitLike): Promise<DurableObjectResponseLike>;
}

/** The request {@link createDurableObjectTokenStore} sends to the object: a POST of one JSON call. */
export interface DurableObjectRequestInitLike {
  /** Always `POST`. */
  method: string;
  /** The JSON content type and the protocol version. */
  headers: Record<string, string>;
  /** The call, as JSON. */
  body: string;
}

/** The part of the object's `Response` that {@link createDurableObjectTokenStore} reads. */
export interface DurableObjectResponseLike {
  /** True for a 2xx status. */
  readonly ok: boolean;
  /** The HTTP status: 200, or 400 for a call the object refused. */
  readonly status: number;
  /** The body, parsed as JSON: `{ value }`. */
  json(): Promise<unknown>;
}

/**
 * The part of a Durable Object namespace binding (`env.DEALCLOUD_TOKENS`, a `DurableObjectNamespace`) that
 * {@link createDurableObjectTokenStore} uses.
 */
export interface DurableObjectNamespaceLike {
  /** The id of the object named `name` (the same name always gives the same object). */
  idFromName(name: string): unknown;
  /** A stub of the object with id `id`. */
  get(id: never): DurableObjectStubLike;
}

/** Options of {@link createDurableObjectTokenStore}; the lock and polling options are `@dealcloud-ts/auth/shared`'s. */
export interface DurableObjectTokenStoreOptions extends SharedTokenStoreOptions {
  /**
   * The {@link TokenCoordinatorDurableObject} namespace binding, e.g. `env.DEALCLOUD_TOKENS`. The store makes a
   * stub for each call, because Workers refuse a stub made during one request in a later one: so a token manager
   * built with it can live for the isolate's life.
   */
  namespace?: DurableObjectNamespaceLike | undefined;
  /**
   * The object to use in `namespace`: one per DealCloud client id (DealCloud's budget is per user), e.g. the
   * client id itself. Required with `namespace`.
   */
  name?: string | undefined;
  /**
   * Instead of `namespace` and `name`: one stub, `env.DEALCLOUD_TOKENS.get(id)`. Workers refuse a stub made in one
   * request in a later one, so use this only with a token manager that lives for one request.
   */
  stub?: DurableObjectStubLike | undefined;
}

/** Where each call gets its stub: made from the namespace each time, or the one stub given. */
function stubSource(
  namespace: DurableObjectNamespaceLike | undefined,
  name: string | undefined,
  stub: DurableObjectStubLike | undefined,
): () => DurableObjectStubLike {
  if (namespace !== undefined) {
    if (typeof namespace?.idFromName !== "function" || typeof namespace.get !== "function")
      throw new DealCloudAuthError(
        "INVALID_OPTION",
        "namespace must be a Durable Object namespace binding (env.NAME).",
      );
    if (typeof name !== "string" || name === "")
      throw new DealCloudAuthError(
        "INVALID_OPTION",
        "createDurableObjectTokenStore needs `name` with `namespace`: the object's name, e.g. the client id.",
      );
    if (stub !== undefined)
      throw new DealCloudAuthError("INVALID_OPTION", "pass `namespace` and `name`, or `stub`: not both.");
    const id = namespace.idFromName(name);
    return () => namespace.get(id as never);
  }
  if (typeof stub?.fetch !== "function")
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "createDurableObjectTokenStore needs `namespace` and `name` (the TokenCoordinatorDurableObject binding and an object name), or a `stub`.",
    );
  return () => stub;
}

/** The URL the stub is called with: a Durable Object's `fetch` needs one, and only its body matters here. */
const COORDINATOR_URL = "https://token-coordinator.invalid/";

/**
 * A token store whose tokens, locks and budget live in one {@link TokenCoordinatorDurableObject}, so every isolate
 * and location of a Worker acts as one token manager: one token request per scope set per token lifetime
 * whatever the concurrency (the other isolates read the winner's token), one per-minute budget and 429 pause for
 * all. A Durable Object runs one instance at a time with storage that never interleaves requests, so its lock and
 * budget are exact, unlike Workers KV's (see {@link createWorkersKvTokenStore}). Each store call is one request
 * to the object (a few ms in the same location, more from far away); when the object cannot be reached the
 * managers carry on per isolate, with a warning.
 *
 * @example
 * ```ts
 * import { createTokenManager, type TokenManager } from "@dealcloud-ts/auth";
 * import { createDurableObjectTokenStore, type DurableObjectNamespaceLike } from "@dealcloud-ts/store-workers-kv";
 *
 * // The Worker's main module must also export the class: see TokenCoordinatorDurableObject.
 * export { TokenCoordinatorDurableObject } from "@dealcloud-ts/store-workers-kv";
 *
 * interface Env {
 *   DEALCLOUD_TOKENS: DurableObjectNamespaceLike; // the binding of TokenCoordinatorDurableObject
 *   DEALCLOUD_CLIENT_ID: string;
 *   DEALCLOUD_CLIENT_SECRET: string;
 * }
 * let tokens: TokenManager | undefined; // one manager per isolate
 * export default {
 *   async fetch(request: Request, env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }): Promise<Response> {
 *     tokens ??= createTokenManager({
 *       baseUrl: "yourfirm.dealcloud.com",
 *       clientId: env.DEALCLOUD_CLIENT_ID,
 *       clientSecret: env.DEALCLOUD_CLIENT_SECRET,
 *       // One object per client id: DealCloud's budget is per user.
 *       store: createDurableObjectTokenStore({ namespace: env.DEALCLOUD_TOKENS, name: env.DEALCLOUD_CLIENT_ID }),
 *     });
 *     // waitUntil per call: a refresh this request starts outlives its answer (one manager, many requests).
 *     const token = await tokens.getToken("data", { waitUntil: ctx.waitUntil.bind(ctx) });
 *     return new Response(`token for ${token.scopes.join(" ")}`);
 *   },
 * };
 * ```
 */
export function createDurableObjectTokenStore(options: DurableObjectTokenStoreOptions): SharedTokenStore {
  const { namespace, name, stub, ...shared } = options ?? ({} as DurableObjectTokenStoreOptions);
  const stubOf = stubSource(namespace, name, stub);
  async function call(body: CoordinatorCall): Promise<unknown> {
    const response = await stubOf().fetch(COORDINATOR_URL, {
      method: "POST",
      headers: { "content-type": "application/json", [PROTOCOL_HEADER]: PROTOCOL_VERSION },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      throw new DealCloudAuthError(
        "SERVER_ERROR",
        `The token coordinator Durable Object answered ${response.status} to ${body.op}.`,
        { status: response.status },
      );
    }
    return ((await response.json()) as { value?: unknown } | null)?.value;
  }
  const answer =
    <T>(op: string, ok: (value: unknown) => value is T) =>
    (value: unknown): T => {
      if (ok(value)) return value;
      throw new DealCloudAuthError(
        "SERVER_ERROR",
        `The token coordinator Durable Object answered ${op} without a usable value.`,
      );
    };
  const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
  const isNumber = (value: unknown): value is number => typeof value === "number" && value >= 0;

  const coordination: TokenCoordination = {
    acquire: (key, owner, ttlMs) => call({ op: "acquire", key, owner, ttlMs }).then(answer("acquire", isBoolean)),
    release: (key, owner) => call({ op: "release", key, owner }),
    extend: (key, owner, ttlMs) => call({ op: "extend", key, owner, ttlMs }).then(answer("extend", isBoolean)),
    take: (key, limit, windowMs, now) => call({ op: "take", key, limit, windowMs, now }).then(answer("take", isNumber)),
    pause: (key, until) => call({ op: "pause", key, until }),
  };
  const tokens = {
    get: async (key: string) => ((await call({ op: "get", key })) as StoredToken | null) ?? undefined,
    set: (key: string, token: StoredToken, ttlMs: number) => call({ op: "set", key, token, ttlMs }),
    delete: (key: string) => call({ op: "delete", key }),
  };
  return createSharedTokenStore(tokens, coordination, shared);
}
