// One connection per run: a token manager, the Schema and Data clients under one token, and the site model.
import { createTokenManager, type TokenManager } from "@dealcloud-ts/auth";
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { schema } from "@dealcloud-ts/schema";
import { createSite, editDistance, type Site, type SiteEntryType, type SiteModel } from "@dealcloud-ts/site";
import { type ConnectionFlags, resolveCredentials } from "./credentials.js";
import { UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

/** What the data commands work with. */
export interface Connection {
  /** The token manager (the `token` command asks it directly). */
  readonly tokens: TokenManager;
  /** The Schema and Data clients, one token for both. */
  readonly dc: ReturnType<typeof createClients>;
  /** The site model over them: names, upsert by key. */
  readonly site: Site;
}

const createClients = (tokens: TokenManager) => createDealCloud({ tokens, apis: { schema, data } });

/** Resolves the credentials and builds the clients; nothing is sent until a command asks. */
export async function connect(io: CliIo, flags: ConnectionFlags): Promise<Connection> {
  const { site, clientId, clientSecret } = await resolveCredentials(io, flags);
  const tokens = createTokenManager({ baseUrl: site, clientId, clientSecret });
  const dc = createClients(tokens);
  // The model is read once per run: a CLI run is short, and a stale model is refreshed on a miss anyway.
  return { tokens, dc, site: createSite(dc, { modelTtlMs: 3_600_000 }) };
}

/** "did you mean …" for a list of candidates, or "" when none is close. */
export function suggest(value: string, candidates: readonly string[]): string {
  // Close means a typo away: at most a third of the word's letters (and at least 2) differ, case aside.
  const limit = Math.max(2, Math.floor(value.length / 3));
  const close = [...new Set(candidates)]
    .map((name) => [editDistance(value.toLowerCase(), name.toLowerCase()), name] as const)
    .filter(([distance]) => distance <= limit)
    .sort((a, b) => a[0] - b[0])
    .slice(0, 3)
    .map(([, name]) => name);
  return close.length ? ` Did you mean ${close.map((name) => `"${name}"`).join(" or ")}?` : "";
}

/** The entry type named by `ref` (apiName, display name or id), or a UsageError listing the close ones. */
export function entryTypeOf(model: SiteModel, ref: string): SiteEntryType {
  const type = model.entryType(/^\d+$/.test(ref) ? Number(ref) : ref);
  if (type) return type;
  const names = model.entryTypes.map((t) => t.apiName);
  throw new UsageError(
    `Unknown entry type "${ref}".${suggest(ref, names)} The site has: ${names.join(", ")}. (dealcloud schema lists them.)`,
  );
}

/** The field named `ref` (apiName or display name) of `type`, or a UsageError with the close ones. */
export function fieldOf(model: SiteModel, type: SiteEntryType, ref: string, what = "field"): string {
  if (ref === "EntryId") return ref;
  const field = model.field(type, ref);
  if (field) return field.apiName;
  const names = type.fields.map((f) => f.apiName);
  throw new UsageError(
    `Unknown ${what} "${ref}" for ${type.apiName}.${suggest(ref, names)} (dealcloud schema ${type.apiName} lists its fields.)`,
  );
}
