import type { Area, SiteContext } from "./area.js";
import { json, mediaType, oauthError } from "./http.js";
import { createRateWindows } from "./rate-window.js";
import { parseScopes } from "./scopes.js";
import { randomTokenValue } from "./token-store.js";
import type { TokenRequestRecord } from "./types.js";

/** `POST {baseUrl}/api/rest/v1/oauth/token` (DealCloud token docs). */
export const TOKEN_PATH = "/api/rest/v1/oauth/token";

const FORM = "application/x-www-form-urlencoded";

/** The token area, plus what the site exposes about it. */
export interface TokenArea extends Area {
  /** Every token request so far (replaced, not emptied, by `reset`). */
  readonly records: readonly TokenRequestRecord[];
}

/** What was read from a request's form, for its record. */
interface Seen {
  scope: string;
  clientId: string | undefined;
}

/** Reads the form body if the request has one; null otherwise. Never throws. */
async function readForm(request: Request): Promise<URLSearchParams | null> {
  if (request.method !== "POST" || mediaType(request) !== FORM) return null;
  try {
    return new URLSearchParams(await request.text());
  } catch {
    return null;
  }
}

/** Credentials from an `Authorization: Basic` header (RFC 6749 2.3.1: form-urlencoded, then base64). */
interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** The header's credentials; undefined without a Basic header; null for a Basic header that cannot be read. */
function readBasic(request: Request): BasicCredentials | undefined | null {
  const header = request.headers.get("authorization");
  if (!header || !/^basic /i.test(header)) return undefined;
  try {
    const decoded = atob(header.slice(6).trim());
    const colon = decoded.indexOf(":");
    if (colon < 0) return null;
    const formDecoded = (text: string) => new URLSearchParams(`x=${text}`).get("x") ?? "";
    return { clientId: formDecoded(decoded.slice(0, colon)), clientSecret: formDecoded(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

const seenIn = (form: URLSearchParams | null, basic?: BasicCredentials | null): Seen => ({
  scope: form?.get("scope") ?? "",
  clientId: form?.get("client_id") ?? basic?.clientId ?? undefined,
});

/**
 * The OAuth client-credentials token endpoint. Checks run in a fixed order, and each failure answers with an
 * RFC 6749 error body (an assumption: DealCloud token docs do not document error bodies).
 */
export function createTokenArea({ settings, tokens }: SiteContext): TokenArea {
  let records: TokenRequestRecord[] = [];
  const windows = createRateWindows(settings.tokenRequestsPerMinute);

  const record = (seen: Seen, status: number, grantedScopes: readonly string[] = []) => {
    // The record keeps the client id, never the secret.
    records.push(Object.freeze({ ...seen, grantedScopes, status, at: settings.now() }));
  };
  const finish = (seen: Seen, response: Response, granted?: readonly string[]) => {
    record(seen, response.status, granted);
    return response;
  };

  async function handle(request: Request): Promise<Response> {
    // DealCloud token docs: the endpoint takes POST only.
    if (request.method !== "POST") {
      return finish(
        seenIn(null),
        oauthError(405, "invalid_request", "The token endpoint accepts POST only.", { allow: "POST, OPTIONS" }),
      );
    }
    // DealCloud token docs: the body is `application/x-www-form-urlencoded` (JSON is refused).
    const form = await readForm(request);
    const basic = readBasic(request);
    const seen = seenIn(form, basic);
    if (!form) {
      return finish(
        seen,
        oauthError(400, "invalid_request", "Send the token request as application/x-www-form-urlencoded."),
      );
    }
    // DealCloud token docs: `grant_type=client_credentials` is the only grant.
    if (form.get("grant_type") !== "client_credentials") {
      return finish(seen, oauthError(400, "unsupported_grant_type", "grant_type must be client_credentials."));
    }
    // The client authenticates in the body (DealCloud token docs) or with HTTP Basic (the vendor's Python SDK),
    // never both (RFC 6749 2.3: one method per request); a body client_id must match the header's.
    if (basic === null) {
      return finish(
        seen,
        oauthError(401, "invalid_client", "The Authorization header is not readable Basic credentials."),
      );
    }
    if (basic && (form.has("client_secret") || (form.has("client_id") && form.get("client_id") !== basic.clientId))) {
      return finish(
        seen,
        oauthError(
          400,
          "invalid_request",
          "Send the client credentials once: in the Authorization header or the body.",
        ),
      );
    }
    // DealCloud token docs: `client_id` is the user id, `client_secret` its API key. The answer says the same
    // whether the id or the secret is wrong, and never repeats either.
    const secret = basic ? basic.clientSecret : form.get("client_secret");
    const client = settings.clients.find((c) => c.clientId === seen.clientId);
    if (!client || secret !== client.clientSecret) {
      return finish(seen, oauthError(401, "invalid_client", "Unknown client_id or wrong client_secret."));
    }
    // DealCloud token docs: 300 token calls a minute per user in production, 60 in UAT/sandbox. The answer past
    // the limit is undocumented: the mock sends 429 with Retry-After (seconds).
    const admitted = windows.admit(client.clientId, settings.now());
    if (!admitted.ok) {
      const retryAfter = String(admitted.retryAfterSeconds);
      return finish(
        seen,
        oauthError(429, "temporarily_unavailable", "Too many token requests: retry after the Retry-After delay.", {
          "retry-after": retryAfter,
        }),
      );
    }
    // DealCloud token docs: scopes are space-separated. A 2022 recording showed unknown scopes silently dropped
    // and the known ones granted; "reject" mode refuses them instead.
    const { known, unknown } = parseScopes(seen.scope);
    if (unknown.length > 0 && settings.unknownScopes === "reject") {
      return finish(seen, oauthError(400, "invalid_scope", "The scope field names an unknown scope."));
    }
    if (known.length === 0) {
      return finish(
        seen,
        oauthError(
          400,
          "invalid_scope",
          "Request at least one scope: data, user_management, publish, ri_import or backup.",
        ),
      );
    }
    const token = tokens.issue(client.clientId, known);
    // DealCloud token docs: `{ access_token, token_type: "bearer", expires_in: 900 }`. The 2022 recording said
    // `expires_in: 1199` and added a refresh_token; both are options.
    const body: Record<string, unknown> = { access_token: token.value, token_type: "bearer" };
    if (settings.reportedExpiresIn !== null) body["expires_in"] = settings.reportedExpiresIn;
    if (settings.includeRefreshToken) body["refresh_token"] = randomTokenValue("mock-refresh.");
    return finish(seen, json(200, body), token.scopes);
  }

  return {
    route: "token",
    get records() {
      return records;
    },
    matches: (pathname) => pathname.replace(/\/+$/, "").endsWith(TOKEN_PATH),
    handle,
    async recordFault(request, status) {
      record(seenIn(await readForm(request), readBasic(request)), status);
    },
    reset() {
      records = [];
      windows.reset();
    },
  };
}
