/**
 * Every way `@dealcloud-ts/auth` can fail. Match on `code`, never on the message text: codes are stable,
 * messages are written for people and may improve.
 *
 * | code | meaning | retried by the manager? |
 * | --- | --- | --- |
 * | `INVALID_OPTION` | an option of `createTokenManager` or `getToken` is missing, of the wrong type or out of range | no |
 * | `MISSING_CREDENTIALS` | `clientId` or `clientSecret` (or a `tokenProvider`) is missing or empty | no |
 * | `SECRET_IN_BROWSER` | a `clientSecret` was given in a browser without `dangerouslyAllowBrowser` | no |
 * | `INVALID_BASE_URL` | `baseUrl` is not a usable https address (plain http only on loopback) | no |
 * | `UNKNOWN_SCOPE` / `EMPTY_SCOPES` | a scope is not one of `SCOPES` (`@dealcloud-ts/auth`), or none was given | no |
 * | `INVALID_CLIENT` | the token endpoint rejected the client id or secret (400/401 `invalid_client`) | no |
 * | `INVALID_SCOPE` | the token endpoint rejected the scopes (400 `invalid_scope`) | no |
 * | `INVALID_REQUEST` | any other 4xx from the token endpoint, or a redirect (usually a wrong `baseUrl`) | no |
 * | `FORBIDDEN` | 403: the user lacks a scope or user-group permission | no |
 * | `TOKEN_RATE_LIMITED` | the per-minute token budget (client side) or a 429 from DealCloud; see `retryAfterMs` | 429: yes, bounded |
 * | `SERVER_ERROR` | 408 or 5xx from the token endpoint after the last attempt | yes, bounded |
 * | `NETWORK_ERROR` | fetch (or the `tokenProvider`) threw, after the last attempt | yes, bounded |
 * | `TIMEOUT` | an attempt took longer than `tokenTimeoutMs`, after the last attempt | yes, bounded |
 * | `INVALID_TOKEN_RESPONSE` | a 2xx answer without a usable `access_token`, `token_type` or `expires_in` | no |
 * | `ABORTED` | the caller's `AbortSignal` fired (that caller's wait ends; a refresh others share goes on) | no |
 */
export type AuthErrorCode =
  | "INVALID_OPTION"
  | "MISSING_CREDENTIALS"
  | "SECRET_IN_BROWSER"
  | "INVALID_BASE_URL"
  | "UNKNOWN_SCOPE"
  | "EMPTY_SCOPES"
  | "INVALID_CLIENT"
  | "INVALID_SCOPE"
  | "INVALID_REQUEST"
  | "FORBIDDEN"
  | "TOKEN_RATE_LIMITED"
  | "SERVER_ERROR"
  | "NETWORK_ERROR"
  | "TIMEOUT"
  | "INVALID_TOKEN_RESPONSE"
  | "ABORTED";

/** The codes of `@dealcloud-ts/client`'s errors (`MissingScopeError`, `APIError` and its subclasses, transport failures). */
export type ClientErrorCode =
  | "MISSING_SCOPE"
  | "API_ERROR"
  | "AUTHENTICATION"
  | "PERMISSION_DENIED"
  | "NOT_FOUND"
  | "RATE_LIMITED"
  | "SERVER_ERROR"
  | "CONNECTION"
  | "TIMEOUT"
  | "ABORTED"
  | "INVALID_OPTION"
  | "INVALID_RESPONSE"
  | "RESPONSE_TOO_LARGE"
  | "REDIRECT_REFUSED";

/**
 * The codes of the batch helpers of `@dealcloud-ts/data` (`writeRows`, `writeCells`, `deleteEntries`,
 * `mergeEntries`): `INVALID_ARGUMENT` is thrown before anything is sent; the others mark rows in a write report.
 *
 * | code | meaning |
 * | --- | --- |
 * | `INVALID_ARGUMENT` | an argument is missing, of the wrong type or out of range; the message says what to pass; nothing was sent |
 * | `ROW_REJECTED` | DealCloud refused this row: a 400 for a request holding only it (and rows linked to it), or a 200 listing its `Errors` |
 * | `BATCH_REJECTED` | the request was refused for a reason that is not about its rows (401, 403, 404, 408, 429, 503, no token): nothing in it was written |
 * | `OUTCOME_UNKNOWN` | the request got no answer (network, timeout) or a 500/502/504: its rows may or may not have been written; never retried |
 * | `NOT_SENT` | the write was aborted before this row's request was sent |
 * | `FULL_RESYNC_REQUIRED` | `syncEntries`: the checkpoint is older than history's 180 days, so deletions are lost; export everything again |
 * | `CHECKPOINT_MISMATCH` | `syncEntries`: the checkpoint belongs to another entry type or an unknown checkpoint version |
 */
export type DataErrorCode =
  | "INVALID_ARGUMENT"
  | "ROW_REJECTED"
  | "BATCH_REJECTED"
  | "OUTCOME_UNKNOWN"
  | "NOT_SENT"
  | "FULL_RESYNC_REQUIRED"
  | "CHECKPOINT_MISMATCH";

