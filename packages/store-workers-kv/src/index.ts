/**
 * Token stores for `@dealcloud-ts/auth` in Cloudflare Workers: {@link createWorkersKvTokenStore}, a token cache on
 * Workers KV (eventually consistent, so no lock and no shared budget), and {@link createDurableObjectTokenStore}
 * with {@link TokenCoordinatorDurableObject}, which gives every isolate one token request per scope set and one
 * token budget.
 *
 * @packageDocumentation
 */
export { createWorkersKvTokenStore, type KvNamespaceLike, type WorkersKvTokenStoreOptions } from "./kv-store.js";
export {
  createDurableObjectTokenStore,
  type DurableObjectNamespaceLike,
  type DurableObjectRequestInitLike,
  type DurableObjectResponseLike,
  type DurableObjectStubLike,
  type DurableObjectTokenStoreOptions,
} from "./durable-object-store.js";
export {
  TokenCoordinatorDurableObject,
  type DurableObjectStateLike,
  type DurableObjectStorageLike,
} from "./durable-object.js";
