import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { badRequest } from "../http-error.js";
import { noContent, objectBody, prop } from "./body-fields.js";
import { dateParam } from "./params.js";

/**
 * The Site Backups API (catalogue §8): only `POST /request` is documented. The mock checks the body, resolves the
 * objects and remembers the request; no backup file is ever produced (listing and downloading are not
 * documented). Every caller counts as a designated backup user (the mock's assumption).
 */

/** One ad hoc backup request the site received. */
export interface BackupRequestRecord {
  /** The objects (entry type ids) to back up, in the order asked. */
  readonly entryTypeIds: readonly number[];
  /** The user who asked (undefined for a client id that is not a user id). */
  readonly requestedBy: number | undefined;
  /** Site clock, ms. */
  readonly at: number;
}

export function createBackupsArea(context: SiteContext): ApiArea {
  /** The requests received since the last reset (no API reads them back: listing backups is undocumented). */
  let requests: BackupRequestRecord[] = [];

  async function requestBackup(call: ApiCall): Promise<Response> {
    const body = objectBody(await call.json(), '{ "ids": [entry type ids] } or { "apiNames": [entry type apiNames] }');
    const ids = prop(body, "ids");
    const apiNames = prop(body, "apiNames");
    const given = (value: unknown) => value !== undefined && value !== null;
    if (given(ids) && given(apiNames)) badRequest("Send either ids or apiNames, not both.");
    if (!given(ids) && !given(apiNames))
      badRequest('Send the objects to back up: { "ids": [2011] } or { "apiNames": ["company"] }.');
    // Deprecated and "not necessary" (catalogue §8): checked when sent, otherwise ignored.
    dateParam(prop(body, "fromDate"), "fromDate");

    const byIds = given(ids);
    const list = byIds ? ids : apiNames;
    const name = byIds ? "ids" : "apiNames";
    const itemOk = (item: unknown) =>
      byIds ? typeof item === "number" && Number.isInteger(item) : typeof item === "string" && item.trim() !== "";
    if (!Array.isArray(list) || list.length === 0 || !list.every(itemOk)) {
      badRequest(`${name} must be a non-empty array of ${byIds ? "entry type ids" : "entry type apiNames"}.`);
    }
    const unknown: unknown[] = [];
    const entryTypeIds: number[] = [];
    for (const item of list as (number | string)[]) {
      // An apiName made of digits would be read as an id by `findEntryType`; apiNames never are (DealCloud's start with a letter).
      const type = byIds || !/^-?\d+$/.test(String(item).trim()) ? context.schema.findEntryType(item) : undefined;
      if (type) entryTypeIds.push(type.id);
      else unknown.push(item);
    }
    if (unknown.length > 0)
      badRequest(
        `Unknown object ${byIds ? "id" : "apiName"}${unknown.length > 1 ? "s" : ""}: ${unknown.map(String).join(", ")}.`,
      );
    requests.push({ entryTypeIds: [...new Set(entryTypeIds)], requestedBy: call.userId, at: context.settings.now() });
    return noContent();
  }

  return createApiArea(
    {
      route: "backups",
      basePath: "/api/rest/v4/backups",
      scope: "backup",
      routes: [{ method: "POST", path: "/request", handle: requestBackup }],
      reset() {
        requests = [];
      },
    },
    context,
  );
}
