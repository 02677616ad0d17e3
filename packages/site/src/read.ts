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
  const plan = planner(byLowerApiName(entryType), keys);
  const rows = iterateRows(data as AnyDataClient, {
    entryTypeId: entryType.id,
    query,
    fields: fields.length ? fields.map((field) => field.apiName) : undefined,
    pageSize,
    concurrency,
    signal,
    onProgress,
  });
  for await (const row of rows) yield flatten(row as Record<string, unknown>, plan, resolve);
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
  return flatten(row, plannerFor(entryType, keys), resolve);
}

/** How one key of the rows is flattened: worked out once per key, since every row of a read has the same keys. */
interface KeyPlan {
  /** The key in the flattened row. */
  readonly out: string;
  /** The field, when the key names one. */
  readonly field: SiteField | undefined;
  /** Whether its values are `{ id, name }` objects to flatten (choice, reference, user and name fields). */
  readonly named: boolean;
}

type Planner = (key: string) => KeyPlan;

/** Plans by key for `fields` and `keys`, built as keys are met. */
function planner(fields: ReadonlyMap<string, SiteField>, keys: "apiName" | "name"): Planner {
  const plans = new Map<string, KeyPlan>();
  return (key) => {
    let plan = plans.get(key);
    if (!plan) {
      const field = fields.get(key.toLowerCase());
      const named =
        field !== undefined &&
        (field.isName || field.kind === "choice" || field.kind === "reference" || field.kind === "user");
      plan = { out: keys === "name" && field ? field.name : key, field, named };
      plans.set(key, plan);
    }
    return plan;
  };
}

/** The planner of the last `flattenRow` call: the rows of one read share entry type and key style. */
let lastPlan: { entryType: SiteEntryType; keys: string; plan: Planner } | undefined;
function plannerFor(entryType: SiteEntryType, keys: "apiName" | "name"): Planner {
  if (lastPlan?.entryType !== entryType || lastPlan.keys !== keys)
    lastPlan = { entryType, keys, plan: planner(byLowerApiName(entryType), keys) };
  return lastPlan.plan;
}

const byLowerApiName = (entryType: SiteEntryType) =>
  new Map(entryType.fields.map((field) => [field.apiName.toLowerCase(), field]));

/** One `{ id, name }` item as its name (unescaped) or id; anything else as it is. */
function flatItem(item: unknown, byId: boolean): unknown {
  if (typeof item !== "object" || item === null) return item;
  const { id, name } = item as { id?: unknown; name?: unknown };
  return byId ? id : unescapeHtml(String(name ?? ""));
}

function flatten(
  row: Readonly<Record<string, unknown>>,
  plan: Planner,
  resolve: "name" | "id" | "object",
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    const { out: name, field, named } = plan(key);
    if (!named || resolve === "object" || field === undefined) {
      out[name] = value;
      continue;
    }
    const byId = resolve === "id" && !field.isName;
    const items = Array.isArray(value) ? value : [value];
    out[name] = field.multi ? items.map((item) => flatItem(item, byId)) : flatItem(items[0], byId);
  }
  return out;
}