/**
 * The codes of the API packages' own helpers (`@dealcloud-ts/data`'s `readHistory`, the paging helpers):
 *
 * | code | meaning |
 * | --- | --- |
 * | `HISTORY_WINDOW_EXCEEDED` | a history `modifiedSince` more than 180 days ago (DealCloud answers 400); refused before sending |
 * | `UNEXPECTED_ANSWER` | a 2xx answer without the shape a helper needs (e.g. a page without a `rows` array) |
 */
export type ApiHelperErrorCode = "HISTORY_WINDOW_EXCEEDED" | "UNEXPECTED_ANSWER";

/**
 * The codes of `@dealcloud-ts/site` (writes by name and upsert by a key); both are thrown before anything is written.
 *
 * | code | meaning |
 * | --- | --- |
 * | `UNKNOWN_NAME` | a choice, reference or user value names nothing on the site; the error lists the closest names |
 * | `AMBIGUOUS_KEY` | an upsert key matches several existing entries; the error lists their ids |
 */
export type SiteErrorCode = "UNKNOWN_NAME" | "AMBIGUOUS_KEY";

/**
 * The codes of the `dealcloud` command-line tool (`@dealcloud-ts/cli`), thrown before anything is sent or written.
 *
 * | code | meaning |
 * | --- | --- |
 * | `USAGE_ERROR` | a bad argument, flag, file or filter, an unknown entry type, field or CSV column (with suggestions), or a missing credential (naming the variable to set); exit code 2 |
 */
export type CliErrorCode = "USAGE_ERROR";

/**
 * The codes of `@dealcloud-ts/publications/consumer` (`consumePublications`):
 *
 * | code | meaning |
 * | --- | --- |
 * | `CHECKPOINT_FAILED` | the checkpoint store's `get` or `set` threw; the event it was recording is not marked processed |
 * | `ACKNOWLEDGE_FAILED` | the acknowledgement sent when the consumer stopped failed; the offsets it carried will be delivered again |
 */
export type PublicationsErrorCode = "CHECKPOINT_FAILED" | "ACKNOWLEDGE_FAILED";

/**
 * Every `code` any `@dealcloud-ts` package can throw: one union, so one `switch (error.code)` covers a failed
 * token request and a failed API call alike.
 */
export type DealCloudErrorCode =
  | AuthErrorCode
  | ClientErrorCode
  | DataErrorCode
  | ApiHelperErrorCode
  | SiteErrorCode
  | CliErrorCode
  | PublicationsErrorCode;

/**
 * The base of every error the SDK throws, in every package: `error instanceof DealCloudError` catches a failed
 * token request as well as a failed API call. Branch on `code`; `name` is a literal per class, so it survives
 * minification.
 */
export class DealCloudError extends Error {
  /** The class's literal name (`"DealCloudError"` here; each subclass sets its own), also in minified bundles. */
  override readonly name: string = "DealCloudError";
  /** What went wrong, stable across versions; branch on this rather than on `message`. */
  // `declare`: set in the constructor, so no class field (bytes) is emitted for it.
  declare readonly code: DealCloudErrorCode;
  constructor(code: DealCloudErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Extra facts carried by a {@link DealCloudAuthError}. */
export interface AuthErrorDetails {
  /** HTTP status of the token endpoint's answer, when the failure is one. */
  status?: number | undefined;
  /** How long to wait before asking again, for `TOKEN_RATE_LIMITED`. */
  retryAfterMs?: number | undefined;
  /** The underlying error (a network `TypeError`, the caller's abort reason). Never a response body. */
  cause?: unknown;
}

/**
 * The one error class of `@dealcloud-ts/auth`. Its message says what to fix; it never contains the client
 * secret, an access token or a response body (only the status and the OAuth `error` code).
 *
 * @example
 * ```ts
 * import { createTokenManager, DealCloudAuthError } from "@dealcloud-ts/auth";
 *
 * const tokens = createTokenManager({ baseUrl: "yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * try {
 *   await tokens.getToken(["data"]);
 * } catch (error) {
 *   if (error instanceof DealCloudAuthError && error.code === "TOKEN_RATE_LIMITED") {
 *     console.log(`try again in ${error.retryAfterMs} ms`);
 *   }
 * }
 * ```
 */
export class DealCloudAuthError extends DealCloudError {
  /** Always `"DealCloudAuthError"`, so the class can be recognised across package copies and bundles. */
  override readonly name = "DealCloudAuthError";
  /** Stable machine-readable reason; see {@link AuthErrorCode}. */
  declare readonly code: AuthErrorCode;
  /** HTTP status of the token endpoint's answer, for HTTP failures. */
  declare readonly status: number | undefined;
  /** For `TOKEN_RATE_LIMITED`: milliseconds until a token request may be made again. */
  declare readonly retryAfterMs: number | undefined;

  constructor(code: AuthErrorCode, message: string, details: AuthErrorDetails = {}) {
    // Error reads only `cause` from its options, and installs it only when the key is present.
    super(code, message, details);
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}
