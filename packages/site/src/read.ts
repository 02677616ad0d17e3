// Rows read with their choice, reference and user values flattened to names, ids or objects, over iterateRows.
import { type AnyDataClient, type DataPagingOptions, InvalidArgumentError, iterateRows } from "@dealcloud-ts/data";
import type { SiteEntryType, SiteField, SiteModel } from "./model.js";
import { unescapeHtml } from "./names.js";

/** Options of `site.rows`. */
export interface ReadByNameOptions {
  /** Choice, reference and user values as their `name` (default), their `id`, or the object DealCloud sends. */
  resolve?: "name" | "id" | "object" | undefined;
  /** The fields to read (apiNames or display names); default all. */
  fields?: readonly string[] | undefined;
  /** A rows filter, e.g. `{ CompanyName: { $contains: "Acme" } }` (an object or its JSON text). */
  query?: string | Readonly<Record<string, unknown>> | undefined;
  /** Key the rows by `"apiName"` (default) or by field display `"name"`. */
  keys?: "apiName" | "name" | undefined;
  /** Rows per request, 1 to 1,000. Default 1,000. */
  pageSize?: number | undefined;
  /** Pages fetched ahead of the one being read (as `iterateRows`); default 1. */
  concurrency?: number | undefined;
  /** Stops the read: requests in flight are aborted and none starts after it fires. */
  signal?: AbortSignal | undefined;
  /** Called once per page, in order, with rows so far and the total (as `iterateRows`' `onProgress`). */
  onProgress?: DataPagingOptions["onProgress"];
}

/** The rows of `entryType`, flattened; multi-value fields are arrays, never joined into strings. */
export async function* readByName(
  data: unknown,
  model: SiteModel,
  entryType: SiteEntryType,
  options: ReadByNameOptions = {},
): AsyncGenerator<Record<string, unknown>> {
  const { resolve = "name", keys = "apiName", pageSize, concurrency, signal, query, onProgress } = options;
  if (resolve !== "name" && resolve !== "id" && resolve !== "object")
    throw new InvalidArgumentError(`resolve must be "name", "id" or "object"; got ${String(resolve)}.`);
  const fields = (options.fields ?? []).map(
    (ref) =>
      model.field(entryType, ref) ??
      (() => {
        throw new InvalidArgumentError(`${entryType.apiName} has no field "${ref}".`);
      })(),
  );
  const byApiName = new Map(entryType.fields.map((field) => [field.apiName.toLowerCase(), field]));
  const rows = iterateRows(data as AnyDataClient, {
    entryTypeId: entryType.id,
    query,
    fields: fields.length ? fields.map((field) => field.apiName) : undefined,
    pageSize,
    concurrency,
    signal,
    onProgress,
  });
  for await (const row of rows) yield flatten(row as Record<string, unknown>, byApiName, resolve, keys);
}

/** Options of {@link flattenRow}. */
export interface FlattenRowOptions {
  /** Choice, reference and user values as their `name` (default), their `id`, or the object DealCloud sent. */
  resolve?: "name" | "id" | "object" | undefined;
  /** Key the row by `"apiName"` (default) or by field display `"name"`. */
  keys?: "apiName" | "name" | undefined;
}

/**
 * One row as the Data API answers it (e.g. from `iterateRows` or `syncEntries`), flattened the way `site.rows`
 * flattens its rows: choice, reference and user values as names (or ids), multi-value fields as arrays.
 *
 * @example
 * ```ts
 * import { createSite, flattenRow } from "@dealcloud-ts/site";
 * declare const site: ReturnType<typeof createSite>;
 *
 * const model = await site.model();
 * const company = model.entryType("company")!;
 * console.log(flattenRow(company, { EntryId: 1, CompanyType: { id: 3, name: "Lender" } })); // { EntryId: 1, CompanyType: "Lender" }
 * ```
 */
export function flattenRow(
  entryType: SiteEntryType,
  row: Readonly<Record<string, unknown>>,
  options: FlattenRowOptions = {},
): Record<string, unknown> {
  const { resolve = "name", keys = "apiName" } = options;
  if (resolve !== "name" && resolve !== "id" && resolve !== "object")
    throw new InvalidArgumentError(`resolve must be "name", "id" or "object"; got ${String(resolve)}.`);
  return flatten(row, fieldsByApiName(entryType), resolve, keys);
}

/** The fields of an entry type by lower-case apiName, computed once per entry type object. */
const fieldMaps = new WeakMap<SiteEntryType, ReadonlyMap<string, SiteField>>();
function fieldsByApiName(entryType: SiteEntryType): ReadonlyMap<string, SiteField> {
  let map = fieldMaps.get(entryType);
  if (!map) {
    map = new Map(entryType.fields.map((field) => [field.apiName.toLowerCase(), field]));
    fieldMaps.set(entryType, map);
  }
  return map;
}

function flatten(
  row: Readonly<Record<string, unknown>>,
  fields: ReadonlyMap<string, SiteField>,
  resolve: "name" | "id" | "object",
  keys: "apiName" | "name",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    const field = fields.get(key.toLowerCase());
    const name = keys === "name" && field ? field.name : key;
    const named =
      field && (field.isName || field.kind === "choice" || field.kind === "reference" || field.kind === "user");
    if (!named || resolve === "object") {
      out[name] = value;
      continue;
    }
    const one = (item: unknown) => {
      if (typeof item !== "object" || item === null) return item;
      const { id, name: itemName } = item as { id?: unknown; name?: unknown };
      return resolve === "id" && !field.isName ? id : unescapeHtml(String(itemName ?? ""));
    };
    out[name] = Array.isArray(value)
      ? field.multi
        ? value.map(one)
        : one(value[0])
      : field.multi
        ? [one(value)]
        : one(value);
  }
  return out;
}
