import type { ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json, mediaType } from "../http.js";
import { badRequest } from "../http-error.js";
import type { Entry } from "../state/entries.js";
import type { EntryType, Field } from "../state/schema.js";
import { FieldType } from "../state/site-data.js";
import { CLEAR, formatDate, parseWrittenValue, renderCellValue } from "../state/values.js";
import { arrayBody, boolParam, intParam, isObject, renderOptions } from "./params.js";

/** Cells reads and writes (catalogue §3.4). */

/** Cells per read or write request (catalogue §3.4, H). */
export const MAX_CELLS = 10_000;

const integer = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value);

/** Field types that only `binaryStoreRequests` can write: 13 Binary (file), 16 Image (catalogue §3.4). */
const BINARY_TYPES: readonly number[] = [13, 16];

function fieldOf(site: SiteContext, fieldId: unknown, type?: EntryType): Field {
  const field = integer(fieldId) ? site.schema.field(fieldId) : undefined;
  if (!field || (type && field.entryListId !== type.id))
    badRequest(`Field with Id "${String(fieldId)}" does not exist`);
  return field!;
}

/**
 * `POST` (create: every `entryId` negative) and `PUT` (update or upsert) on `/entrydata/{entryTypeId}`. Cells
 * with the same negative `entryId` form one new entry; if any cell is invalid the whole batch fails. The answer's
 * shape is unknown (catalogue §3.4): the mock answers the written cells in the read shape.
 */
export async function writeCells(site: SiteContext, call: ApiCall, mode: "create" | "upsert"): Promise<Response> {
  const type = site.schema.entryType(call.params["entryTypeId"]!);
  if (mediaType(call.request) === "multipart/form-data") return writeBinaryCells(site, call, type);
  const body = await call.json();
  if (!isObject(body)) badRequest('The body must be {"storeRequests": [...], "binaryStoreRequests": [...]}.');
  const requests = body["storeRequests"] === undefined ? [] : arrayBody(body["storeRequests"], "store requests");
  if (Array.isArray(body["binaryStoreRequests"]) && body["binaryStoreRequests"].length > 0) {
    badRequest("binaryStoreRequests are sent as multipart/form-data (a `model` part and an `attachment` file part).");
  }
  if (requests.length > MAX_CELLS)
    badRequest(`Send no more than ${MAX_CELLS} cells per request (got ${requests.length}); split the batch.`);
  const userId = call.userId ?? 0;
  const timeZone = site.users.timeZoneOf(userId);
  const pendingIds = new Set<number>();
  for (const request of requests)
    if (isObject(request) && integer(request["entryId"]) && request["entryId"] < 0) pendingIds.add(request["entryId"]);

  const planned = requests.map((request, index) => {
    if (!isObject(request) || !integer(request["entryId"]) || request["entryId"] === 0)
      return badRequest(`Store request ${index} needs an integer entryId (negative for a new entry) and a fieldId.`);
    const entryId = request["entryId"];
    const field = fieldOf(site, request["fieldId"], type);
    if (BINARY_TYPES.includes(field.fieldType))
      badRequest(`Field with Id "${field.id}" is a file or image field: write it with binaryStoreRequests.`);
    if (entryId > 0) {
      if (mode === "create")
        badRequest(
          `Store request ${index}: entryId must be negative for a new entry (got ${entryId}); update existing entries with PUT.`,
        );
      const existing = site.entries.get(entryId);
      if (!existing || existing.type !== type)
        badRequest(`Entry with id ${entryId} does not exist in ${type.apiName}.`);
    }
    return {
      entryId,
      field,
      value: parseWrittenValue(site, field, request["value"] ?? null, { timeZone, pendingIds }),
    };
  });

  const at = site.settings.now();
  const realIds = new Map<number, Entry>();
  const created: Entry[] = [];
  for (const { entryId } of planned) {
    if (entryId < 0 && !realIds.has(entryId)) {
      const entry = site.entries.create(type, [], userId, at);
      realIds.set(entryId, entry);
      created.push(entry);
    }
  }
  const resolve = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(resolve) : typeof value === "number" && value < 0 ? realIds.get(value)?.id : value;
  const changes = new Map<Entry, Map<number, unknown>>();
  const written = new Set<Field>();
  for (const { entryId, field, value } of planned) {
    const entry = entryId < 0 ? realIds.get(entryId)! : site.entries.get(entryId)!;
    const stored = value === CLEAR ? undefined : field.fieldType === FieldType.Reference ? resolve(value) : value;
    let forEntry = changes.get(entry);
    if (!forEntry) changes.set(entry, (forEntry = new Map()));
    forEntry.set(field.index, stored);
    written.add(field);
  }
  const updated: Entry[] = [];
  for (const [entry, values] of changes) {
    if (created.includes(entry)) for (const [index, value] of values) entry.values[index] = value;
    else {
      site.entries.update(entry, values, userId, at);
      updated.push(entry);
    }
  }
  const fields = [...written];
  if (created.length > 0)
    site.entries.emit({ kind: "created", type, entries: created, fields, format: "Cells", userId, at });
  if (updated.length > 0)
    site.entries.emit({ kind: "updated", type, entries: updated, fields, format: "Cells", userId, at });
  const options = { origin: call.url.origin };
  const answer = [...changes].flatMap(([entry, values]) =>
    [...values.keys()].map((index) => cell(site, entry.id, entry.type.fields[index]!, entry.values[index], options)),
  );
  return json(200, answer);
}

/**
 * The multipart form of a cells write (a `model` JSON part with `binaryStoreRequests`, an `attachment` file
 * part). The mock's objects have no file or image fields, so every such request names a field that cannot take
 * a file: the request is parsed and checked, then refused as the real site would refuse it.
 */
