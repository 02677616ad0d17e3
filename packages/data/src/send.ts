import { InvalidOptionError, sendRequest, type ThrowingApiClient } from "@dealcloud-ts/client";
import type { DataClient } from "./index.js";
import type { paths } from "./generated/openapi.js";

/** Either form of the Data client: plain (`{ data, error }`) or throwing (`throwOnError: true`). */
export type AnyDataClient = DataClient | ThrowingApiClient<paths>;

/** Sends one request through either form of the Data client; see `sendRequest`. */
export const send = (client: AnyDataClient, method: "GET" | "POST", path: string, init: object) =>
  sendRequest(client, method, path, init);

/** Throws {@link InvalidOptionError} unless `entryTypeId` is an object id or a non-empty apiName. */
export function checkEntryTypeId(where: string, entryTypeId: unknown): void {
  if (!(Number.isInteger(entryTypeId) || (typeof entryTypeId === "string" && entryTypeId.trim() !== "")))
    throw new InvalidOptionError(where, "entryTypeId", 'an object id or apiName, e.g. "company"', entryTypeId);
}
