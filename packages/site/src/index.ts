/**
 * A DealCloud site's schema as a model: write rows with names instead of ids (choice values, references,
 * users), upsert by a key with chunked lookups of exactly the names used, and read rows flattened to names.
 *
 * @packageDocumentation
 */
export {
  createSite,
  type CreateOf,
  type RowByName,
  type RowOf,
  type Site,
  type SiteClients,
  type SiteOptions,
  type TypedReadOptions,
  type TypedSite,
  type TypedWriteOptions,
  type UpdateOf,
} from "./site.js";
export { type EntryTypeRows, type GenerateSiteTypesOptions, generateSiteTypes } from "./types.js";
export type { AnyClient } from "./call.js";
export { AmbiguousKeyError, UnknownNameError, type UnknownValue } from "./errors.js";
export type { FieldKind, SiteChoice, SiteEntryType, SiteField, SiteModel, SiteUser } from "./model.js";
export { closestNames, editDistance, unescapeHtml } from "./names.js";
export { type FlattenRowOptions, flattenRow, type ReadByNameOptions } from "./read.js";
export type { SkippedValue } from "./resolve.js";
export type {
  FailedRow,
  WriteByNameOptions,
  WriteByNameReport,
  WriteRequests,
  WrittenEntry,
} from "./write.js";
