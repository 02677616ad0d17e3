import { DealCloudAuthError } from "./errors.js";

/** A site address made canonical: scheme, host, optional path prefix, no trailing slash. */
export interface SiteUrl {
  /** e.g. `https://yourfirm.dealcloud.com` */
  readonly url: string;
  /** True on UAT/sandbox hosts (`*.dealclouduat.com`, `.eu`, `.ae`), whose token budget is 60 calls a minute. */
  readonly sandbox: boolean;
}

const invalid = (why: string) => new DealCloudAuthError("INVALID_BASE_URL", `baseUrl ${why}`);

const parse = (raw: string) => {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
};
const path = (url: URL) => url.pathname.replace(/\/+$/, "");

/**
 * Accepts a full origin (`https://yourfirm.dealcloud.com/`) or a bare host (`yourfirm.dealcloud.com`, as Intapp's
 * Python SDK takes it) and returns it with https and no trailing slash. Regional hosts (`.eu`, `.ae`) are ordinary
 * hosts. Plain http is refused except on loopback, where the mock server runs. A mistyped scheme (`https//host`,
 * `https:\\host`, `http:/host`, `https;//host`) is refused with the address probably meant; a trailing dot on the
 * host is dropped.
 */
export function normalizeSiteUrl(baseUrl: unknown): SiteUrl {
  if (typeof baseUrl !== "string" || baseUrl.trim() === "") {
    throw invalid('is missing: pass e.g. "yourfirm.dealcloud.com".');
  }
  let raw = baseUrl.trim();
  // A mistyped scheme ("https//", "https:\\", "http:/", "https;//") would otherwise become the host.
  const typo = /^(https?)(?!:\/\/)[:;/\\]+/i.exec(raw);
  if (typo) {
    const meant = parse(`${typo[1]}://${raw.slice(typo[0].length)}`);
    throw invalid(`has a mistyped scheme: did you mean "${meant ? meant.origin + path(meant) : `${typo[1]}://…`}"?`);
  }
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(raw)) raw = `https://${raw}`;
  const url = parse(raw);
  // The input is not echoed: a malformed URL may still hold a password.
  if (!url) throw invalid('is not a valid address: pass e.g. "yourfirm.dealcloud.com".');
  // "host." is the same host as "host", and must be recognised as a sandbox all the same.
  url.hostname = url.hostname.replace(/\.+$/, "");
  if (url.username || url.password) throw invalid("must not contain a user name or password.");
  if (url.search || url.hash) throw invalid(`must not have a query or fragment: pass ${url.origin}`);
  const host = url.hostname;
  const loopback = /^(localhost|\[::1\]|127\.\d+\.\d+\.\d+)$/.test(host);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw invalid("must use https (http only on loopback).");
  }
  return {
    url: url.origin + path(url),
    sandbox: /\.dealclouduat\.(com|eu|ae)$/i.test(host),
  };
}
