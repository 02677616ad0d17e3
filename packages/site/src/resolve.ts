// Turns rows keyed by apiNames or display names, with names for choice, reference and user values, into rows of
// ids. Choice and user names come from the model (refreshed once on a miss); reference names are looked up in
// their target objects, exactly the names used, in chunks.
import { InvalidArgumentError } from "@dealcloud-ts/data";
import { AmbiguousKeyError, UnknownNameError, type UnknownValue } from "./errors.js";
import { lookupRows } from "./lookup.js";
import type { SiteEntryType, SiteField, SiteModel } from "./model.js";
import { closestNames, unescapeHtml } from "./names.js";

/** What {@link resolveRows} needs. */
export interface ResolveJob {
  readonly entryType: SiteEntryType;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /** The model, and a way to reload it once when a name is not found. */
  readonly model: SiteModel;
  readonly refresh: () => Promise<SiteModel>;
  readonly data: unknown;
  readonly chunkSize: number;
  readonly onUnknown: "error" | "skip-field";
  readonly signal?: AbortSignal | undefined;
  /** Counts lookup requests (exact names) and suggestion requests (only for names not found). */
  readonly count: { lookups: number; suggestions: number };
}

/** A value left out of its row by `onUnknown: "skip-field"`. */
export interface SkippedValue {
  /** The row's index in the input. */
  readonly index: number;
  /** The field's apiName. */
  readonly field: string;
  /** The value as given. */
  readonly value: unknown;
  /** Why: the names not found and the closest ones. */
  readonly error: UnknownNameError;
}

/** Rows of ids, or why a row could not be resolved. */
export interface ResolvedRows {
  /** Per input index: the row keyed by apiName with ids, or the error that keeps it from being written. */
  readonly rows: readonly (Record<string, unknown> | Error)[];
  /** Values left out (`onUnknown: "skip-field"`). */
  readonly skipped: readonly SkippedValue[];
}

const PENDING = Symbol("pending");
type Pending = { readonly [PENDING]: string };
type Item = number | Pending | UnknownValue;
const isUnknown = (item: unknown): item is UnknownValue =>
  typeof item === "object" && item !== null && "suggestions" in item;
const ID_KINDS = new Set(["choice", "reference", "user"]);
const MAX_SUGGESTION_LOOKUPS = 20;

/** Resolves every row; throws `InvalidArgumentError` for a field the entry type does not have. */
export async function resolveRows(job: ResolveJob): Promise<ResolvedRows> {
  let { model, entryType } = job;
  let staged = stage(job.rows, model, entryType);
  if (staged.missingField || staged.modelMiss) {
    model = await job.refresh();
    entryType = model.entryType(entryType.id) ?? entryType;
    staged = stage(job.rows, model, entryType);
  }
  if (staged.missingField) {
    const names = entryType.fields.map((field) => field.apiName);
    throw new InvalidArgumentError(
      `${entryType.apiName} has no field "${staged.missingField}" (closest: ${closestNames(staged.missingField, names).join(", ")}).`,
    );
  }
  const found = await lookupReferences(job, model, staged.pending);
  const skipped: SkippedValue[] = [];
  const rows = staged.rows.map((row, index): Record<string, unknown> | Error => {
    const out: Record<string, unknown> = {};
    const unknown: UnknownValue[] = [];
    for (const [key, cell] of Object.entries(row)) {
      if (!(cell instanceof Cell)) {
        out[key] = cell;
        continue;
      }
      const ids: number[] = [];
      const misses: UnknownValue[] = [];
      for (const item of cell.items) {
        if (typeof item === "number") ids.push(item);
        else if (isUnknown(item)) misses.push(item);
        else {
          const hit = found.get(referenceKey(cell.field, item[PENDING]));
          if (hit instanceof Error) return hit;
          if (hit) ids.push(hit);
          else misses.push(found.unknown(cell.field, item[PENDING]));
        }
      }
      if (misses.length === 0) out[key] = cell.field.multi ? ids : (ids[0] ?? null);
      else if (job.onUnknown === "skip-field")
        skipped.push({ index, field: key, value: job.rows[index]![cell.key], error: new UnknownNameError(misses) });
      else unknown.push(...misses);
    }
    return unknown.length > 0 ? new UnknownNameError(unknown) : out;
  });
  return { rows, skipped };
}

