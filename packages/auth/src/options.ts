import { normalizeSiteUrl, type SiteUrl } from "./base-url.js";
import { DealCloudAuthError } from "./errors.js";
import type { FetchLike, Logger, TokenManagerOptions, TokenProvider } from "./manager.js";
import { createMemoryTokenStore, type TokenStore } from "./store.js";
import { DOCUMENTED_LIFETIME_MS } from "./token-endpoint.js";

/** The options of `createTokenManager`, checked, with every default applied. Internal: it holds the secret. */
export interface Settings {
  site: SiteUrl;
  tokenUrl: string;
  clientId: string | undefined;
  clientSecret: string | undefined;
  tokenProvider: TokenProvider | undefined;
  basic: boolean;
  store: TokenStore;
  fetch: FetchLike | undefined;
  waitUntil: ((promise: Promise<unknown>) => void) | undefined;
  logger: Logger;
  maxLifetimeMs: number;
  softMs: number;
  hardMs: number;
  perMinute: number;
  maxWaitMs: number;
  tokenTimeoutMs: number;
  maxAttempts: number;
  /** Wall clock: token expiry as stores share it. */
  now: () => number;
  /** Monotonic clock: waits, windows and the life of tokens this process obtained. */
  mono: () => number;
  random: () => number;
}

/** The path of DealCloud's OAuth token endpoint under the site address. */
export const TOKEN_PATH = "/api/rest/v1/oauth/token";

const fail = (message: string) => new DealCloudAuthError("INVALID_OPTION", message);

function range(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw fail(`${name} must be a number from ${min} to ${max} (got ${typeof value === "number" ? value : typeof value}).`);
  }
  return value;
}

function checkCredentials(options: TokenManagerOptions, clientId: string | undefined): void {
  if (options.tokenProvider !== undefined) {
    if (options.clientSecret !== undefined) throw fail("Pass either clientSecret or tokenProvider, not both.");
    return;
  }
  for (const [name, value] of [
    ["clientId", clientId],
    ["clientSecret", options.clientSecret],
  ] as const) {
    if (typeof value !== "string" || value.trim() === "") {
      throw new DealCloudAuthError(
        "MISSING_CREDENTIALS",
        `${name} is missing: pass a DealCloud user's Client ID and secret (Profile > API key), or a tokenProvider.`,
      );
    }
  }
  const inBrowser =
    typeof (globalThis as { document?: unknown }).document === "object" &&
    typeof (globalThis as { window?: unknown }).window === "object";
  if (inBrowser && options.dangerouslyAllowBrowser !== true) {
    throw new DealCloudAuthError(
      "SECRET_IN_BROWSER",
      "A clientSecret in a browser is readable by its users: use a tokenProvider, or set dangerouslyAllowBrowser.",
    );
  }
}

/**
 * Checks every option before anything is sent, so bad input fails at construction with a message saying what to
 * pass. Keys it does not know (an API client's `timeoutMs`, say) are ignored: clients pass their whole options.
 */
export function resolveOptions(options: TokenManagerOptions): Settings {
  if (options === null || typeof options !== "object") {
    throw fail("Pass an options object with baseUrl and credentials.");
  }
  const site = normalizeSiteUrl(options.baseUrl);
  const clientId = typeof options.clientId === "number" ? String(options.clientId) : options.clientId;
  for (const name of ["tokenProvider", "fetch", "now", "monotonicNow", "random", "waitUntil"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw fail(`${name} must be a function.`);
  }
  checkCredentials(options, clientId);
  const { clientAuthentication = "body", store = createMemoryTokenStore(), logger = {} } = options;
  if (clientAuthentication !== "body" && clientAuthentication !== "basic") {
    throw fail('clientAuthentication must be "body" or "basic".');
  }
  if ((["get", "set", "delete"] as const).some((method) => typeof store?.[method] !== "function")) {
    throw fail("store must have get, set and delete methods (see TokenStore).");
  }
  const maxLifetimeMs = range("maxTokenLifetimeMs", options.maxTokenLifetimeMs, DOCUMENTED_LIFETIME_MS, 1_000, 864e5);
  const softMs = range("refreshBeforeMs", options.refreshBeforeMs, 120_000, 0, maxLifetimeMs);
  const hardMs = range("expiryMarginMs", options.expiryMarginMs, 30_000, 0, maxLifetimeMs);
  if (hardMs >= softMs && softMs > 0) {
    throw fail(`expiryMarginMs (${hardMs}) must be smaller than refreshBeforeMs (${softMs}).`);
  }
  const { now, monotonicNow, random } = options;
  return {
    site,
    tokenUrl: site.url + TOKEN_PATH,
    clientId,
    clientSecret: options.clientSecret,
    tokenProvider: options.tokenProvider,
    basic: clientAuthentication === "basic",
    store,
    // Called unbound: as methods of `options` they would see the secret as `this`.
    fetch: options.fetch,
    waitUntil: options.waitUntil,
    logger,
    maxLifetimeMs,
    softMs,
    hardMs,
    perMinute: Math.floor(
      range("tokenRequestsPerMinute", options.tokenRequestsPerMinute, site.sandbox ? 60 : 300, 1, 1e5),
    ),
    maxWaitMs: range("maxRateLimitWaitMs", options.maxRateLimitWaitMs, 60_000, 0, 36e5),
    tokenTimeoutMs: range("tokenTimeoutMs", options.tokenTimeoutMs, 30_000, 1, 6e5),
    maxAttempts: Math.floor(range("maxAttempts", options.maxAttempts, 3, 1, 10)),
    // Looked up at each call, so fake clocks installed later apply.
    now: () => (now ?? Date.now)(),
    mono: () => (monotonicNow ? monotonicNow() : performance.now()),
    random: () => (random ?? Math.random)(),
  };
}
