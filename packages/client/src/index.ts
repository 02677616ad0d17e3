/**
 * The shared runtime of the DealCloud API packages. Every `@dealcloud-ts/<api>` package is types, a generated
 * {@link ApiDescriptor} and a one-line `createXClient` over this package, so combining APIs never duplicates code.
 *
 * @packageDocumentation
 */
export { createApiClient, type ApiClient, type ApiClientOptions, type OwnTokensOptions, type SharedTokensOptions, type TransportOptions } from "./api-client.js";
export { createAuthFetch, type AuthFetchOptions, type RequestFetch } from "./auth-fetch.js";
export type { ApiDescriptor, PathsOf } from "./descriptor.js";