/** A choice, reference or user value on its way to ids. */
class Cell {
  constructor(
    readonly field: SiteField,
    readonly key: string,
    readonly items: Item[],
  ) {}
}

interface Staged {
  rows: Record<string, unknown>[];
  /** Reference names to look up: per target entry type id, the names. */
  pending: Map<SiteField, Set<string>>;
  /** A choice or user name the model does not know (worth one refresh). */
  modelMiss: boolean;
  missingField: string | undefined;
}

/** Maps keys to apiNames and choice/user names to ids from the model; collects reference names. */
function stage(rows: readonly Readonly<Record<string, unknown>>[], model: SiteModel, entryType: SiteEntryType): Staged {
  const staged: Staged = { rows: [], pending: new Map(), modelMiss: false, missingField: undefined };
  const fieldOf = new Map<string, SiteField | undefined>();
  for (const row of rows) {
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new InvalidArgumentError("Each row must be an object of field values keyed by apiName or display name.");
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === "EntryId") {
        out[key] = value;
        continue;
      }
      if (!fieldOf.has(key)) fieldOf.set(key, model.field(entryType, key));
      const field = fieldOf.get(key);
      if (!field) {
        staged.missingField ??= key;
        continue;
      }
      if (!ID_KINDS.has(field.kind) || value === null || value === "") {
        out[field.apiName] = value;
        continue;
      }
      const values = Array.isArray(value) ? value : [value];
      if (values.length > 1 && !field.multi)
        throw new InvalidArgumentError(`${field.apiName} holds one value; got ${values.length}.`);
      const items = values.map((item) => stageItem(field, item, model, staged));
      out[field.apiName] = new Cell(field, key, items);
    }
    staged.rows.push(out);
  }
  return staged;
}

function stageItem(field: SiteField, value: unknown, model: SiteModel, staged: Staged): Item {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "object" && value !== null && typeof (value as { id?: unknown }).id === "number")
    return (value as { id: number }).id;
  if (typeof value !== "string")
    throw new InvalidArgumentError(`${field.apiName} takes names or ids; got ${JSON.stringify(value)}.`);
  const name = value.trim();
  if (field.kind === "reference") {
    const names = staged.pending.get(field) ?? new Set();
    names.add(name);
    staged.pending.set(field, names);
    return { [PENDING]: name };
  }
  if (field.kind === "choice") {
    const id = byName(field.choices, name, (choice) => choice.name);
    if (id !== undefined) return id;
    staged.modelMiss = true;
    return {
      field: field.apiName,
      value,
      suggestions: closestNames(
        name,
        field.choices.map((c) => c.name),
      ),
    };
  }
  const byEmail = model.users.find((user) => user.email.toLowerCase() === name.toLowerCase());
  const id = byEmail?.id ?? byName(model.users, name, (user) => user.name);
  if (id !== undefined) return id;
  staged.modelMiss = true;
  const candidates = model.users.flatMap((user) => [user.name, user.email]);
  return { field: field.apiName, value, suggestions: closestNames(name, candidates) };
}

/** The id of the item named exactly `name`, else of the one item named so in another case. */
function byName<T extends { id: number }>(items: readonly T[], name: string, nameOf: (item: T) => string) {
  const exact = items.find((item) => nameOf(item) === name);
  if (exact) return exact.id;
  const lower = name.toLowerCase();
  const loose = items.filter((item) => nameOf(item).toLowerCase() === lower);
  return loose.length === 1 ? loose[0]!.id : undefined;
}

const referenceKey = (field: SiteField, name: string) => `${field.targets.join(",")}\u0000${name}`;

interface Found {
  get(key: string): number | Error | undefined;
  unknown(field: SiteField, name: string): UnknownValue;
}

