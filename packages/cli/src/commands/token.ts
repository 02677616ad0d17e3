// `dealcloud token`: asks for a token to check the credentials; prints the scopes and expiry, the token itself
// only with --show-token.
import { normalizeScopes, SCOPES, type Scope } from "@dealcloud-ts/auth";
import { type Connection, suggest } from "../connect.js";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";

/** The flags of `token`. */
export interface TokenFlags {
  readonly scope: readonly string[];
  readonly showToken: boolean;
  readonly json: boolean;
}

/** Checks the scopes before any request: DealCloud itself drops unknown scopes silently. */
export function checkScopes(given: readonly string[]): readonly Scope[] {
  const scopes = given.flatMap((item) => item.split(/[\s,]+/)).filter(Boolean);
  for (const scope of scopes)
    if (!(SCOPES as readonly string[]).includes(scope))
      throw new UsageError(`Unknown scope "${scope}".${suggest(scope, SCOPES)} Scopes: ${SCOPES.join(", ")}.`);
  return normalizeScopes((scopes.length ? scopes : ["data"]) as Scope[]);
}

export async function runToken(io: CliIo, connection: Connection, flags: TokenFlags): Promise<void> {
  const scopes = checkScopes(flags.scope);
  const token = await connection.tokens.getToken(scopes, { signal: io.signal });
  const expiresInSeconds = Math.max(0, Math.round((token.expiresAt - Date.now()) / 1000));
  const facts = {
    site: connection.tokens.baseUrl,
    scopes: token.scopes,
    expiresAt: new Date(token.expiresAt).toISOString(),
    expiresInSeconds,
  };
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(flags.showToken ? { ...facts, token: token.value } : facts)}\n`);
    return;
  }
  const text = `Credentials OK for ${facts.site}\nscopes:  ${facts.scopes.join(" ")}\nexpires: ${facts.expiresAt} (in ${expiresInSeconds} s)\n`;
  if (flags.showToken) {
    // The token alone on stdout, for $(dealcloud token --show-token); the facts go to stderr.
    io.stderr.write(text);
    io.stdout.write(`${token.value}\n`);
  } else io.stdout.write(text);
}
