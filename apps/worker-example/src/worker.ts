// A Cloudflare Worker: `GET /companies?name=…` answers the DealCloud companies whose name contains the text, read
// through the combined client. The site and the API user come from bindings: DEALCLOUD_URL and
// DEALCLOUD_CLIENT_ID as vars, DEALCLOUD_CLIENT_SECRET as a secret (`wrangler secret put DEALCLOUD_CLIENT_SECRET`).
// Web APIs only: it needs no compatibility flag (no nodejs_compat).
import { createTokenManager, type TokenManager } from "@dealcloud-ts/auth";
import { APIError, createDealCloud, DealCloudError, RateLimitError } from "@dealcloud-ts/client";
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

// What lives for the isolate, and what lives for one request.
//
// An isolate serves many requests, so module state outlives each of them; but a promise created while one request
// runs settles only while that request is alive (workerd answers a later await of it with "This promise was
// created by a request that has since ended, so it can never settle"). So the isolate keeps ONE token manager per
// site and API user: its cache, its single-flight refresh (concurrent requests share one token request) and its
// per-minute budget serve every request of the isolate. Each request hands its own `ctx.waitUntil` to `getToken`:
// a refresh that request starts (cold, expired, or in the background near expiry) keeps that request alive until
// it settles, so it finishes and its token is cached for the requests that share or follow it. The per-request
// client around it is closures, no I/O: cheap.
//
// The manager holds the secret in a closure (never in its cache, a log line or an error). A changed binding
// (a rotated secret, another site) gets a new manager.
let shared: { key: string; tokens: TokenManager } | undefined;

function tokensFor(env: Env): TokenManager {
  const key = `${env.DEALCLOUD_URL} ${env.DEALCLOUD_CLIENT_ID} ${env.DEALCLOUD_CLIENT_SECRET}`;
  if (shared?.key !== key) {
    const tokens = createTokenManager({
      baseUrl: env.DEALCLOUD_URL,
      clientId: env.DEALCLOUD_CLIENT_ID,
      clientSecret: env.DEALCLOUD_CLIENT_SECRET,
    });
    shared = { key, tokens };
  }
  return shared.tokens;
}

/** The isolate's token manager as this request uses it: every refresh this request starts goes to its waitUntil. */
function forRequest(tokens: TokenManager, ctx: ExecutionContext): TokenManager {
  const waitUntil = ctx.waitUntil.bind(ctx);
  return {
    baseUrl: tokens.baseUrl,
    tokenRequestsPerMinute: tokens.tokenRequestsPerMinute,
    getToken: (scopes, options) => tokens.getToken(scopes, { ...options, waitUntil }),
    invalidate: (scopes, value) => tokens.invalidate(scopes, value),
    stats: () => tokens.stats(),
  };
}

/** The combined client for this request: the Data API, one token with scope `data`. */
function connect(env: Env, ctx: ExecutionContext) {
  return createDealCloud({ tokens: forRequest(tokensFor(env), ctx), apis: { data }, throwOnError: true });
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
