import type { SiteContext } from "../area.js";
import { badRequest } from "../http-error.js";
import type { Entry } from "./entries.js";
import type { Field } from "./schema.js";
import { FieldType } from "./site-data.js";

/**
 * Field values between the wire and the store. Stored values: text as strings, numbers as numbers, dates as
 * epoch ms, choice / reference / user values as ids (arrays for multi-value fields); `undefined` is no data.
 * Wire shapes follow the catalogue §3.2 (rows) and §3.4 (cells).
 */

/** The parts of the site a value needs to be rendered or parsed. */
export type ValueSite = Pick<SiteContext, "schema" | "entries" | "users">;

/** How a read asked for values. */
export interface RenderOptions {
  /** Always wrap multi-value fields in arrays; otherwise one value is sent bare (catalogue §3.2). */
  wrapIntoArrays?: boolean;
  /** Add `url` to reference values (`resolveReferenceUrls` on rows, `resolveReferenceUrl` on cells). */
  resolveReferenceUrls?: boolean;
  /** The site origin for reference URLs, e.g. `https://mock.dealcloud.test`. */
  origin?: string;
  /** `dateTimeBehavior=1`: the IANA time zone to render date-times in (without `Z`); UTC otherwise. */
  timeZone?: string;
}

const isMulti = (field: Field) => field.isMultiSelect;

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;" };

/**
 * Escapes a name as DealCloud does in answers: the vendor SDK's docstrings say "Values returned from the DealCloud
 * API are HTML escaped" (vendor-python-sdk.md §4). The mock escapes names (of records, choice values, users,
 * fields and objects), not text field values: the sources show only names being unescaped.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]!);
}
const asList = (stored: unknown): unknown[] => (Array.isArray(stored) ? stored : stored === undefined ? [] : [stored]);

/** Formats epoch ms as DealCloud does: `2020-12-30T05:00:00Z`, or local wall time without `Z` in `timeZone`. */
export function formatDate(ms: number, timeZone?: string): string {
  if (!timeZone || timeZone === "UTC") return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    })
      .formatToParts(new Date(ms))
      .map((part) => [part.type, part.value]),
  );
  return `${parts["year"]}-${parts["month"]}-${parts["day"]}T${parts["hour"]}:${parts["minute"]}:${parts["second"]}`;
}

/** The offset of `timeZone` from UTC at instant `ms`, in ms. */
function zoneOffset(ms: number, timeZone: string): number {
  const wall = formatDate(ms, timeZone);
  return Date.parse(`${wall}Z`) - Math.floor(ms / 1000) * 1000;
}

/**
 * Parses a written date-time: ending in `Z` (or an offset) it is absolute; without, it is the acting user's
 * local time (catalogue §1 "Time zones"). Returns epoch ms, or undefined when unreadable.
 */
export function parseDate(text: string, timeZone: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return undefined;
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)) {
    const ms = Date.parse(trimmed);
    return Number.isNaN(ms) ? undefined : ms;
  }
  const asUtc = Date.parse(`${trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed}Z`);
  if (Number.isNaN(asUtc)) return undefined;
  // Two passes settle the offset around daylight-saving changes.
  const first = asUtc - zoneOffset(asUtc, timeZone);
  return asUtc - zoneOffset(first, timeZone);
}

/** One referenced item as a rows read shows it. */
function rowItem(site: ValueSite, field: Field, id: number, options: RenderOptions): unknown {
  if (field.fieldType === FieldType.Choice) {
    const choice = site.schema.choice(id);
    return {
      seqNumber: choice?.seqNumber ?? 0,
      isAutoPdf: false,
      id,
      name: escapeHtml(choice?.name ?? ""),
      entryListId: -6,
    };
  }
  if (field.fieldType === FieldType.User) {
    const user = site.users.get(id);
    return {
      ...(user ? { url: `mailto:${user.email}` } : {}),
      type: 0,
      id,
      name: user ? escapeHtml(site.users.nameOf(user)) : "",
      entryListId: -1,
    };
  }
  const target = site.entries.get(id);
  return {
    type: 0,
    id,
    name: target ? escapeHtml(site.entries.nameOf(target)) : "",
    entryListId: target?.type.id ?? field.entryLists[0] ?? 0,
    ...(options.resolveReferenceUrls && target ? { url: entryUrl(options.origin, target) } : {}),
  };
}

/** The mock's link to an entry (the real URL format is not documented). */
function entryUrl(origin = "https://mock.dealcloud.test", entry: Entry): string {
  return `${origin}/portal/pages/${entry.type.id}/entries/${entry.id}`;
}

/** A stored value as a rows read shows it; undefined when the field has no data. */
export function renderRowValue(site: ValueSite, field: Field, stored: unknown, options: RenderOptions = {}): unknown {
  if (stored === undefined || stored === null) return undefined;
  switch (field.fieldType) {
    case FieldType.Text:
    case FieldType.Number:
      return stored;
    case FieldType.Date:
      return formatDate(stored as number, options.timeZone);
    default: {
      const items = asList(stored).map((id) => rowItem(site, field, id as number, options));
      if (!isMulti(field)) return items[0];
      if (items.length === 0) return undefined;
      return options.wrapIntoArrays || items.length > 1 ? items : items[0];
    }
  }
}

