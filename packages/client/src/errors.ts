import { type ClientErrorCode, DealCloudError, type Scope } from "@dealcloud-ts/auth";

/** Scope → the package whose client asks for it, where not the scope's own name (`ri_import` → `ri-import`). */
const PACKAGE_FOR_SCOPE: Partial<Record<Scope, string>> = {
  data: "data or @dealcloud-ts/schema",
  publish: "publications",
  backup: "backups",
};

/**
 * An operation needs a scope the client's token does not ask for. Thrown before anything is sent, so it costs
 * no request and no 403.
 */
export class MissingScopeError extends DealCloudError {
  /** Always `"MissingScopeError"`, also in minified bundles. */
  override readonly name: string = "MissingScopeError";
  /** The scope the operation needs. */
  declare readonly scope: Scope;
  /** The operation, as `"METHOD /path"`. */
  declare readonly operation: string;
  /** The scopes the client's token asks for. */
  declare readonly requestedScopes: readonly Scope[];
  constructor(scope: Scope, operation: string, requestedScopes: readonly Scope[]) {
    super(
      "MISSING_SCOPE",
      `${operation} needs scope "${scope}": add @dealcloud-ts/${PACKAGE_FOR_SCOPE[scope] ?? scope.replace("_", "-")} ` +
        "to createDealCloud({ apis }), or drop the scopes option.",
    );
    this.scope = scope;
    this.operation = operation;
    this.requestedScopes = requestedScopes;
  }
}

/** What an {@link APIError} knows about the answer. */
export interface APIErrorDetails {
  /** The operation, as `"METHOD /path"`. */
  operation: string;
  /** The parsed body: DealCloud's `{ message }` on 4xx, or the raw text when it was not JSON. */
  body: unknown;
  /** The scopes the request's token asked for. */
  requestedScopes: readonly Scope[];
  /** The answer itself (not enumerable, so it stays out of logs and JSON). */
  response: Response;
}

/** DealCloud answered with an HTTP error status. Thrown only in throwing mode (`throwOnError: true`). */
export class APIError extends DealCloudError {
  /** Always `"APIError"`, also in minified bundles. */
  override readonly name: string = "APIError";
  /** The HTTP status. */
  declare readonly status: number;
  /** The operation, as `"METHOD /path"`. */
  declare readonly operation: string;
  /** The parsed body: DealCloud's `{ message }` on 4xx, or the raw text when it was not JSON. */
  declare readonly body: unknown;
  /** The scopes the request's token asked for. */
  declare readonly requestedScopes: readonly Scope[];
  /** The answer itself. */
  declare readonly response: Response;
  constructor(details: APIErrorDetails, code: ClientErrorCode = "API_ERROR", hint = "") {
    const status = details.response.status;
    // DealCloud's messages often end with a period; the hint adds its own sentence after it.
    const said = messageOf(details.body);
    super(code, `${details.operation} answered ${status}${said ? `: ${said}` : ""}${hint ? `. ${hint}` : ""}`);
    this.status = status;
    this.operation = details.operation;
    this.body = details.body;
    this.requestedScopes = details.requestedScopes;
    Object.defineProperty(this, "response", { value: details.response, enumerable: false });
  }
}

/** DealCloud's `{ message }`, without its closing period, cut short so a huge body cannot become a huge message. */
function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (typeof message !== "string") return "";
  const said = message.slice(0, 300).replace(/[.\s]+$/, "");
  return message.length > 300 ? `${said}…` : said;
}

/** 401 after the one replay with a fresh token: the credentials or the `As-User` proxy access are not accepted. */
export class AuthenticationError extends APIError {
  /** Always `"AuthenticationError"`, also in minified bundles. */
  override readonly name: string = "AuthenticationError";
  constructor(details: APIErrorDetails) {
    super(details, "AUTHENTICATION", "Check the API key, or the As-User's proxy access");
  }
}

/**
 * 403. DealCloud's hint: most often a missing scope or a missing user-group permission (the group needs the "API"
 * capability, and the area's own capability, e.g. Publications).
 */
