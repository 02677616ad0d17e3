/**
 * The part of a `Deno.Kv` (what `Deno.openKv()` resolves to) that {@link createDenoKvTokenStore} uses, typed
 * structurally so the package type-checks without Deno's global types: a real `Deno.Kv` is assignable to it.
 */
export interface DenoKvLike {
  /** Reads one entry (strongly consistent by default). */
  get(key: readonly string[]): Promise<DenoKvEntryLike>;
  /** Writes one entry; `expireIn` (ms) lets Deno KV delete it after that long. */
  set(key: readonly string[], value: unknown, options?: { expireIn?: number }): Promise<unknown>;
  /** Deletes one entry. */
  delete(key: readonly string[]): Promise<unknown>;
  /** Starts an atomic operation: its checks and writes commit together, or not at all. */
  atomic(): DenoKvAtomicLike;
}

/** An entry as `Deno.Kv.get` answers it: `versionstamp` is null when the key holds nothing. */
export interface DenoKvEntryLike {
  /** The stored value, or null when there is none. */
  readonly value: unknown;
  /** The version of the entry, changed by every write; null when the key holds nothing. */
  readonly versionstamp: string | null;
}

/** The part of a `Deno.AtomicOperation` that {@link createDenoKvTokenStore} uses. */
export interface DenoKvAtomicLike {
  /** Makes the commit fail unless each key is still at `versionstamp` (null: the key holds nothing). */
  check(...checks: { key: readonly string[]; versionstamp: string | null }[]): DenoKvAtomicLike;
  /** Writes `value` at commit. */
  set(key: readonly string[], value: unknown, options?: { expireIn?: number }): DenoKvAtomicLike;
  /** Deletes `key` at commit. */
  delete(key: readonly string[]): DenoKvAtomicLike;
  /** Commits all or nothing. */
  commit(): Promise<DenoKvCommitLike>;
}

/** What `Deno.AtomicOperation.commit` answers. */
export interface DenoKvCommitLike {
  /** False when a check failed (another writer came first): then nothing was written. */
  readonly ok: boolean;
}
