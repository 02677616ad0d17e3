import type { ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest, MockHttpError } from "../http-error.js";
import type { Entry } from "../state/entries.js";
import { compileRowsQuery } from "../state/filters.js";
import type { EntryType, Field } from "../state/schema.js";
import { FieldType } from "../state/site-data.js";
import { CLEAR, formatDate, parseWrittenValue, renderRow } from "../state/values.js";
import { arrayBody, intParam, isObject, renderOptions } from "./params.js";

/** Rows reads and writes (catalogue §3.2, §3.3). */

/** Rows per read when `limit` is omitted (catalogue §3.2). */
const DEFAULT_LIMIT = 1000;
/** Rows per write request: 1000 for POST (catalogue §3.3, H); assumed the same for PATCH and PUT. */
export const MAX_ROWS_PER_WRITE = 1000;

/** The parameters of a rows read, from the query string (GET) or the body (POST query). */
export interface RowsRead {
  query?: unknown;
  fields?: unknown;
  limit?: unknown;
  skip?: unknown;
  wrapIntoArrays?: unknown;
  resolveReferenceUrls?: unknown;
  dateTimeBehavior?: unknown;
}

/** The fields a read asked for (`fields`: repeated, comma-separated, or a JSON array in POST bodies). */
export function selectFields(site: SiteContext, type: EntryType, fields: unknown): readonly Field[] {
  if (fields === undefined || fields === null || fields === "") return type.fields;
  const names = (Array.isArray(fields) ? fields : [fields])
    .flatMap((item) => (typeof item === "string" ? item.split(",") : badRequest("fields must be field apiNames.")))
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) return type.fields;
  return names.map(
    (name) => site.schema.fieldByName(type, name) ?? badRequest(`Field with name "${name}" does not exist`),
  );
}

/** Reads a page of rows: filter, count, page, render. */
export function readRows(site: SiteContext, call: ApiCall, type: EntryType, read: RowsRead): Response {
  const fields = selectFields(site, type, read.fields);
  const limit = intParam(read.limit, "limit", 1) ?? DEFAULT_LIMIT;
  const skip = intParam(read.skip, "skip") ?? 0;
  const options = renderOptions(site, call, read);
  const all = site.entries.list(type);
  let matching: readonly Entry[] = all;
  if (read.query !== undefined && read.query !== null && read.query !== "") {
    if (typeof read.query !== "string") badRequest("query must be a JSON filter string.");
    const test = compileRowsQuery(site, type, read.query, site.users.timeZoneOf(call.userId));
    matching = all.filter(test);
  }
  const rows = matching.slice(skip, skip + limit).map((entry) => renderRow(site, entry, fields, options));
  return json(200, { totalRecords: matching.length, rows });
}

/** `GET /entrydata/rows/{entryTypeId}`: parameters in the query string. */
export function getRows(site: SiteContext, call: ApiCall): Response {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const { query } = call;
  const fields = query.getAll("fields");
  return readRows(site, call, type, {
    query: query.get("query") ?? undefined,
    fields: fields.length > 0 ? fields : undefined,
    limit: query.get("limit") ?? undefined,
    skip: query.get("skip") ?? undefined,
    wrapIntoArrays: query.get("wrapIntoArrays") ?? undefined,
    resolveReferenceUrls: query.get("resolveReferenceUrls") ?? undefined,
    dateTimeBehavior: query.get("dateTimeBehavior") ?? undefined,
  });
}

/** `POST /entrydata/rows/query/{entryTypeId}`: the same parameters as a JSON body, for long filters. */
export async function queryRows(site: SiteContext, call: ApiCall): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const body = await call.json();
  if (!isObject(body))
    badRequest(
      'The body must be a JSON object of read parameters, e.g. {"query": "{CompanyName: \'Intapp\'}", "limit": 100}.',
    );
  // dateTimeBehavior may come in the query string as on other reads.
  const dateTimeBehavior = body["dateTimeBehavior"] ?? call.query.get("dateTimeBehavior") ?? undefined;
  return readRows(site, call, type, { ...body, dateTimeBehavior });
}

