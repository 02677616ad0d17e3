import { normalizeSiteUrl, type SiteUrl } from "./base-url.js";
import { DealCloudAuthError } from "./errors.js";
import type { Logger, TokenManagerOptions } from "./manager.js";
import type { TokenStore } from "./store.js";
import { DOCUMENTED_LIFETIME_MS } from "./token-endpoint.js";

/** The numeric options, each checked against its range and defaulted. */
type Numbers =
  | "maxTokenLifetimeMs"
  | "refreshBeforeMs"
  | "expiryMarginMs"
  | "tokenRequestsPerMinute"
  | "maxRateLimitWaitMs"
  | "tokenTimeoutMs"
  | "maxAttempts";

/**
 * The options of `createTokenManager`, checked, with every default applied, under the options' own names.
 * Internal: it holds the secret, so it is never returned, logged or stored.
 */
export interface Settings
  extends Omit<TokenManagerOptions, Numbers | "clientId" | "now" | "random">,
    Record<Numbers, number> {
  site: SiteUrl;
  tokenUrl: string;
  clientId: string | undefined;
  basic: boolean;
  store: TokenStore;
  logger: Logger;
  /** Wall clock: token expiry as stores share it. */
  now: () => number;
  /** Monotonic clock: waits, windows and the life of tokens this process obtained. */
  mono: () => number;
  random: () => number;
}

/** The path of DealCloud's OAuth token endpoint under the site address. */
export const TOKEN_PATH = "/api/rest/v1/oauth/token";

const fail = (message: string) => new DealCloudAuthError("INVALID_OPTION", message);

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
        `${name} is missing: pass the Client ID and secret of an API key, or a tokenProvider.`,
      );
    }
  }
  const inBrowser =
    typeof (globalThis as { document?: unknown }).document === "object" &&
    typeof (globalThis as { window?: unknown }).window === "object";
  if (inBrowser && options.dangerouslyAllowBrowser !== true) {
    throw new DealCloudAuthError(
      "SECRET_IN_BROWSER",
      "A clientSecret is readable in a browser: use a tokenProvider, or set dangerouslyAllowBrowser.",
    );
  }
}

/**
 * Checks every option before anything is sent, so bad input fails at construction with a message saying what to
 * pass. Keys it does not know (an API client's `timeoutMs`, say) are ignored: clients pass their whole options.
 */
export function resolveOptions(options: TokenManagerOptions): Settings {
  if (options === null || typeof options !== "object") {
    throw fail("Pass options with baseUrl and credentials.");
  }
  const site = normalizeSiteUrl(options.baseUrl);
  const clientId = typeof options.clientId === "number" ? String(options.clientId) : options.clientId;
  for (const name of ["tokenProvider", "fetch", "now", "monotonicNow", "random", "waitUntil"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "function") throw fail(`${name} must be a function.`);
  }
  checkCredentials(options, clientId);
  const { clientAuthentication = "body", store = new Map() as TokenStore, logger = {} } = options;
  if (clientAuthentication !== "body" && clientAuthentication !== "basic") {
    throw fail('clientAuthentication must be "body" or "basic".');
  }
  if ((["get", "set", "delete"] as const).some((method) => typeof store?.[method] !== "function")) {
    throw fail("store must have get, set and delete methods.");
  }
  const { now, monotonicNow, random } = options;
  // Read once: Node's global `performance` is a getter, which doubles the cost of a cache hit's clock read.
  const clock = performance;
  const settings = {
    ...options,
    site,
    tokenUrl: site.url + TOKEN_PATH,
    clientId,
    basic: clientAuthentication === "basic",
    store,
    logger,
    // Date.now is looked up at each call, so fake clocks installed later apply.
    now: () => (now ?? Date.now)(),
    mono: monotonicNow ?? (() => clock.now()),
    random: () => (random ?? Math.random)(),
  } as Settings;
  const number = (name: Numbers, fallback: number, min: number, max: number) => {
    const value = options[name] ?? fallback;
    if (typeof value !== "number" || !(value >= min && value <= max)) {
      throw fail(
        `${name} must be a number from ${min} to ${max} (got ${typeof value === "number" ? value : typeof value}).`,
      );
    }
    return (settings[name] = value);
  };
  const lifetime = number("maxTokenLifetimeMs", DOCUMENTED_LIFETIME_MS, 1_000, 864e5);
  const soft = number("refreshBeforeMs", 120_000, 0, lifetime);
  const hard = number("expiryMarginMs", 30_000, 0, lifetime);
  if (hard >= soft && soft > 0) throw fail(`expiryMarginMs (${hard}) must be smaller than refreshBeforeMs (${soft}).`);
  settings.tokenRequestsPerMinute = Math.floor(number("tokenRequestsPerMinute", site.sandbox ? 60 : 300, 1, 1e5));
  number("maxRateLimitWaitMs", 60_000, 0, 36e5);
  number("tokenTimeoutMs", 30_000, 1, 6e5);
  settings.maxAttempts = Math.floor(number("maxAttempts", 3, 1, 10));
  return settings;
}
