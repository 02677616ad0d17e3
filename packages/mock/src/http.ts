/** JSON answers and CORS: the response details every area shares. */

/** The content type DealCloud answers JSON with. */
export const JSON_CONTENT_TYPE = "application/json;charset=UTF-8";

/** Headers a browser page may send to the loopback server (the SDK sends `as-user` for impersonation). */
const ALLOWED_HEADERS = "authorization, content-type, as-user";
const ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

/** A JSON answer that no cache may keep (token answers hold secrets of their own). */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return raw(status, JSON.stringify(body), headers);
}

/** A body sent as-is with the JSON content type, e.g. a deliberately malformed answer. */
export function raw(status: number, body: string | null, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store", ...headers },
  });
}

/**
 * An OAuth error answer, `{ error, error_description }`. The real token endpoint's error bodies are undocumented
 * (DealCloud token docs): this RFC 6749 shape is the mock's assumption. Codes are RFC 6749 section 5.2's, plus
 * `temporarily_unavailable` (section 4.1.2.1) for the rate limit. Descriptions are fixed texts that never echo
 * what the client sent, which may hold a secret.
 */
export function oauthError(
  status: 400 | 401 | 405 | 429,
  error: "invalid_client" | "invalid_request" | "invalid_scope" | "unsupported_grant_type" | "temporarily_unavailable",
  description: string,
  headers: Record<string, string> = {},
): Response {
  return json(status, { error, error_description: description }, headers);
}

/** Lets a browser page on any origin read every answer, including `Retry-After`. Skips network errors, which have no headers. */
export function withCors(response: Response): Response {
  if (response.type === "error") return response;
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("access-control-expose-headers", "Retry-After");
  return response;
}

/** The answer to a CORS preflight, for any path: the loopback server serves browser tests on other origins. */
export function preflight(): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "access-control-allow-methods": ALLOWED_METHODS,
      "access-control-allow-headers": ALLOWED_HEADERS,
      "access-control-max-age": "600",
    },
  });
}

/** The bare media type of a request (`application/x-www-form-urlencoded` from `...; charset=UTF-8`), lower case. */
export function mediaType(request: Request): string {
  return (request.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
}
