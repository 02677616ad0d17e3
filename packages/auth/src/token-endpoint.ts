import { DealCloudAuthError } from "./errors.js";
import type { Scope } from "./scopes.js";

/** DealCloud documents 900 s tokens; a recorded answer said `expires_in: 1199` for a token that died at 900 s. */
export const DOCUMENTED_LIFETIME_MS = 900_000;

/** How long a 429 without a usable `Retry-After` pauses token requests. */
export const DEFAULT_429_PAUSE_MS = 5_000;

/** A token as read from the endpoint, before it is cached. */
export interface IssuedToken {
  value: string;
  type: string;
  lifetimeMs: number;
}

/** What one attempt brought back: the answer's status, headers and parsed body (read within the attempt's timeout). */
export interface Answer {
  status: number;
  headers: Headers;
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: TokenAnswerJson | undefined;
}

/** The fields of a token answer that are read: the token's on success, the OAuth `error` code on failure. */
export interface TokenAnswerJson {
  access_token?: unknown;
  token_type?: unknown;
  expires_in?: unknown;
  error?: unknown;
}

/** A body as JSON, or undefined when it is not JSON. */
export const parseJson = (text: string): TokenAnswerJson | undefined => {
  try {
    return JSON.parse(text) ?? undefined;
  } catch {
    return undefined;
  }
};

const HEADER_SAFE = /^[\x21-\x7e]+$/;
const DECIMAL = /^\d+(\.\d+)?$/;

/**
 * Reads a 2xx token answer. Only `access_token`, `token_type` and `expires_in` are taken: a `refresh_token` is
 * ignored and never stored (the vendor documents only repeating the client-credentials flow). Failures name the
 * status, never the body, which holds the token.
 */
export function readTokenAnswer(answer: Answer, maxLifetimeMs: number): IssuedToken {
  const bad = (what: string) =>
    new DealCloudAuthError("INVALID_TOKEN_RESPONSE", `The token answer (HTTP ${answer.status}) ${what}.`, {
      status: answer.status,
    });
  const { json } = answer;
  if (!json) throw bad("is not JSON");
  const value = json.access_token;
  if (typeof value !== "string" || !HEADER_SAFE.test(value)) throw bad("has no usable access_token");
  const type = json.token_type ?? "bearer";
  if (typeof type !== "string" || type.toLowerCase() !== "bearer") throw bad("is not a bearer token");
  const expiresIn = json.expires_in ?? DOCUMENTED_LIFETIME_MS / 1000;
  // Plain decimal seconds only: Number() would read " 0x10 " as 16 and "1e3" as 1000.
  const seconds = typeof expiresIn === "number" || DECIMAL.test(expiresIn as string) ? Number(expiresIn) : 0;
  if (!(seconds > 0 && seconds < Infinity)) throw bad("has an invalid expires_in");
  return { value, type: "bearer", lifetimeMs: Math.min(seconds * 1000, maxLifetimeMs) };
}

/**
 * A `Retry-After` header as milliseconds to wait from `now`: it may hold seconds (`"7"`) or an HTTP date.
 * Undefined when absent or malformed (`"-30"`, `"0x10"`, `"1e3"`, a date in the past): the caller then waits its
 * own default rather than retrying at once.
 */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  const text = header?.trim() ?? "";
  if (DECIMAL.test(text)) return Number(text) * 1000;
  // An HTTP date starts with a day name; Date.parse would also read "5" or "-30" as dates.
  const ms = /^[a-z]{3}/i.test(text) ? Date.parse(text) - now : 0;
  return ms > 0 ? ms : undefined;
}

/**
 * Whether another attempt may succeed where this one failed: no answer (a network error or time-out), 408, 429 or
 * 5xx. Any other answer (a refusal, or a 2xx that is not a token) would be the same again.
 */
export const isRetryable = ({ status }: DealCloudAuthError) =>
  !status || status > 499 || status === 408 || status === 429;

/**
 * Turns a non-2xx answer into a typed error. Only the OAuth `error` code is read from the body, and only when it
 * looks like one (`invalid_client`), so nothing else the server sent can leak into a message or log.
 */
export function describeFailure(answer: Answer, scopes: readonly Scope[], now: number): DealCloudAuthError {
  const { status } = answer;
  const code = answer.json?.error;
  // Not JSON, or no code: the status alone decides.
  const oauthError = typeof code === "string" && /^[a-z_]{1,40}$/.test(code) ? code : "";
  const seen = `(HTTP ${status}${oauthError ? ` ${oauthError}` : ""})`;
  const fail = (code: DealCloudAuthError["code"], message: string, retryAfterMs?: number) =>
    new DealCloudAuthError(code, `${message} ${seen}`, { status, retryAfterMs });

  if (status === 429) {
    return fail(
      "TOKEN_RATE_LIMITED",
      "DealCloud paused token requests.",
      // Without a usable Retry-After ("-30", "soon"), a pause of a few seconds rather than an instant retry.
      parseRetryAfter(answer.headers.get("retry-after"), now) ?? DEFAULT_429_PAUSE_MS,
    );
  }
  if (status === 408 || status >= 500) return fail("SERVER_ERROR", "DealCloud's token endpoint failed.");
  if (status === 403) {
    return fail("FORBIDDEN", "Token refused: check for a missing scope or a missing user-group permission.");
  }
  if (oauthError === "invalid_client" || oauthError === "unauthorized_client" || (status === 401 && !oauthError)) {
    return fail("INVALID_CLIENT", "Credentials rejected: check clientId and clientSecret.");
  }
  if (oauthError === "invalid_scope") {
    return fail("INVALID_SCOPE", `Scopes "${scopes.join(" ")}" rejected.`);
  }
  return fail("INVALID_REQUEST", "Token request refused: check baseUrl.");
}
