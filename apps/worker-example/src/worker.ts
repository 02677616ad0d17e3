// A Cloudflare Worker: `GET /companies?name=…` answers the DealCloud companies whose name contains the text, read
// through the combined client. The site and the API user come from bindings: DEALCLOUD_URL and
// DEALCLOUD_CLIENT_ID as vars, DEALCLOUD_CLIENT_SECRET as a secret (`wrangler secret put DEALCLOUD_CLIENT_SECRET`).
// Web APIs only: it needs no compatibility flag (no nodejs_compat).
import { APIError, createDealCloud, DealCloudError, RateLimitError, type OwnTokensOptions } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";

/** The Worker's bindings. */
export interface Env {
  /** The site, e.g. `https://yourfirm.dealcloud.com` (a var). */
  DEALCLOUD_URL: string;
  /** The DealCloud user id whose API key is used (a var). */
  DEALCLOUD_CLIENT_ID: string;
  /** That user's API key (a secret). Never logged, never in an answer. */
  DEALCLOUD_CLIENT_SECRET: string;
}

type TokenStore = NonNullable<OwnTokensOptions["store"]>;
type StoredToken = Parameters<TokenStore["set"]>[1];

// What lives for the isolate, and what lives for one request.
//
// An isolate serves many requests, so module state outlives each of them; but a promise created while one request
// runs can only settle inside that request (workerd answers a later await of it with "This promise was created by
// a request that has since ended, so it can never settle"). A token manager kept for the whole isolate holds such
// promises: its single-flight refresh is awaited by every concurrent caller, and its `waitUntil` option is fixed
// when it is created, i.e. it would be the first request's. So the isolate keeps plain data only: the token cache
// below. Each request builds its client (closures, no I/O: cheap) over that cache, with its own
// `ctx.waitUntil`, so a background refresh started near expiry runs on after the answer is sent and leaves the new
// token in the cache for the requests that follow. The price: single flight and the token manager's per-minute
// budget are per request, so requests that arrive together on a cold isolate (or in the refresh window) may each
// ask for a token; against DealCloud's 300 token requests a minute that is a handful, once every 15 minutes.
//
// One cache serves every env: its keys already name the site's token URL and the client id (and the scopes). It
// holds access tokens and their expiry, never the secret.
const tokens = new Map<string, StoredToken>();
const tokenCache: TokenStore = {
  get: (key) => tokens.get(key),
  set: (key, token) => void tokens.set(key, token),
  delete: (key) => void tokens.delete(key),
};

/** The combined client for this request: the Data API, one token with scope `data`. */
function connect(env: Env, ctx: ExecutionContext) {
  return createDealCloud({
    baseUrl: env.DEALCLOUD_URL,
    clientId: env.DEALCLOUD_CLIENT_ID,
    clientSecret: env.DEALCLOUD_CLIENT_SECRET,
    store: tokenCache,
    // Keeps this request alive until a token refresh it started settles (see above).
    waitUntil: ctx.waitUntil.bind(ctx),
    apis: { data },
    throwOnError: true,
  });
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}

/** What the caller learns about a failure: a status, a stable code and a message without the secret. */
function errorAnswer(error: unknown, env: Env): Response {
  let status = 500;
  let code = "INTERNAL";
  let message = "The worker failed; see its logs.";
  const headers: Record<string, string> = {};
  const retryIn = (ms: number | undefined) => {
    if (ms !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(ms / 1000)));
  };
  if (error instanceof DealCloudError) {
    // The client's typed errors: DealCloud answered with an error, or did not answer.
    ({ code, message } = error);
    status = code === "RATE_LIMITED" ? 503 : code === "TIMEOUT" ? 504 : 502;
    if (error instanceof RateLimitError) retryIn(error.retryAfterMs);
  } else if (error instanceof Error && error.name === "DealCloudAuthError") {
    // @dealcloud-ts/auth's error (getting the token failed). Its messages never hold the secret or a token.
    const auth = error as Error & { code: string; retryAfterMs?: number };
    ({ code, message } = auth);
    if (["MISSING_CREDENTIALS", "INVALID_BASE_URL", "INVALID_OPTION"].includes(code)) {
      message = `The worker is misconfigured (${code}): check the DEALCLOUD_URL, DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET bindings.`;
    } else {
      status = code === "TOKEN_RATE_LIMITED" ? 503 : 502;
      if (code === "TOKEN_RATE_LIMITED") retryIn(auth.retryAfterMs);
    }
  }
  // The SDK never puts the secret in a message; redact it anyway, so no future message or cause can leak it.
  const secret = env.DEALCLOUD_CLIENT_SECRET;
  if (secret) message = message.split(secret).join("[redacted]");
  console.error(`GET /companies failed: ${code}: ${message}`);
  return json(
    { error: { code, message, ...(error instanceof APIError ? { upstreamStatus: error.status } : {}) } },
    status,
    headers,
  );
}

export default {
  async fetch(request, env, ctx): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname !== "/companies")
      return json({ error: { code: "NOT_FOUND", message: "Try GET /companies?name=…" } }, 404);
    if (request.method !== "GET")
      return json({ error: { code: "METHOD_NOT_ALLOWED", message: "Only GET." } }, 405, { allow: "GET" });
    const name = url.searchParams.get("name")?.trim() ?? "";
    try {
      const dc = connect(env, ctx);
      const { data: page } = await dc.data.GET("/entrydata/rows/{entryTypeId}", {
        params: {
          path: { entryTypeId: "company" },
          // DealCloud's filter language: `$contains` is case-insensitive; no name, no filter.
          query: { ...(name ? { query: JSON.stringify({ CompanyName: { $contains: name } }) } : {}), limit: 100 },
        },
      });
      return json({ totalRecords: page.totalRecords, rows: page.rows });
    } catch (error) {
      return errorAnswer(error, env);
    }
  },
} satisfies ExportedHandler<Env>;
