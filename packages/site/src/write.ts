// insert, update and upsert by names: resolve, match keys, then write through writeRows.
import { InvalidArgumentError, writeRows, type WriteError } from "@dealcloud-ts/data";
import { AmbiguousKeyError, UnknownNameError } from "./errors.js";
import { lookupRows, type AnswerRow } from "./lookup.js";
import type { SiteEntryType, SiteField, SiteModel } from "./model.js";
import { nameOfRow, resolveRows, type SkippedValue } from "./resolve.js";

/** Options of `site.insert`, `site.update` and `site.upsert`. */
export interface WriteByNameOptions {
  /**
   * The field(s) that identify an existing entry (apiNames or display names), e.g. `"Email"` or
   * `["FirstName", "LastName"]`. Required by `upsert` (unless every row has an `EntryId`); lets `update` take rows
   * without `EntryId`.
   */
  key?: string | readonly string[] | undefined;
  /**
   * What a name that matches nothing does: `"error"` (default) fails the row, which is not written;
   * `"skip-field"` leaves that field out of the row (listed in `skipped`) and writes the rest. Never a silent null.
   */
  onUnknown?: "error" | "skip-field" | undefined;
  /** Values per lookup request (`$in` chunk), 1 to 1,000. Default 500. */
  lookupChunkSize?: number | undefined;
  /** Write requests in flight at once (passed to `writeRows`), 1 to 16. Default 1. */
  concurrency?: number | undefined;
  /** Stops the work: no request starts after it fires. */
  signal?: AbortSignal | undefined;
  /**
   * Resolve names, look up keys and check required fields, then stop before writing: the report says what would
   * be created, updated or left unchanged and which rows would fail before reaching DealCloud. Rows DealCloud itself
   * would refuse cannot be known without writing. `created` entries carry the negative placeholder id a create would
   * send (`-1`, `-2`, … in input order). Default false.
   */
  dryRun?: boolean | undefined;
}

/** One input row that was written, by its index in the input. */
export interface WrittenEntry {
  /** The row's index in the input. */
  readonly index: number;
  /** The entry's id. */
  readonly entryId: number;
}

/** One input row that was not written, with why. */
export interface FailedRow {
  /** The row's index in the input. */
  readonly index: number;
  /** The row as given. */
  readonly row: unknown;
  /** Why: `UnknownNameError`, `AmbiguousKeyError`, `InvalidArgumentError` (before writing) or a `WriteError`. */
  readonly error: UnknownNameError | AmbiguousKeyError | InvalidArgumentError | WriteError;
}

/** Requests a write by names sent, by purpose. */
export interface WriteRequests {
  /** Lookups of exactly the names and keys used (chunked `$in` queries). */
  readonly lookups: number;
  /** Queries for the closest names, only for names that matched nothing (at most 20). */
  readonly suggestions: number;
  /** Write requests (`writeRows`, bisection included). */
  readonly writes: number;
}

/** What `insert`, `update` or `upsert` did: every input row is in exactly one list (`skipped` aside). */
export interface WriteByNameReport {
  /** New entries. */
  readonly created: WrittenEntry[];
  /** Existing entries changed. */
  readonly updated: WrittenEntry[];
  /** Existing entries that already held every value given (upsert and update by key): not written. */
  readonly unchanged: WrittenEntry[];
  /** Rows not written, in input order. */
  readonly failed: FailedRow[];
  /** Values left out by `onUnknown: "skip-field"` (their rows were written without them). */
  readonly skipped: SkippedValue[];
  /** Requests sent. */
  readonly requests: WriteRequests;
}

/** What a write by names needs from the site. */
export interface WriteContext {
  readonly data: unknown;
  readonly model: () => Promise<SiteModel>;
  readonly refresh: () => Promise<SiteModel>;
}

type Mode = "insert" | "update" | "upsert";

/** Checks the options; returns them with defaults. */
function checkOptions(options: WriteByNameOptions | undefined) {
  const { onUnknown = "error", lookupChunkSize = 500, key } = options ?? {};
  if (onUnknown !== "error" && onUnknown !== "skip-field")
    throw new InvalidArgumentError(`onUnknown must be "error" or "skip-field"; got ${String(onUnknown)}.`);
  if (!Number.isInteger(lookupChunkSize) || lookupChunkSize < 1 || lookupChunkSize > 1000)
    throw new InvalidArgumentError(
      `lookupChunkSize must be an integer from 1 to 1000; got ${String(lookupChunkSize)}.`,
    );
  if (options?.dryRun !== undefined && typeof options.dryRun !== "boolean")
    throw new InvalidArgumentError(`dryRun must be true or false; got ${String(options.dryRun)}.`);
  const keys = key === undefined ? [] : typeof key === "string" ? [key] : [...key];
  if (key !== undefined && (keys.length === 0 || keys.some((k) => typeof k !== "string" || k === "")))
    throw new InvalidArgumentError("key must be a field name or a non-empty list of field names.");
  return { onUnknown, lookupChunkSize, keys };
}

