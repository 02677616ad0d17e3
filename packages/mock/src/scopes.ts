/**
 * The scopes the mock grants, one per API area (DealCloud token docs): `data` (Data and Schema APIs),
 * `user_management`, `publish` (Publications), `ri_import` (Relationship Intelligence Import) and `backup`
 * (Site Backups). Anything else counts as unknown.
 */
export const MOCK_SCOPES = ["data", "user_management", "publish", "ri_import", "backup"] as const;

/** The requested scopes split into the ones the mock knows (deduplicated, in request order) and the rest. */
export interface ParsedScopes {
  /** Known scopes: what a token is granted. */
  known: string[];
  /** Anything else: dropped or rejected depending on `unknownScopes`. */
  unknown: string[];
}

/** Reads a `scope` form field: space-separated scope names (DealCloud token docs, RFC 6749 section 3.3). */
export function parseScopes(raw: string): ParsedScopes {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const name of raw.split(/\s+/)) {
    if (name === "") continue;
    const list = (MOCK_SCOPES as readonly string[]).includes(name) ? known : unknown;
    if (!list.includes(name)) list.push(name);
  }
  return { known, unknown };
}
