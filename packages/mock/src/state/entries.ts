import type { EntryType, Field } from "./schema.js";

/**
 * One entry (record). `values` holds the stored value of each field at the field's `index`, in the mock's
 * internal encoding (see `values.ts`): text as a string, numbers as numbers, dates as epoch ms, choice,
 * reference and user values as ids (arrays for multi-value fields); `undefined` means no data.
 */
export interface Entry {
  readonly id: number;
  readonly type: EntryType;
  readonly values: unknown[];
  createdAt: number;
  createdBy: number;
  modifiedAt: number;
  modifiedBy: number;
  deleted: boolean;
}

/** A deleted entry, as history reads report it (catalogue §3.5). */
export interface Tombstone {
  readonly id: number;
  readonly name: string;
  readonly entryListId: number;
  readonly deletedAt: number;
  /** The entry it was merged into, when it disappeared through a merge. */
  readonly mergedEntryId?: number;
}

/** One past value, recorded when a write replaces it (for `getHistoricalData`). */
export interface ValueChange {
  readonly entryId: number;
  readonly fieldId: number;
  /** The value before the change (internal encoding). */
  readonly previous: unknown;
  readonly at: number;
  readonly by: number;
}

/**
 * A change to entries, announced to subscribers (the Publications area turns these into events). `format`
 * says which API family wrote it: DealCloud's events differ for Rows and Cells writes (catalogue §6.1).
 */
export type EntryChange =
  | {
      kind: "created" | "updated";
      type: EntryType;
      entries: readonly Entry[];
      fields: readonly Field[];
      format: "Rows" | "Cells";
      userId: number;
      at: number;
    }
  | { kind: "deleted"; type: EntryType; tombstones: readonly Tombstone[]; userId: number; at: number };

/** The entries of every object, with history and change notifications. */
export interface EntryStore {
  get(id: number): Entry | undefined;
  /** Live entries of a type, in id order (the array is the store's own: do not modify). */
  list(type: EntryType): readonly Entry[];
  /** The entry's name: the value of its type's name field. */
  nameOf(entry: Entry): string;
  /** Creates an entry with the next id. */
  create(type: EntryType, values: unknown[], userId: number, at: number): Entry;
  /** Sets field values (by field index), recording the previous ones. */
  update(entry: Entry, changes: ReadonlyMap<number, unknown>, userId: number, at: number): void;
  /** Deletes an entry, leaving a tombstone. */
  remove(entry: Entry, at: number, mergedEntryId?: number): Tombstone;
  tombstones(type: EntryType): readonly Tombstone[];
  readonly valueChanges: readonly ValueChange[];
  /** Announces a change to subscribers. */
  emit(change: EntryChange): void;
  /** Calls `listener` for every change; returns the unsubscribe function. */
  subscribe(listener: (change: EntryChange) => void): () => void;
  /** Adds entries without announcing them (seeding); `values(id)` gives each entry's values. */
  bulkAdd(type: EntryType, count: number, values: (id: number, n: number) => unknown[], at: number, by: number): void;
  reset(): void;
}

/** Sets the `CreatedDate` and `ModifiedDate` system fields (stored like other dates, as epoch ms). */
function stamp(type: EntryType, values: unknown[], createdAt: number, modifiedAt: number): unknown[] {
  values[type.createdField.index] = createdAt;
  values[type.modifiedField.index] = modifiedAt;
  return values;
}

/** Entry ids start here so they look like DealCloud's 7-digit ids and never collide with field or object ids. */
const FIRST_ENTRY_ID = 5_000_001;

interface Table {
  live: Entry[];
  /** Entries were deleted since `live` was last compacted. */
  dirty: boolean;
  tombstones: Tombstone[];
}

export function createEntryStore(): EntryStore {
  let byId = new Map<number, Entry>();
  let tables = new Map<number, Table>();
  let changes: ValueChange[] = [];
  let nextId = FIRST_ENTRY_ID;
  const listeners = new Set<(change: EntryChange) => void>();

  function table(type: EntryType): Table {
    let found = tables.get(type.id);
    if (!found) tables.set(type.id, (found = { live: [], dirty: false, tombstones: [] }));
    return found;
  }

  const store: EntryStore = {
    get: (id) => byId.get(id),
    list(type) {
      const found = table(type);
      if (found.dirty) {
        found.live = found.live.filter((entry) => !entry.deleted);
        found.dirty = false;
      }
      return found.live;
    },
    nameOf: (entry) => {
      const name = entry.values[entry.type.nameField.index];
      return typeof name === "string" ? name : "";
    },
    create(type, values, userId, at) {
      stamp(type, values, at, at);
      const entry: Entry = {
        id: nextId++,
        type,
        values,
        createdAt: at,
        createdBy: userId,
        modifiedAt: at,
        modifiedBy: userId,
        deleted: false,
      };
      byId.set(entry.id, entry);
      table(type).live.push(entry);
      return entry;
    },
    update(entry, updates, userId, at) {
      for (const [index, value] of updates) {
        changes.push({
          entryId: entry.id,
          fieldId: entry.type.fields[index]!.id,
          previous: entry.values[index],
          at,
          by: userId,
        });
        entry.values[index] = value;
      }
      entry.modifiedAt = at;
      entry.modifiedBy = userId;
      entry.values[entry.type.modifiedField.index] = at;
    },
    remove(entry, at, mergedEntryId) {
      entry.deleted = true;
      byId.delete(entry.id);
      const found = table(entry.type);
      found.dirty = true;
      const tombstone: Tombstone = {
        id: entry.id,
        name: store.nameOf(entry),
        entryListId: entry.type.id,
        deletedAt: at,
        ...(mergedEntryId !== undefined ? { mergedEntryId } : {}),
      };
      found.tombstones.push(tombstone);
      return tombstone;
    },
    tombstones: (type) => table(type).tombstones,
    get valueChanges() {
      return changes;
    },
    emit(change) {
      for (const listener of listeners) listener(change);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    bulkAdd(type, count, values, at, by) {
      const live = table(type).live;
      for (let n = 0; n < count; n++) {
        const id = nextId++;
        const entry: Entry = {
          id,
          type,
          values: stamp(type, values(id, n), at, at),
          createdAt: at,
          createdBy: by,
          modifiedAt: at,
          modifiedBy: by,
          deleted: false,
        };
        byId.set(id, entry);
        live.push(entry);
      }
    },
    reset() {
      byId = new Map();
      tables = new Map();
      changes = [];
      nextId = FIRST_ENTRY_ID;
    },
  };
  return store;
}