/** Runs one insert, update or upsert. */
export async function writeByName(
  context: WriteContext,
  mode: Mode,
  entryTypeRef: number | string,
  rows: readonly Readonly<Record<string, unknown>>[],
  options: WriteByNameOptions | undefined,
): Promise<WriteByNameReport> {
  if (!Array.isArray(rows)) throw new InvalidArgumentError("rows must be an array of row objects.");
  const { onUnknown, lookupChunkSize, keys } = checkOptions(options);
  const signal = options?.signal;
  let model = await context.model();
  let entryType = model.entryType(entryTypeRef);
  if (!entryType) {
    model = await context.refresh();
    entryType = model.entryType(entryTypeRef);
  }
  if (!entryType)
    throw new InvalidArgumentError(
      `The site has no entry type ${JSON.stringify(entryTypeRef)}; it has ${model.entryTypes.map((t) => t.apiName).join(", ")}.`,
    );
  const type = entryType;
  const keyFields = keys.map(
    (key) => model.field(type, key) ?? raise(`${type.apiName} has no field "${key}" to use as a key.`),
  );
  if (mode === "upsert" && keyFields.length === 0 && rows.some((row) => typeof row?.["EntryId"] !== "number"))
    throw new InvalidArgumentError('upsert needs a key (e.g. { key: "Email" }) unless every row has an EntryId.');
  if (mode === "update" && keyFields.length === 0 && rows.some((row) => !(Number(row?.["EntryId"]) > 0)))
    throw new InvalidArgumentError("update needs each row's EntryId (positive), or a key to find the entries by.");

  const count = { lookups: 0, suggestions: 0 };
  const resolved = await resolveRows({
    entryType: type,
    rows,
    model,
    refresh: context.refresh,
    data: context.data,
    chunkSize: lookupChunkSize,
    onUnknown,
    signal,
    count,
  });
  const failed: FailedRow[] = [];
  const fail = (index: number, error: FailedRow["error"]) => failed.push({ index, row: rows[index], error });
  const good: { index: number; row: Record<string, unknown> }[] = [];
  resolved.rows.forEach((row, index) => {
    if (row instanceof Error) fail(index, row as FailedRow["error"]);
    else good.push({ index, row });
  });

  // Which existing entry each row targets.
  const toCreate: typeof good = [];
  const toUpdate: typeof good = [];
  const unchanged: WrittenEntry[] = [];
  if (mode === "insert") toCreate.push(...good);
  else if (keyFields.length === 0) toUpdate.push(...good.filter(({ row }) => Number(row["EntryId"]) > 0));
  else {
    const existing = await findByKey(context.data, type, keyFields, good, lookupChunkSize, signal, count);
    const seen = new Map<string, number>();
    for (const item of good) {
      const keyText = keyOf(item.row, keyFields);
      if (keyText === undefined) {
        fail(item.index, new InvalidArgumentError(`Row ${item.index} has no value for key ${keys.join(", ")}.`));
        continue;
      }
      const earlier = seen.get(keyText);
      if (earlier !== undefined) {
        fail(item.index, new InvalidArgumentError(`Row ${item.index} has the same key as row ${earlier}.`));
        continue;
      }
      seen.set(keyText, item.index);
      const matches = existing.get(keyText) ?? [];
      if (matches.length > 1) {
        const key = Object.fromEntries(keyFields.map((field) => [field.apiName, item.row[field.apiName]]));
        fail(
          item.index,
          new AmbiguousKeyError(
            key,
            matches.map((match) => match.EntryId),
          ),
        );
      } else if (matches.length === 1) {
        const match = matches[0]!;
        if (sameValues(item.row, match, type)) unchanged.push({ index: item.index, entryId: match.EntryId });
        else toUpdate.push({ index: item.index, row: { ...item.row, EntryId: match.EntryId } });
      } else if (mode === "upsert") toCreate.push(item);
      else fail(item.index, new UnknownNameError([{ field: keys.join(", "), value: keyText, suggestions: [] }]));
    }
  }
  // Required fields of new entries, checked before writing (the mock and the schema agree on isRequired).
  const creatable = toCreate.filter(({ index, row }) => {
    const missing = type.fields.filter((field) => field.required && (row[field.apiName] ?? "") === "");
    if (missing.length === 0) return true;
    fail(
      index,
      new InvalidArgumentError(
        `Row ${index}: a new ${type.apiName} needs ${missing.map((f) => f.apiName).join(", ")}.`,
      ),
    );
    return false;
  });

  const batch = { concurrency: options?.concurrency, signal };
  const created: WrittenEntry[] = [];
  const updated: WrittenEntry[] = [];
  let writes = 0;
  if (options?.dryRun === true) {
    for (const [position, { index }] of creatable.entries()) created.push({ index, entryId: -1 - position });
    for (const { index, row } of toUpdate) updated.push({ index, entryId: row["EntryId"] as number });
  }
  for (const [list, into, writeMode] of [
    [creatable, created, "create"],
    [toUpdate, updated, "update"],
  ] as const) {
    if (list.length === 0 || options?.dryRun === true) continue;
    const sent = list.map(({ row }) => {
      const { EntryId, ...values } = row;
      return writeMode === "create" ? values : { ...values, EntryId: EntryId as number };
    });
    const write = writeRows as (...args: unknown[]) => ReturnType<typeof writeRows>;
    const report = await write(context.data, type.id, sent, { ...batch, mode: writeMode });
    writes += report.requests;
    const failedAt = new Set(report.failed.map((failure) => failure.index));
    for (const failure of report.failed) fail(list[failure.index]!.index, failure.error);
    let next = 0;
    list.forEach((item, position) => {
      if (failedAt.has(position)) return;
      into.push({ index: item.index, entryId: report.written[next++]!.EntryId });
    });
  }
  const byIndex = (a: { index: number }, b: { index: number }) => a.index - b.index;
  return {
    created: created.sort(byIndex),
    updated: updated.sort(byIndex),
    unchanged: unchanged.sort(byIndex),
    failed: failed.sort(byIndex),
    skipped: [...resolved.skipped],
    requests: { lookups: count.lookups, suggestions: count.suggestions, writes },
  };
}

