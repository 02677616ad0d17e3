/**
 * Typed client for the DealCloud Publications API (`/api/rest/v1/publication`, scope `publish`): poll publication topics for data, schema and user events, then acknowledge what you processed. Types are generated from
 * `openapi.yaml`, reconstructed from public sources; each operation's TSDoc says what it is known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { publications } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { publications };
export type * from "./generated/openapi.js";

/** A typed client for the Publications API. */
export type PublicationsClient = ApiClient<paths>;

/**
 * A typed client for the Publications API, asking for tokens with scope `publish` only.
 * Publications are session based: a poll opens a session that expires 5 minutes after the last poll, and
 * acknowledgements (offset + 1) take effect when the next session starts.
 *
 * @example
 * ```ts
 * import { createPublicationsClient } from "@dealcloud-ts/publications";
 *
 * const events = createPublicationsClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const { data } = await events.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 60_000, Count: 100 } });
 * const last = data?.at(-1);
 * if (last) await events.POST("/acknowledge", { body: [{ Name: last.topicName, Offset: last.topicOffset + 1 }] });
 * ```
 */
export function createPublicationsClient(options: ApiClientOptions & { throwOnError: true }): ThrowingApiClient<paths>;
export function createPublicationsClient(options: ApiClientOptions): PublicationsClient;
export function createPublicationsClient(options: ApiClientOptions): PublicationsClient | ThrowingApiClient<paths> {
  return createApiClient(publications, options);
}