/** How a write treats `EntryId`s. */
export type RowsWriteMode = "create" | "update" | "upsert";

interface PlannedRow {
  readonly entryId: number;
  readonly existing: Entry | undefined;
  readonly values: Map<Field, unknown>;
}

/** One problem with one row, as a per-row answer reports it (the `{ field, code, description }` of GEG's sample). */
interface RowProblem {
  readonly field: string;
  readonly code: number;
  readonly description: string;
}

/** A 400 about one field of a row, so a per-row answer can name the field. */
class FieldRefusal extends MockHttpError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(400, message);
  }
}

/** The mock's `code` on per-row errors: DealCloud's own codes are unknown, so the status a batch would get. */
const ROW_ERROR_CODE = 400;

/**
 * `POST` (create: negative ids), `PATCH` (update: existing ids) and `PUT` (the mock treats it as an upsert: its
 * semantics are unknown, catalogue §3.3) on `/entrydata/rows/{entryTypeId}`. Field keys match apiNames
 * case-insensitively and come back normalised. A bad row (unknown field, wrong value type, unknown reference,
 * choice or user id, a wrong `EntryId`) is answered as the site's `rowErrors` option says: `"batch"` refuses the
 * whole request with a 400 and writes nothing; `"per-row"` writes the other rows and answers 200 with the bad
 * ones as `{ EntryId, Errors: [{ field, code, description }] }` in their places (a row that references a bad
 * row's negative id is bad too).
 */
export async function writeRows(site: SiteContext, call: ApiCall, mode: RowsWriteMode): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const rows = arrayBody(await call.json(), 'rows, e.g. [{"EntryId": -1, "CompanyName": "Acme"}]');
  if (rows.length > MAX_ROWS_PER_WRITE)
    badRequest(`Send no more than ${MAX_ROWS_PER_WRITE} rows per request (got ${rows.length}); split the batch.`);
  const perRow = site.settings.rowErrors === "per-row";
  const userId = call.userId ?? 0;
  const timeZone = site.users.timeZoneOf(userId);
  const sentIdOf = (row: unknown): unknown => {
    if (!isObject(row)) return undefined;
    const key = Object.keys(row).find((name) => name.toLowerCase() === "entryid");
    return key === undefined ? undefined : row[key];
  };
  const pendingIds = new Set(rows.map(sentIdOf).filter((id): id is number => typeof id === "number" && id < 0));

  const planRow = (row: unknown, index: number): PlannedRow => {
    if (!isObject(row)) return badRequest(`Row ${index} is not an object.`);
    const entryId = sentIdOf(row);
    if (typeof entryId !== "number" || !Number.isInteger(entryId) || entryId === 0)
      return badRequest(`Row ${index} needs an integer EntryId (negative for a new entry).`);
    let existing: Entry | undefined;
    if (entryId < 0 && mode === "update")
      badRequest(
        `Row ${index}: EntryId ${entryId} is negative; PATCH updates existing entries (create them with POST).`,
      );
    if (entryId > 0) {
      if (mode === "create")
        badRequest(
          `Row ${index}: EntryId must be negative for a new entry (got ${entryId}); update existing entries with PATCH.`,
        );
      existing = site.entries.get(entryId);
      if (!existing || existing.type !== type)
        badRequest(`Entry with id ${entryId} does not exist in ${type.apiName}.`);
    }
    const values = new Map<Field, unknown>();
    for (const [key, raw] of Object.entries(row)) {
      if (key.toLowerCase() === "entryid") continue;
      try {
        const field = site.schema.fieldByName(type, key) ?? badRequest(`Field with name "${key}" does not exist`);
        values.set(field, parseWrittenValue(site, field, raw, { timeZone, pendingIds }));
      } catch (error) {
        throw error instanceof MockHttpError ? new FieldRefusal(key, error.message) : error;
      }
    }
    // Required fields (the schema's isRequired) must have a value on create; the real message is not documented.
    if (!existing)
      for (const field of type.fields) {
        const value = values.get(field);
        if (field.isRequired && (value === undefined || value === CLEAR))
          throw new FieldRefusal(field.apiName, `Row ${index}: field "${field.apiName}" is required for a new entry.`);
      }
    return { entryId, existing, values };
  };

  const problems = new Map<number, RowProblem>();
  const plans = rows.map((row, index) => {
    try {
      return planRow(row, index);
    } catch (error) {
      if (!perRow || !(error instanceof MockHttpError)) throw error;
      const field = error instanceof FieldRefusal ? error.field : "EntryId";
      problems.set(index, { field, code: ROW_ERROR_CODE, description: error.message });
      return undefined;
    }
  });
  if (perRow) markRowsReferencingBadRows(rows, plans, problems, sentIdOf);
  const planned = plans.filter((plan, index): plan is PlannedRow => plan !== undefined && !problems.has(index));

  const at = site.settings.now();
  // New entries first, so references between new rows (negative ids) can be resolved to real ids.
  const realIds = new Map<number, number>();
  const created: Entry[] = [];
  const entries = planned.map((plan) => {
    if (plan.existing) return plan.existing;
    const entry = site.entries.create(type, [], userId, at);
    if (!realIds.has(plan.entryId)) realIds.set(plan.entryId, entry.id);
    created.push(entry);
    return entry;
  });
  const resolve = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(resolve) : typeof value === "number" && value < 0 ? realIds.get(value) : value;

  const updated: Entry[] = [];
  const written = new Set<Field>();
  const answer = planned.map((plan, index) => {
    const entry = entries[index]!;
    const changes = new Map<number, unknown>();
    const row: Record<string, unknown> = { EntryId: entry.id };
    for (const [field, value] of plan.values) {
      const stored = value === CLEAR ? undefined : isIdField(field) ? resolve(value) : value;
      changes.set(field.index, stored);
      row[field.apiName] = echo(field, stored);
      written.add(field);
    }
    if (plan.existing) {
      site.entries.update(entry, changes, userId, at);
      updated.push(entry);
    } else {
      for (const [index, value] of changes) entry.values[index] = value;
    }
    return row;
  });
  const fields = [...written];
  if (created.length > 0)
    site.entries.emit({ kind: "created", type, entries: created, fields, format: "Rows", userId, at });
  if (updated.length > 0)
    site.entries.emit({ kind: "updated", type, entries: updated, fields, format: "Rows", userId, at });
  if (problems.size === 0) return json(200, answer);
  const good = answer.values();
  return json(
    200,
    rows.map((row, index) => {
      const problem = problems.get(index);
      if (!problem) return good.next().value;
      const sent = sentIdOf(row);
      return { EntryId: typeof sent === "number" && Number.isInteger(sent) ? sent : 0, Errors: [problem] };
    }),
  );
}