function raise(message: string): never {
  throw new InvalidArgumentError(message);
}

/** A key's values as one comparable string; undefined when one is missing. */
function keyOf(row: Record<string, unknown>, keyFields: readonly SiteField[]): string | undefined {
  const parts = keyFields.map((field) => comparable(row[field.apiName]));
  return parts.some((part) => part === "") ? undefined : JSON.stringify(parts);
}

/** A value in the form both sides share: ids for choice/reference/user values, lower-case text. */
function comparable(value: unknown, loose = true): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value))
    return value
      .map((item) => comparable(item, loose))
      .sort()
      .join("|");
  if (typeof value === "object") {
    const { id, name } = value as { id?: unknown; name?: unknown };
    return id !== undefined ? String(id) : String(name ?? "");
  }
  const text = String(value).trim();
  return loose ? text.toLowerCase() : text;
}

/** Existing entries by key (the `keyOf` string), looked up in chunks of the first key field's values. */
async function findByKey(
  data: unknown,
  type: SiteEntryType,
  keyFields: readonly SiteField[],
  rows: readonly { row: Record<string, unknown> }[],
  chunkSize: number,
  signal: AbortSignal | undefined,
  count: { lookups: number },
): Promise<Map<string, AnswerRow[]>> {
  const distinct = new Map<string, Record<string, unknown>>();
  for (const { row } of rows) {
    const key = keyOf(row, keyFields);
    if (key !== undefined) distinct.set(key, row);
  }
  const keyRows = [...distinct.values()];
  const written = new Set<string>();
  for (const { row } of rows) for (const name of Object.keys(row)) if (name !== "EntryId") written.add(name);
  const found = await lookupRows({
    data,
    entryTypeId: type.id,
    values: keyRows,
    chunkSize,
    filter: (chunk) =>
      Object.fromEntries(
        keyFields.map((field) => [
          field.apiName,
          { $in: [...new Set(chunk.flatMap((row) => flat((row as Record<string, unknown>)[field.apiName])))] },
        ]),
      ),
    fields: [...new Set([...keyFields.map((field) => field.apiName), ...written])],
    signal,
    onRequest: () => count.lookups++,
  });
  const byKey = new Map<string, AnswerRow[]>();
  for (const row of found) {
    const normal: Record<string, unknown> = {};
    for (const field of keyFields)
      normal[field.apiName] = field.isName ? nameOfRow(row, field.apiName) : row[field.apiName];
    const key = keyOf(normal, keyFields);
    if (key === undefined || !distinct.has(key)) continue;
    const list = byKey.get(key) ?? [];
    if (!list.some((known) => known.EntryId === row.EntryId)) list.push(row);
    byKey.set(key, list);
  }
  return byKey;
}

const flat = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/** Whether the existing entry already holds every value of the row. */
function sameValues(row: Record<string, unknown>, existing: AnswerRow, type: SiteEntryType): boolean {
  for (const [key, value] of Object.entries(row)) {
    if (key === "EntryId") continue;
    const field = type.fields.find((candidate) => candidate.apiName === key);
    let held = existing[key];
    if (field?.isName) held = nameOfRow(existing, key);
    else if (field?.kind === "date" && typeof value === "string" && typeof held === "string") {
      if (Date.parse(value) !== Date.parse(held)) return false;
      continue;
    } else if (field?.kind === "number" && held !== undefined && Number(held) === Number(value)) continue;
    if (comparable(value, false) !== comparable(held, false)) return false;
  }
  return true;
}
