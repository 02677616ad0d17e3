import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest } from "../http-error.js";
import type { Entry } from "../state/entries.js";
import { compileCellsFilters, compileRowsQuery, type CellsFilter } from "../state/filters.js";
import { FieldType } from "../state/site-data.js";
import { renderRow } from "../state/values.js";
import { getCells, getEntryFile, getHistoricalData, writeCells } from "./data-cells.js";
import { getRows, queryRows, writeRows } from "./data-rows.js";
import { arrayBody, boolParam, dateParam, intParam, isObject, renderOptions } from "./params.js";

/** DealCloud rejects GET URLs longer than this; long filters go through the POST query (catalogue §3.2, H). */
export const MAX_GET_URL_LENGTH = 2040;
/** History reads reach back at most 180 days (catalogue §3.5, H). */
const HISTORY_DAYS = 180;
const DAY_MS = 86_400_000;
/** Merge limits (catalogue §3.7, H). */
const MAX_MERGES = 100;
const MAX_MERGED_PER_ITEM = 10;

/** The Data API (`/api/rest/v4/data`, scope `data`): stateful over the site's entries. */
export function createDataArea(site: SiteContext): ApiArea {
  const typeOf = (call: ApiCall) => site.schema.entryType(call.params["entryTypeId"]!);

  return createApiArea(
    {
      route: "data",
      basePath: "/api/rest/v4/data",
      scope: "data",
      asUser: true,
      admit(call) {
        if (call.request.method === "GET" && call.request.url.length > MAX_GET_URL_LENGTH) {
          badRequest(
            `The request URL is ${call.request.url.length} characters; DealCloud accepts at most ${MAX_GET_URL_LENGTH} on GET. ` +
              "Send long filters with POST /entrydata/rows/query/{entryTypeId}.",
          );
        }
      },
      routes: [
        { method: "GET", path: "/entrydata/rows/{entryTypeId}", handle: (call) => getRows(site, call) },
        { method: "POST", path: "/entrydata/rows/query/{entryTypeId}", handle: (call) => queryRows(site, call) },
        { method: "POST", path: "/entrydata/rows/{entryTypeId}", handle: (call) => writeRows(site, call, "create") },
        { method: "PATCH", path: "/entrydata/rows/{entryTypeId}", handle: (call) => writeRows(site, call, "update") },
        { method: "PUT", path: "/entrydata/rows/{entryTypeId}", handle: (call) => writeRows(site, call, "upsert") },
        { method: "POST", path: "/entrydata/{entryTypeId}", handle: (call) => writeCells(site, call, "create") },
        { method: "PUT", path: "/entrydata/{entryTypeId}", handle: (call) => writeCells(site, call, "upsert") },
        { method: "DELETE", path: "/entrydata/{entryTypeId}", handle: (call) => deleteEntries(site, call) },
        { method: "POST", path: "/entrydata/get", handle: (call) => getCells(site, call) },
        {
          method: "GET",
          path: "/entrydata/{entryTypeId}/entries",
          handle: (call) =>
            json(
              200,
              site.entries.list(typeOf(call)).map((entry) => ({ id: entry.id, name: site.entries.nameOf(entry) })),
            ),
        },
        { method: "POST", path: "/entrydata/{entryTypeId}/filter", handle: (call) => filterEntries(site, call) },
        { method: "GET", path: "/entrydata/{entryTypeId}/entries/history", handle: (call) => history(site, call) },
        // The mock has no calculated fields or system triggers, so both history reads answer the same.
        { method: "GET", path: "/entrydata/{entryTypeId}/entries/allHistory", handle: (call) => history(site, call) },
        { method: "POST", path: "/merge/{entryTypeId}", handle: (call) => merge(site, call) },
        { method: "GET", path: "/rows/view", handle: (call) => listViews(site, call) },
        { method: "POST", path: "/rows/view/{viewId}", handle: (call) => viewRows(site, call) },
        { method: "POST", path: "/entrydata/getHistoricalData", handle: (call) => getHistoricalData(site, call) },
        { method: "GET", path: "/entryfiles/{entryId}/fields/{fieldId}", handle: (call) => getEntryFile(site, call) },
      ],
    },
    site,
  );
}

/** `POST /entrydata/{entryTypeId}/filter`: Cells-style filters, ANDed, answered as entry ids (catalogue §3.4). */
async function filterEntries(site: SiteContext, call: ApiCall): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const filters = arrayBody(
    await call.json(),
    'filters, e.g. [{"fieldId": 100001, "value": "Intapp", "filterOperation": 0}]',
  );
  const checked = filters.map((filter, index): CellsFilter => {
    if (!isObject(filter) || typeof filter["fieldId"] !== "number" || typeof filter["filterOperation"] !== "number") {
      return badRequest(`Filter ${index} needs fieldId, value and filterOperation (0-13).`);
    }
    return filter as unknown as CellsFilter;
  });
  const test = compileCellsFilters(site, type, checked, site.users.timeZoneOf(call.userId));
  return json(
    200,
    site.entries
      .list(type)
      .filter(test)
      .map((entry) => entry.id),
  );
}

