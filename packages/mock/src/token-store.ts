import type { Settings } from "./options.js";
import type { AuthenticateResult, IssuedToken } from "./types.js";

/** The tokens a site issued, shared by the token endpoint (which issues) and the API areas (which check). */
export interface TokenStore {
  /** Every token issued since the last reset, by value (cleared in place, so the map can be held on to). */
  readonly issued: ReadonlyMap<string, IssuedToken>;
  /** Issues a token now, for `scopes`, living the configured lifetime. */
  issue(clientId: string, scopes: readonly string[]): IssuedToken;
  /** Checks an `Authorization` header value: see `MockDealCloud.authenticate`. */
  authenticate(authorization: string | null): AuthenticateResult;
  /** Refuses every token issued so far from now on (as if the site revoked them); returns how many. */
  revokeAll(): number;
  /** Forgets every token. */
  reset(): void;
}

/** `prefix` + 32 hex digits from the web-standard CSPRNG: opaque, unguessable and safe in a header. */
export function randomTokenValue(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return prefix + Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Creates a site's token store, using the site's clock and token lifetime. */
export function createTokenStore(settings: Settings): TokenStore {
  const issued = new Map<string, IssuedToken>();
  const revoked = new Set<string>();
  const refuse = (message: string): AuthenticateResult => ({ ok: false, status: 401, message });
  return {
    issued,
    issue(clientId, scopes) {
      const issuedAt = settings.now();
      const token: IssuedToken = {
        value: randomTokenValue("mock."),
        clientId,
        scopes: Object.freeze([...scopes]),
        issuedAt,
        // The real lifetime, whatever `expires_in` says: the 2022 recording's 1199 s token died at 900 s.
        expiresAt: issuedAt + settings.lifetimeMs,
      };
      issued.set(token.value, Object.freeze(token));
      return token;
    },
    authenticate(authorization) {
      // Messages never include the header: it holds the token.
      const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
      if (!match) return refuse("Missing bearer token: send `Authorization: Bearer <access_token>`.");
      const token = issued.get(match[1]!);
      if (!token) return refuse("Unknown access token.");
      if (revoked.has(token.value)) return refuse("The access token was revoked: request a new one.");
      if (settings.now() >= token.expiresAt) return refuse("The access token has expired: request a new one.");
      return { ok: true, token };
    },
    revokeAll() {
      let count = 0;
      for (const value of issued.keys()) if (!revoked.has(value)) revoked.add(value), count++;
      return count;
    },
    reset() {
      issued.clear();
      revoked.clear();
    },
  };
}
