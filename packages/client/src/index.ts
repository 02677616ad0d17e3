/**
 * The shared runtime of the DealCloud API packages. Every `@dealcloud-ts/<api>` package is types, a generated
 * {@link ApiDescriptor} and a one-line `createXClient` over this package, so combining APIs never duplicates
 * code. {@link createDealCloud} combines the APIs you pick under one token that asks for exactly their scopes.
 *
 * @packageDocumentation
 */
export {
  createApiClient,
  type ApiClient,
  type ApiClientOptions,
  type OwnTokensOptions,
  type SharedTokensOptions,
  type TransportOptions,
} from "./api-client.js";
export {
  createAuthFetch,
  type AuthFetchOptions,
  type NetworkFetch,
  type RequestFetch,
  type RetryOptions,
  type TransportCallOptions,
} from "./auth-fetch.js";
export {
  createDealCloud,
  unionScopes,
  type DealCloudClients,
  type DealCloudOptions,
  type DealCloudThrowingClients,
  type ScopeStrategy,
} from "./dealcloud.js";
export type { ThrowingApiClient, ThrowingMethod } from "./throwing.js";
export type {
  ApiMethod,
  ApiRequestMethod,
  CallInit,
  CallOptions,
  CallResponse,
  HttpMethod,
  NoExtraKeys,
  PathsWith,
  RequestMethodName,
  Resolved,
} from "./typed-client.js";
export type { ApiDescriptor, PathsOf } from "./descriptor.js";
export {
  AbortedError,
  APIError,
  AuthenticationError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  MissingScopeError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  errorForResponse,
  type APIErrorDetails,
} from "./errors.js";
export { InvalidOptionError } from "./invalid-option.js";
export { sleep } from "./timing.js";
export { sendRequest, UnexpectedAnswerError } from "./send.js";
export {
  checkPagingOptions,
  MAX_PAGE_CONCURRENCY,
  paginate,
  type PageInfo,
  type PageProgress,
  type PaginateOptions,
} from "./paginate.js";
export { authMiddleware } from "./middleware.js";
// Token failures reach every API call as this class: re-exported so one import handles both families.
export {
  DealCloudAuthError,
  DealCloudError,
  type ApiHelperErrorCode,
  type AuthErrorCode,
  type ClientErrorCode,
  type DealCloudErrorCode,
} from "@dealcloud-ts/auth";