/**
 * An entry as a row: `EntryId`, the name field as a reference to the entry itself (as in the vendor's sample,
 * where `Subject` references its own interaction), then every other field with data, keyed by apiName.
 */
export function renderRow(
  site: ValueSite,
  entry: Entry,
  fields: readonly Field[] = entry.type.fields,
  options: RenderOptions = {},
): Record<string, unknown> {
  const row: Record<string, unknown> = { EntryId: entry.id };
  for (const field of fields) {
    if (field === entry.type.nameField) {
      row[field.apiName] = {
        type: 0,
        id: entry.id,
        name: escapeHtml(site.entries.nameOf(entry)),
        entryListId: entry.type.id,
        ...(options.resolveReferenceUrls ? { url: entryUrl(options.origin, entry) } : {}),
      };
      continue;
    }
    const value = renderRowValue(site, field, entry.values[field.index], options);
    if (value !== undefined) row[field.apiName] = value;
  }
  return row;
}

/** A stored value as a cells read shows it: references as `{ id, name, entryListId }` without `type` (catalogue §3.4). */
export function renderCellValue(site: ValueSite, field: Field, stored: unknown, options: RenderOptions = {}): unknown {
  const value = renderRowValue(site, field, stored, options);
  const strip = (item: unknown) => {
    if (typeof item !== "object" || item === null) return item;
    const { id, name, entryListId, url } = item as { id: number; name: string; entryListId: number; url?: string };
    return { id, name, entryListId, ...(url !== undefined && field.fieldType === FieldType.Reference ? { url } : {}) };
  };
  return Array.isArray(value) ? value.map(strip) : strip(value);
}

/** A stored value for a publication event: plain ids for choice, reference and user values (the mock's choice). */
export function renderEventValue(field: Field, stored: unknown): unknown {
  if (stored === undefined) return null;
  if (field.fieldType === FieldType.Date) return formatDate(stored as number);
  return stored;
}

/** How a write refers to entries of the same batch that do not exist yet (negative ids). */
export interface WriteContext {
  /** The acting user's IANA zone, for date-times without `Z`. */
  readonly timeZone: string;
  /** Negative ids of new entries in this batch (references to them are allowed). */
  readonly pendingIds: ReadonlySet<number>;
}

/** A sentinel marking "clear this field" (a written `null` or `""`: catalogue §3.3). */
export const CLEAR = Symbol("clear");

function typeName(field: Field): string {
  const names: Record<number, string> = {
    1: "text",
    2: "choice value ids",
    3: "a number",
    4: "an ISO date-time",
    5: "entry ids",
    7: "user ids",
  };
  return names[field.fieldType] ?? "a value";
}

/**
 * Checks and converts a written value to its stored form; a 400 naming the field on a value of the wrong kind.
 * Choice and reference values must be ids, not names (catalogue §3.3).
 */
export function parseWrittenValue(site: ValueSite, field: Field, value: unknown, write: WriteContext): unknown {
  // CreatedDate and ModifiedDate are the site's own (the mock's rule: DealCloud's answer to such a write is not documented).
  if (!field.isStoreRequestSupported) badRequest(`Field "${field.apiName}" is a system field and cannot be written.`);
  if (value === null || value === "") return CLEAR;
  const wrong = (detail = ""): never =>
    badRequest(`Field "${field.apiName}" expects ${typeName(field)}${detail}; got ${JSON.stringify(value)}.`);
  switch (field.fieldType) {
    case FieldType.Text:
      return typeof value === "string" ? value : typeof value === "number" ? String(value) : wrong();
    case FieldType.Number: {
      const number =
        typeof value === "number"
          ? value
          : typeof value === "string" && value.trim() !== ""
            ? Number(value)
            : Number.NaN;
      return Number.isFinite(number) ? number : wrong();
    }
    case FieldType.Date: {
      const ms = typeof value === "string" ? parseDate(value, write.timeZone) : undefined;
      return ms === undefined ? wrong() : ms;
    }
    default: {
      const items = Array.isArray(value) ? value : [value];
      if (items.length > 1 && !field.isMultiSelect) wrong(" (one value: the field is not multi-select)");
      const ids = items.map((item) => {
        const id =
          typeof item === "number"
            ? item
            : typeof item === "object" && item !== null && typeof (item as { id?: unknown }).id === "number"
              ? (item as { id: number }).id
              : undefined;
        if (id === undefined || !Number.isInteger(id)) return wrong(" (ids, not names)");
        checkTarget(site, field, id, write) || wrong(` (${id} is not a valid id for this field)`);
        return id;
      });
      return field.isMultiSelect ? ids : ids[0];
    }
  }
}

function checkTarget(site: ValueSite, field: Field, id: number, write: WriteContext): boolean {
  if (field.fieldType === FieldType.Choice) return site.schema.choice(id)?.fieldId === field.id;
  if (field.fieldType === FieldType.User) return site.users.get(id) !== undefined;
  if (id < 0) return write.pendingIds.has(id);
  const target = site.entries.get(id);
  return target !== undefined && field.entryLists.includes(target.type.id);
}
