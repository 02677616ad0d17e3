/**
 * Typed client for the DealCloud Schema API (`/api/rest/v4/schema`, scope `data`): entry types (objects), their fields, field types, users, currencies, time zones and filter operations of a site. Types are generated from
 * `openapi.yaml`, reconstructed from public sources; each operation's TSDoc says what it is known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { schema } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { schema };
export type * from "./generated/openapi.js";

/** A typed client for the Schema API. */
export type SchemaClient = ApiClient<paths>;

/**
 * A typed client for the Schema API, asking for tokens with scope `data` only.
 * DealCloud allows 5 Schema calls per second; the descriptor carries that limit (`schema.rateLimit`).
 *
 * @example
 * ```ts
 * import { createSchemaClient } from "@dealcloud-ts/schema";
 *
 * const schemaApi = createSchemaClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const { data: entryTypes = [] } = await schemaApi.GET("/entrytypes");
 * const company = entryTypes.find((entryType) => entryType.apiName === "company");
 * const { data: fields } = await schemaApi.GET("/entrytypes/{entryTypeId}/fields", { params: { path: { entryTypeId: "company" } } });
 * ```
 */
export function createSchemaClient(options: ApiClientOptions & { throwOnError: true }): ThrowingApiClient<paths>;
export function createSchemaClient(options: ApiClientOptions): SchemaClient;
export function createSchemaClient(options: ApiClientOptions): SchemaClient | ThrowingApiClient<paths> {
  return createApiClient(schema, options);
}