async function writeBinaryCells(site: SiteContext, call: ApiCall, type: EntryType): Promise<Response> {
  let form: FormData;
  try {
    form = await call.request.formData();
  } catch {
    return badRequest("The multipart body could not be read.");
  }
  const model = form.get("model");
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof model === "string" ? model : model ? await model.text() : "");
  } catch {
    return badRequest('The multipart body needs a JSON `model` part: {"binaryStoreRequests": [...]}.');
  }
  if (!form.get("attachment")) badRequest("The multipart body needs an `attachment` file part.");
  const requests = isObject(parsed)
    ? arrayBody(parsed["binaryStoreRequests"], "binary store requests")
    : badRequest("The `model` part must be a JSON object.");
  for (const request of requests) {
    const field = fieldOf(site, isObject(request) ? request["fieldId"] : undefined, type);
    if (!BINARY_TYPES.includes(field.fieldType))
      badRequest(`Field with Id "${field.id}" is not a file or image field.`);
  }
  return badRequest("The mock site stores no files.");
}

interface CellOptions {
  wrapIntoArrays?: boolean;
  resolveReferenceUrls?: boolean;
  origin?: string;
  timeZone?: string;
}

function cell(
  site: SiteContext,
  entryId: number,
  field: Field,
  stored: unknown,
  options: CellOptions,
): Record<string, unknown> {
  const value = renderCellValue(site, field, stored, options);
  return value === undefined
    ? { entryId, fieldId: field.id, isNoData: true }
    : { entryId, fieldId: field.id, isNoData: false, value };
}

/**
 * `POST /entrydata/get`: up to 10,000 `{ entryId, fieldId, currencyCode? }`. Missing or deleted entries answer
 * `isNoData: true`. Currency conversion is not simulated: any enabled code answers the stored amount.
 */
export async function getCells(site: SiteContext, call: ApiCall): Promise<Response> {
  const requests = arrayBody(await call.json(), 'cells to read, e.g. [{"entryId": 5000001, "fieldId": 100001}]');
  if (requests.length > MAX_CELLS)
    badRequest(`Read no more than ${MAX_CELLS} cells per request (got ${requests.length}); split the batch.`);
  const options = renderOptions(site, call, {
    wrapIntoArrays: call.query.get("wrapIntoArrays") ?? undefined,
    // The Cells read spells it in the singular (catalogue §3.4).
    resolveReferenceUrls: call.query.get("resolveReferenceUrl") ?? undefined,
    dateTimeBehavior: call.query.get("dateTimeBehavior") ?? undefined,
  });
  const extended = boolParam(call.query.get("fillExtendedData") ?? undefined, "fillExtendedData") ?? false;
  const answer = requests.map((request, index) => {
    if (!isObject(request) || !integer(request["entryId"]))
      return badRequest(`Cell ${index} needs an integer entryId and fieldId.`);
    const field = fieldOf(site, request["fieldId"]);
    const currency = request["currencyCode"];
    if (currency !== undefined && currency !== "RC" && !["USD", "GBP", "EUR"].includes(String(currency))) {
      badRequest(`Currency code "${String(currency)}" is not enabled on this site.`);
    }
    const entry = site.entries.get(request["entryId"]);
    const stored = entry && entry.type.id === field.entryListId ? entry.values[field.index] : undefined;
    const result = cell(site, request["entryId"], field, stored, options);
    if (field.isMoney) result["requestedCurrencyCode"] = typeof currency === "string" ? currency : "RC";
    if (extended && entry) {
      result["modified"] = formatDate(entry.modifiedAt);
      result["modifiedBy"] = entry.modifiedBy;
    }
    return result;
  });
  return json(200, answer);
}

/** `POST /entrydata/getHistoricalData`: the values fields held before each change since `fromDate` (the answer's shape is unknown: the mock answers cells). */
export async function getHistoricalData(site: SiteContext, call: ApiCall): Promise<Response> {
  const body = await call.json();
  if (!isObject(body)) badRequest('The body must be {"entryTypeId", "fields": [...], "entries": [...], "fromDate"}.');
  const fields = new Set(arrayBody(body["fields"] ?? [], "field ids").map((id) => fieldOf(site, id).id));
  const entries = new Set(arrayBody(body["entries"] ?? [], "entry ids"));
  const from = body["fromDate"] === undefined ? 0 : Date.parse(String(body["fromDate"]));
  if (Number.isNaN(from)) badRequest("fromDate must be an ISO 8601 date-time.");
  const answer = site.entries.valueChanges
    .filter(
      (change) =>
        change.at >= from &&
        (fields.size === 0 || fields.has(change.fieldId)) &&
        (entries.size === 0 || entries.has(change.entryId)),
    )
    .map((change) => {
      const field = site.schema.field(change.fieldId)!;
      return {
        ...cell(site, change.entryId, field, change.previous, {}),
        modified: formatDate(change.at),
        modifiedBy: change.by,
      };
    });
  return json(200, answer);
}

/** `GET /entryfiles/{entryId}/fields/{fieldId}`: the mock stores no files, so only the checks are real. */
export function getEntryFile(site: SiteContext, call: ApiCall): Response {
  const entryId = intParam(call.params["entryId"], "entryId", 1)!;
  const field = fieldOf(site, intParam(call.params["fieldId"], "fieldId", 1));
  const entry = site.entries.get(entryId);
  if (!entry || entry.type.id !== field.entryListId)
    badRequest(`Entry with id ${entryId} does not exist or has no field ${field.id}.`);
  if (!BINARY_TYPES.includes(field.fieldType)) badRequest(`Field with Id "${field.id}" is not a file or image field.`);
  return badRequest("The mock site stores no files.");
}