/**
 * `GET .../entries/history` and `.../allHistory` (catalogue §3.5): entries modified since `modifiedSince`, and
 * deletions (with `mergedEntryId` for merges) only when `modifiedSince` is given; at most 180 days back. Changes
 * younger than the `historyLagMs` setting are not listed yet (an entry's latest change decides).
 */
function history(site: SiteContext, call: ApiCall): Response {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const since = dateParam(call.query.get("modifiedSince") ?? undefined, "modifiedSince");
  const now = site.settings.now();
  if (since !== undefined && since < now - HISTORY_DAYS * DAY_MS) {
    badRequest(
      "You cannot request history for more than 180 days. Omit 'modifiedSince' parameter to request history for all time",
    );
  }
  const listed = (at: number) => (since === undefined || at >= since) && at <= now - site.settings.historyLagMs;
  const modified = site.entries
    .list(type)
    .filter((entry) => listed(entry.modifiedAt))
    .map((entry) => ({ isDeleted: false, id: entry.id, name: site.entries.nameOf(entry), entryListId: type.id }));
  const deleted =
    since === undefined
      ? []
      : site.entries
          .tombstones(type)
          .filter((tombstone) => listed(tombstone.deletedAt))
          .map(({ id, name, entryListId, mergedEntryId }) => ({
            isDeleted: true,
            id,
            name,
            entryListId,
            ...(mergedEntryId !== undefined ? { mergedEntryId } : {}),
          }));
  return json(200, [...modified, ...deleted]);
}

function entriesOf(site: SiteContext, call: ApiCall, ids: readonly unknown[]): Entry[] {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  return ids.map((id) => {
    const entry = typeof id === "number" ? site.entries.get(id) : undefined;
    if (!entry || entry.type !== type)
      badRequest(`Entry with id ${JSON.stringify(id)} does not exist in ${type.apiName}.`);
    return entry!;
  });
}

/** `DELETE /entrydata/{entryTypeId}`: a JSON array of ids; one cell per deleted entry in the answer (catalogue §3.6). */
async function deleteEntries(site: SiteContext, call: ApiCall): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const ids = arrayBody(await call.json(), "entry ids, e.g. [5000001, 5000002]");
  const entries = [...new Set(entriesOf(site, call, ids))];
  const at = site.settings.now();
  const tombstones = entries.map((entry) => site.entries.remove(entry, at));
  if (tombstones.length > 0) site.entries.emit({ kind: "deleted", type, tombstones, userId: call.userId ?? 0, at });
  return json(
    200,
    entries.map((entry) => ({ entryId: entry.id, fieldId: 0, rowId: entry.id, isNoData: false })),
  );
}

/**
 * `POST /merge/{entryTypeId}` (catalogue §3.7): each item keeps `entryId` and deletes `mergeEntries`, moving
 * every reference to them onto the kept entry; `overwriteEmptyValues` fills the kept entry's blank fields when
 * exactly two entries are merged. The answer's shape is unknown: the mock answers `null`.
 */
async function merge(site: SiteContext, call: ApiCall): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  const overwrite = boolParam(call.query.get("overwriteEmptyValues") ?? undefined, "overwriteEmptyValues") ?? false;
  const items = arrayBody(await call.json(), 'merges, e.g. [{"entryId": 5000001, "mergeEntries": [5000002]}]');
  if (items.length > MAX_MERGES)
    badRequest(`Send no more than ${MAX_MERGES} merges per request (got ${items.length}).`);
  const seen = new Set<number>();
  const plans = items.map((item, index) => {
    if (!isObject(item) || !Array.isArray(item["mergeEntries"]))
      return badRequest(`Merge ${index} needs entryId and a mergeEntries array.`);
    const ids = [item["entryId"], ...item["mergeEntries"]];
    if (item["mergeEntries"].length === 0) badRequest(`Merge ${index}: mergeEntries is empty.`);
    if (item["mergeEntries"].length > MAX_MERGED_PER_ITEM)
      badRequest(
        `Merge ${index}: at most ${MAX_MERGED_PER_ITEM} ids per mergeEntries (got ${item["mergeEntries"].length}).`,
      );
    for (const id of ids) {
      if (seen.has(id as number))
        badRequest(`Entry ${JSON.stringify(id)} appears more than once: every id must be unique within the request.`);
      seen.add(id as number);
    }
    const [kept, ...merged] = entriesOf(site, call, ids);
    return { kept: kept!, merged };
  });
  const at = site.settings.now();
  const userId = call.userId ?? 0;
  const moved = new Map<number, number>();
  for (const { kept, merged } of plans) {
    if (overwrite && merged.length === 1) {
      const changes = new Map<number, unknown>();
      merged[0]!.values.forEach((value, index) => {
        if (value !== undefined && kept.values[index] === undefined) changes.set(index, value);
      });
      if (changes.size > 0) site.entries.update(kept, changes, userId, at);
    }
    for (const entry of merged) moved.set(entry.id, kept.id);
  }
  moveReferences(site, moved, userId, at);
  for (const { kept, merged } of plans) {
    const tombstones = merged.map((entry) => site.entries.remove(entry, at, kept.id));
    site.entries.emit({ kind: "deleted", type, tombstones, userId, at });
  }
  return json(200, null);
}

