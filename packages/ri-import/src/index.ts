/**
 * Typed client for the DealCloud Relationship Intelligence Import API (`/api/rest/v4/ri/import`, scope `ri_import`): import emails and meetings into Relationship Intelligence and read each user's import status. Types are generated from
 * `openapi.yaml`, reconstructed from public sources; each operation's TSDoc says what it is known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { riImport } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { riImport };
export type * from "./generated/openapi.js";

/** A typed client for the Relationship Intelligence Import API. */
export type RiImportClient = ApiClient<paths>;

/**
 * A typed client for the Relationship Intelligence Import API, asking for tokens with scope `ri_import` only.
 * The vendor's token page names the prefix `/api/rest/v1/ri/import`, its endpoint pages `/api/rest/v4/ri/import`
 * (modelled here); pass `basePath` if your site serves the other one.
 *
 * @example
 * ```ts
 * import { createRiImportClient } from "@dealcloud-ts/ri-import";
 *
 * const ri = createRiImportClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const { data: status } = await ri.GET("/status", { params: { query: { userIds: [8278] } } });
 * ```
 */
export function createRiImportClient(options: ApiClientOptions & { throwOnError: true }): ThrowingApiClient<paths>;
export function createRiImportClient(options: ApiClientOptions): RiImportClient;
export function createRiImportClient(options: ApiClientOptions): RiImportClient | ThrowingApiClient<paths> {
  return createApiClient(riImport, options);
}
