import { DealCloudAuthError } from "./errors.js";

/**
 * The scopes DealCloud's token endpoint grants, one per API area (vendor token docs):
 * `data` (Data and Schema APIs), `user_management`, `publish` (Publications), `ri_import` (Relationship
 * Intelligence Import) and `backup` (Site Backups). Older scopes the vendor lists as deprecated or specialised
 * (`provider_sync`, `api`, `data_provider`, `exchange`) are left out on purpose.
 */
export const SCOPES = ["data", "user_management", "publish", "ri_import", "backup"] as const;

/** One DealCloud OAuth scope. A misspelt scope is a compile-time error. */
export type Scope = (typeof SCOPES)[number];

/**
 * Validates scopes and returns them sorted, de-duplicated and frozen, so that `["publish", "data"]` and
 * `["data", "publish", "data"]` name the same token. DealCloud was seen to drop unknown scopes silently
 * instead of rejecting them, so a typo is caught here, before any request.
 */
export function normalizeScopes(scopes: Scope | readonly Scope[]): readonly Scope[] {
  const list: readonly unknown[] = typeof scopes === "string" ? [scopes] : Array.isArray(scopes) ? scopes : [];
  if (list.length === 0) {
    throw new DealCloudAuthError("EMPTY_SCOPES", `Pass at least one scope: ${SCOPES.join(", ")}.`);
  }
  for (const scope of list) {
    if (!SCOPES.includes(scope as Scope)) {
      throw new DealCloudAuthError(
        "UNKNOWN_SCOPE",
        `Unknown scope ${JSON.stringify(String(scope)).slice(0, 40)}: use ${SCOPES.join(", ")}.`,
      );
    }
  }
  return Object.freeze([...new Set(list as Scope[])].sort());
}
