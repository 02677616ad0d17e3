import { DealCloudAuthError, type StoredToken, type TokenCoordination } from "@dealcloud-ts/auth";
import { createSharedTokenStore, type SharedTokenStore, type SharedTokenStoreOptions } from "@dealcloud-ts/auth/shared";
import { type CoordinatorCall, PROTOCOL_HEADER, PROTOCOL_VERSION } from "./protocol.js";

/**
 * The part of a Durable Object stub (`env.NAMESPACE.get(id)`) that {@link createDurableObjectTokenStore} uses,
 * typed structurally so the package type-checks without `@cloudflare/workers-types`.
 */
export interface DurableObjectStubLike {
  /** Sends a request to the object's `fetch`. */
  fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ): Promise<{ readonly ok: boolean; readonly status: number; json(): Promise<unknown> }>;
}

/** Options of {@link createDurableObjectTokenStore}; the lock and polling options are `@dealcloud-ts/auth/shared`'s. */
export interface DurableObjectTokenStoreOptions extends SharedTokenStoreOptions {
  /**
   * A stub of the {@link TokenCoordinatorDurableObject} for this client id:
   * `env.DEALCLOUD_TOKENS.get(env.DEALCLOUD_TOKENS.idFromName(clientId))`.
   */
  stub: DurableObjectStubLike;
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
 * import { createDurableObjectTokenStore, type DurableObjectStubLike } from "@dealcloud-ts/store-workers-kv";
 *
 * // The Worker's main module must also export the class: see TokenCoordinatorDurableObject.
 * export { TokenCoordinatorDurableObject } from "@dealcloud-ts/store-workers-kv";
 *
 * interface Env {
 *   // A Durable Object namespace binding (DurableObjectNamespace) of TokenCoordinatorDurableObject.
 *   DEALCLOUD_TOKENS: { idFromName(name: string): unknown; get(id: unknown): DurableObjectStubLike };
 *   DEALCLOUD_CLIENT_ID: string;
 *   DEALCLOUD_CLIENT_SECRET: string;
 * }
 * let tokens: TokenManager | undefined; // one manager per isolate
 * export default {
 *   async fetch(request: Request, env: Env): Promise<Response> {
 *     tokens ??= createTokenManager({
 *       baseUrl: "yourfirm.dealcloud.com",
 *       clientId: env.DEALCLOUD_CLIENT_ID,
 *       clientSecret: env.DEALCLOUD_CLIENT_SECRET,
 *       store: createDurableObjectTokenStore({
 *         stub: env.DEALCLOUD_TOKENS.get(env.DEALCLOUD_TOKENS.idFromName(env.DEALCLOUD_CLIENT_ID)),
 *       }),
 *     });
 *     const token = await tokens.getToken("data");
 *     return new Response(`token for ${token.scopes.join(" ")}`);
 *   },
 * };
 * ```
 */
export function createDurableObjectTokenStore(options: DurableObjectTokenStoreOptions): SharedTokenStore {
  const { stub, ...shared } = options ?? ({} as Partial<DurableObjectTokenStoreOptions>);
  if (typeof stub?.fetch !== "function") {
    throw new DealCloudAuthError(
      "INVALID_OPTION",
      "createDurableObjectTokenStore needs `stub`: a stub of the TokenCoordinatorDurableObject (env.NAMESPACE.get(id)).",
    );
  }
  async function call(body: CoordinatorCall): Promise<unknown> {
    const response = await stub.fetch(COORDINATOR_URL, {
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
