/**
 * Typed client for the DealCloud Site Backups API (`/api/rest/v4/backups`, scope `backup`): request ad hoc
 * zipped CSV backups of a site's entry data. Only the site's designated backup users may call it. Types are
 * generated from `openapi.yaml`, reconstructed from public sources; each operation's TSDoc says what it is
 * known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { backups } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { backups };
export type * from "./generated/openapi.js";

/** A typed client for the Site Backups API. */
export type BackupsClient = ApiClient<paths>;

/**
 * A typed client for the Site Backups API, asking for tokens with scope `backup` only.
 *
 * @example
 * ```ts
 * import { createBackupsClient } from "@dealcloud-ts/backups";
 *
 * const backupsApi = createBackupsClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const { error } = await backupsApi.POST("/request", { body: { apiNames: ["company", "deal"] } });
 * if (error) throw new Error(error.message);
 * ```
 */
export function createBackupsClient(options: ApiClientOptions & { throwOnError: true }): ThrowingApiClient<paths>;
export function createBackupsClient(options: ApiClientOptions): BackupsClient;
export function createBackupsClient(options: ApiClientOptions): BackupsClient | ThrowingApiClient<paths> {
  return createApiClient(backups, options);
}
