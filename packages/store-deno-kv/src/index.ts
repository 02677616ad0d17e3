/**
 * A Deno KV token store for `@dealcloud-ts/auth`: every Deno process (or Deno Deploy isolate) whose token
 * managers share one KV database shares their tokens, sends one token request per scope set, and keeps within one
 * per-minute token budget and 429 pause. See {@link createDenoKvTokenStore}.
 *
 * @packageDocumentation
 */
export { createDenoKvTokenStore, type DenoKvTokenStoreOptions } from "./store.js";
export type { DenoKvAtomicLike, DenoKvCommitLike, DenoKvEntryLike, DenoKvLike } from "./deno-kv.js";
