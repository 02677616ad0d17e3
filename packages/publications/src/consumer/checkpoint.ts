/**
 * Where a consumer records, per topic, the offset of the last event it has processed: the same small contract
 * style as `@dealcloud-ts/auth`'s `TokenStore`, so a Redis, KV or JSON-file adapter is a few lines. Methods may be
 * synchronous or return promises.
 *
 * The consumer calls `set` once each time the processed prefix of a topic grows (every event in auto mode; every
 * `ack()` that closes a run in manual mode), in order, and waits for it before going on. A store may write
 * through or coalesce writes; a coalescing store widens what is delivered again after a crash to the events it
 * had not written yet. Use one store (or one key prefix) per DealCloud user: sessions and acknowledgements are
 * per user, so two consumers of one user share them.
 *
 * @example Any runtime: a checkpoint in a key-value store (a JSON file in Node: guide "Following changes")
 * ```ts
 * import type { CheckpointStore } from "@dealcloud-ts/publications/consumer";
 *
 * // Workers KV, Deno KV, Redis, localStorage…: anything that keeps a string under a key.
 * declare const kv: { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<unknown> };
 *
 * function kvCheckpoint(prefix: string): CheckpointStore {
 *   return {
 *     get: async (topic) => {
 *       const saved = await kv.get(prefix + topic);
 *       return saved === null ? undefined : Number(saved);
 *     },
 *     set: (topic, offset) => kv.put(prefix + topic, String(offset)),
 *   };
 * }
 * ```
 */
export interface CheckpointStore {
  /** The offset of the last event of `topic` processed, or undefined when none was recorded. */
  get(topic: string): number | undefined | Promise<number | undefined>;
  /** Records that every event of `topic` up to and including `offset` was processed. */
  set(topic: string, offset: number): unknown;
}

/** The default {@link CheckpointStore}: synchronous, in memory, gone when the program ends. */
export interface MemoryCheckpointStore extends CheckpointStore {
  /** The offset of the last event of `topic` processed, or undefined. */
  get(topic: string): number | undefined;
  /** Records `offset` as the last event of `topic` processed. */
  set(topic: string, offset: number): void;
  /** Every recorded offset by topic: a copy, e.g. to persist at shutdown. */
  snapshot(): Record<string, number>;
}

/**
 * An in-memory checkpoint store, optionally starting from offsets saved elsewhere. Every consumer without a
 * `checkpoint` option creates its own, so duplicates are dropped within its life but not across restarts.
 *
 * @example
 * ```ts
 * import { createMemoryCheckpointStore } from "@dealcloud-ts/publications/consumer";
 *
 * const checkpoint = createMemoryCheckpointStore({ "default-data": 41 });
 * console.log(checkpoint.get("default-data")); // 41: events up to offset 41 are skipped when delivered again
 * ```
 */
export function createMemoryCheckpointStore(initial: Readonly<Record<string, number>> = {}): MemoryCheckpointStore {
  const offsets = new Map(Object.entries(initial));
  return {
    get: (topic) => offsets.get(topic),
    set: (topic, offset) => void offsets.set(topic, offset),
    snapshot: () => Object.fromEntries(offsets),
  };
}