export class PermissionDeniedError extends APIError {
  /** Always `"PermissionDeniedError"`, also in minified bundles. */
  override readonly name: string = "PermissionDeniedError";
  constructor(details: APIErrorDetails) {
    super(details, "PERMISSION_DENIED", "Check for a missing scope or a missing user-group permission");
  }
}

/** 404. */
export class NotFoundError extends APIError {
  /** Always `"NotFoundError"`, also in minified bundles. */
  override readonly name: string = "NotFoundError";
  constructor(details: APIErrorDetails) {
    super(details, "NOT_FOUND");
  }
}

/** 429 after the retries allowed. */
export class RateLimitError extends APIError {
  /** Always `"RateLimitError"`, also in minified bundles. */
  override readonly name: string = "RateLimitError";
  /** How long the server asked to wait (`Retry-After`), when it said. */
  declare readonly retryAfterMs: number | undefined;
  constructor(details: APIErrorDetails, retryAfterMs: number | undefined) {
    super(details, "RATE_LIMITED");
    this.retryAfterMs = retryAfterMs;
  }
}

/** 5xx after the retries allowed. */
export class InternalServerError extends APIError {
  /** Always `"InternalServerError"`, also in minified bundles. */
  override readonly name: string = "InternalServerError";
  constructor(details: APIErrorDetails) {
    super(details, "SERVER_ERROR");
  }
}

/** The request never got an answer: DNS, TLS, a reset connection, after the retries allowed. */
export class ConnectionError extends DealCloudError {
  /** Always `"ConnectionError"`, also in minified bundles. */
  override readonly name: string = "ConnectionError";
  constructor(operation: string, cause: unknown) {
    super("CONNECTION", `${operation} got no answer (network error)`, { cause });
  }
}

/** An attempt took longer than `timeoutMs`, after the retries allowed. */
export class TimeoutError extends DealCloudError {
  /** Always `"TimeoutError"`, also in minified bundles. */
  override readonly name: string = "TimeoutError";
  constructor(operation: string, timeoutMs: number) {
    super("TIMEOUT", `${operation} got no answer within ${timeoutMs} ms`);
  }
}

/**
 * An answer the transport cannot use: a 2xx body that is not what the API declares (HTML from a proxy or sign-in
 * page, JSON cut short; code `INVALID_RESPONSE`, retried like a network error for idempotent operations), a body
 * over `maxResponseBytes` (`RESPONSE_TOO_LARGE`), or a redirect (`REDIRECT_REFUSED`: DealCloud's API does not
 * redirect, and following one would send the request's body to the site it names).
 */
export class InvalidResponseError extends DealCloudError {
  /** Always `"InvalidResponseError"`, also in minified bundles. */
  override readonly name: string = "InvalidResponseError";
  declare readonly code: "INVALID_RESPONSE" | "RESPONSE_TOO_LARGE" | "REDIRECT_REFUSED";
  /** The HTTP status of the answer. */
  declare readonly status: number;
  constructor(
    operation: string,
    status: number,
    what: string,
    code: InvalidResponseError["code"] = "INVALID_RESPONSE",
  ) {
    super(code, `${operation} answered ${status} with ${what}`);
    this.status = status;
  }
}

/** The caller's `AbortSignal` fired. */
export class AbortedError extends DealCloudError {
  /** Always `"AbortedError"`, also in minified bundles. */
  override readonly name: string = "AbortedError";
  constructor(operation: string, reason: unknown) {
    super("ABORTED", `${operation} was aborted by the caller`, { cause: reason });
  }
}

/** The typed error for an HTTP error answer. */
export function errorForResponse(details: APIErrorDetails, retryAfterMs?: number): APIError {
  const status = details.response.status;
  if (status === 401) return new AuthenticationError(details);
  if (status === 403) return new PermissionDeniedError(details);
  if (status === 404) return new NotFoundError(details);
  if (status === 429) return new RateLimitError(details, retryAfterMs);
  if (status >= 500) return new InternalServerError(details);
  return new APIError(details);
}