/** Points every reference to a merged entry at the entry it was merged into. */
function moveReferences(site: SiteContext, moved: ReadonlyMap<number, number>, userId: number, at: number): void {
  for (const type of site.schema.entryTypes) {
    const fields = type.fields.filter((field) => field.fieldType === FieldType.Reference);
    if (fields.length === 0) continue;
    for (const entry of site.entries.list(type)) {
      const changes = new Map<number, unknown>();
      for (const field of fields) {
        const value = entry.values[field.index];
        if (Array.isArray(value)) {
          if (value.some((id) => moved.has(id as number)))
            changes.set(field.index, [...new Set(value.map((id) => moved.get(id as number) ?? id))]);
        } else if (typeof value === "number" && moved.has(value)) changes.set(field.index, moved.get(value));
      }
      if (changes.size > 0) site.entries.update(entry, changes, userId, at);
    }
  }
}

/**
 * The mock's configured views (the real list's shape is unknown, catalogue §3.8): `supplyLater` columns are
 * the "supply value later" filters a view read fills from its body.
 */
const VIEWS = [
  {
    id: 1,
    name: "Portfolio companies",
    isPrivate: false,
    entryType: "company",
    query: '{"CompanyType": "Portfolio Company"}',
    supplyLater: [] as string[],
  },
  { id: 2, name: "Companies in a city", isPrivate: true, entryType: "company", query: "", supplyLater: ["City"] },
  {
    id: 3,
    name: "Deals in diligence",
    isPrivate: false,
    entryType: "deal",
    query: '{"Stage": "Diligence"}',
    supplyLater: [] as string[],
  },
] as const;

/** `GET /rows/view`: `{ totalRecords, rows }` of `{ id, name, isPrivate, entryListId }` (the mock's guess at the shape). */
function listViews(site: SiteContext, call: ApiCall): Response {
  const isPrivate = boolParam(call.query.get("isPrivate") ?? undefined, "isPrivate");
  const limit = intParam(call.query.get("limit") ?? undefined, "limit", 1) ?? 1000;
  const skip = intParam(call.query.get("skip") ?? undefined, "skip") ?? 0;
  const views = VIEWS.filter((view) => isPrivate === undefined || view.isPrivate === isPrivate);
  const rows = views.slice(skip, skip + limit).map(({ id, name, isPrivate: isPrivateView, entryType }) => ({
    id,
    name,
    isPrivate: isPrivateView,
    entryListId: site.schema.entryType(entryType).id,
  }));
  return json(200, { totalRecords: views.length, rows });
}

/** `POST /rows/view/{viewId}`: the view's rows; the body fills its "supply value later" filters with `$eq`. */
async function viewRows(site: SiteContext, call: ApiCall): Promise<Response> {
  const view =
    VIEWS.find((candidate) => String(candidate.id) === call.params["viewId"]) ??
    badRequest(`View ${call.params["viewId"]} does not exist.`);
  const type = site.schema.entryType(view.entryType);
  const filters = arrayBody(await call.json(), 'view filters, e.g. [{"column": "City", "value": "Boston"}]');
  const timeZone = site.users.timeZoneOf(call.userId);
  const tests = [view.query ? compileRowsQuery(site, type, view.query, timeZone) : () => true];
  for (const filter of filters) {
    if (!isObject(filter) || typeof filter["column"] !== "string")
      badRequest('Each view filter is {"column": "...", "value": ...}.');
    const column = (filter as { column: string }).column;
    if (!(view.supplyLater as readonly string[]).some((name) => name.toLowerCase() === column.toLowerCase())) {
      badRequest(`View ${view.id} has no "supply value later" filter on ${column}.`);
    }
    tests.push(compileRowsQuery(site, type, JSON.stringify({ [column]: filter["value"] }), timeZone));
  }
  const limit = intParam(call.query.get("limit") ?? undefined, "limit", 1) ?? 1000;
  const skip = intParam(call.query.get("skip") ?? undefined, "skip") ?? 0;
  const matching = site.entries.list(type).filter((entry) => tests.every((test) => test(entry)));
  const options = renderOptions(site, call, {});
  return json(200, {
    totalRecords: matching.length,
    rows: matching.slice(skip, skip + limit).map((entry) => renderRow(site, entry, type.fields, options)),
  });
}