/** Per-row mode: a row whose reference values name a bad row's negative id cannot be written either. */
function markRowsReferencingBadRows(
  rows: readonly unknown[],
  plans: readonly (PlannedRow | undefined)[],
  problems: Map<number, RowProblem>,
  sentIdOf: (row: unknown) => unknown,
): void {
  for (let changed = true; changed; ) {
    changed = false;
    const badIds = new Set([...problems.keys()].map((index) => sentIdOf(rows[index])));
    plans.forEach((plan, index) => {
      if (!plan || problems.has(index)) return;
      for (const [field, value] of plan.values) {
        if (!isIdField(field)) continue;
        const missing = (Array.isArray(value) ? value : [value]).find((id) => typeof id === "number" && badIds.has(id));
        if (missing === undefined) continue;
        problems.set(index, {
          field: field.apiName,
          code: ROW_ERROR_CODE,
          description: `Row ${index} references new row ${String(missing)}, which was not written.`,
        });
        changed = true;
        return;
      }
    });
  }
}

const isIdField = (field: Field) =>
  field.fieldType === FieldType.Choice || field.fieldType === FieldType.Reference || field.fieldType === FieldType.User;

/** A written value as the write answer echoes it: ids stay ids (catalogue §3.3), dates are formatted, cleared is null. */
function echo(field: Field, stored: unknown): unknown {
  if (stored === undefined) return null;
  return field.fieldType === FieldType.Date ? formatDate(stored as number) : stored;
}