/** Looks up every reference name, once per target object, then suggestions for the names not found. */
async function lookupReferences(
  job: ResolveJob,
  model: SiteModel,
  pending: Map<SiteField, Set<string>>,
): Promise<Found> {
  // Names per target entry type, across fields.
  const perTarget = new Map<number, Set<string>>();
  for (const [field, names] of pending)
    for (const target of field.targets) {
      const set = perTarget.get(target) ?? new Set();
      for (const name of names) set.add(name);
      perTarget.set(target, set);
    }
  // name (as given) → entry ids per target.
  const matches = new Map<number, Map<string, number[]>>();
  for (const [target, names] of perTarget) {
    const type = model.entryType(target);
    const nameField = type?.nameField;
    if (!type || !nameField) continue;
    const wanted = [...names];
    const rows = await lookupRows({
      data: job.data,
      entryTypeId: type.id,
      values: wanted,
      chunkSize: job.chunkSize,
      filter: (chunk) => ({ [nameField.apiName]: { $in: chunk } }),
      fields: [nameField.apiName],
      signal: job.signal,
      onRequest: () => job.count.lookups++,
    });
    const byExact = new Map<string, number[]>();
    const byLower = new Map<string, number[]>();
    for (const row of rows) {
      const name = nameOfRow(row, nameField.apiName);
      push(byExact, name, row.EntryId);
      push(byLower, name.toLowerCase(), row.EntryId);
    }
    const resolved = new Map<string, number[]>();
    for (const name of wanted) {
      const ids = byExact.get(name) ?? byLower.get(name.toLowerCase());
      if (ids) resolved.set(name, ids);
    }
    matches.set(target, resolved);
  }
  const suggestions = await suggestFor(job, model, pending, matches);
  return {
    get(key) {
      const [targets, name] = key.split("\u0000") as [string, string];
      const ids = targets
        .split(",")
        .filter(Boolean)
        .flatMap((target) => matches.get(Number(target))?.get(name) ?? []);
      const distinct = [...new Set(ids)];
      if (distinct.length > 1) return new AmbiguousKeyError({ name }, distinct);
      return distinct[0];
    },
    unknown: (field, name) => ({ field: field.apiName, value: name, suggestions: suggestions.get(name) ?? [] }),
  };
}

/**
 * For names not found: one query per name for entries whose name contains one of its longest words (first page
 * only), ranked by edit distance. At most 20 such queries per call.
 */
async function suggestFor(
  job: ResolveJob,
  model: SiteModel,
  pending: Map<SiteField, Set<string>>,
  matches: Map<number, Map<string, number[]>>,
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [field, names] of pending) {
    for (const name of names) {
      if (out.has(name) || job.count.suggestions >= MAX_SUGGESTION_LOOKUPS) continue;
      if (field.targets.some((target) => matches.get(target)?.has(name))) continue;
      // Up to three of the name's longest words: a misspelt word still leaves the others to match on.
      const words = name
        .split(/\s+/)
        .filter((word) => word.length >= 2)
        .sort((a, b) => b.length - a.length)
        .slice(0, 3);
      const candidates: string[] = [];
      for (const target of field.targets) {
        const nameField = model.entryType(target)?.nameField;
        if (!nameField || words.length === 0) continue;
        job.count.suggestions++;
        const rows = await lookupRows({
          data: job.data,
          entryTypeId: target,
          values: [words],
          chunkSize: 1,
          filter: () => ({ $or: words.map((word) => ({ [nameField.apiName]: { $contains: word } })) }),
          fields: [nameField.apiName],
          signal: job.signal,
          onRequest: () => {},
          maxPages: 1,
        }).catch(() => []);
        candidates.push(...rows.slice(0, 1000).map((row) => nameOfRow(row, nameField.apiName)));
      }
      out.set(name, closestNames(name, candidates));
    }
  }
  return out;
}

/** The entry's name from its name field (a reference to itself, `{ id, name }`, or plain text), unescaped. */
export function nameOfRow(row: Record<string, unknown>, apiName: string): string {
  const value = row[apiName];
  const named = typeof value === "object" && value !== null ? (value as { name?: unknown }).name : value;
  return unescapeHtml(String(named ?? ""));
}

function push(map: Map<string, number[]>, key: string, id: number) {
  const list = map.get(key);
  if (list) {
    if (!list.includes(id)) list.push(id);
  } else map.set(key, [id]);
}
