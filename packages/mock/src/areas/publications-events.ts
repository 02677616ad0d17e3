import type { SiteContext } from "../area.js";
import type { Entry, EntryChange } from "../state/entries.js";
import type { Field } from "../state/schema.js";
import { renderEventValue } from "../state/values.js";
import type { UserChange } from "./site-events.js";

/**
 * Publication events as DealCloud shapes them (catalogue §6.1, DOC-pub-types): the common envelope and the
 * payload of data events in Rows and Cells format. `topicName` and `topicOffset` are filled in when the event
 * is appended to its topic.
 */

/** Text values longer than this come as `{ isLargeText: true }` without the value (catalogue §6.1). */
export const LARGE_TEXT_LENGTH = 10_000;

/** An event before it is placed in a topic. */
export interface EventDraft {
  readonly at: number;
  readonly envelope: (topicName: string, topicOffset: number) => Record<string, unknown>;
}

function envelope(
  site: Pick<SiteContext, "users">,
  at: number,
  userId: number | undefined,
  fields: { entityType: string; entityFormatType: string; data: boolean },
  entities: Record<string, unknown[]>,
): EventDraft {
  const eventId = crypto.randomUUID();
  const email = userId === undefined ? "" : (site.users.get(userId)?.email ?? "");
  return {
    at,
    envelope: (topicName, topicOffset) => ({
      eventId,
      modifiedAt: new Date(at).toISOString(),
      topicName,
      topicOffset,
      entityType: fields.entityType,
      entityFormatType: fields.entityFormatType,
      modifiedById: userId ?? 0,
      modifiedByUserEmail: email,
      // `isCalculated` is on data events, `schemaVersion` on schema and data events (catalogue §6.1).
      ...(fields.data ? { isCalculated: false, schemaVersion: 1 } : {}),
      payload: { entities },
    }),
  };
}

/** A stored value as an event carries it; over-long text is replaced by the large-text marker (where it sits is the mock's guess). */
function eventValue(field: Field, stored: unknown): unknown {
  if (typeof stored === "string" && stored.length > LARGE_TEXT_LENGTH) return { isLargeText: true };
  return renderEventValue(field, stored);
}

/** A Rows-format updated row: `EntryId`, `EntryListId`, `EntryName`, then each written field by apiName. */
function eventRow(site: Pick<SiteContext, "entries">, entry: Entry, fields: readonly Field[]): Record<string, unknown> {
  const row: Record<string, unknown> = {
    EntryId: entry.id,
    EntryListId: entry.type.id,
    EntryName: site.entries.nameOf(entry),
  };
  for (const field of fields) row[field.apiName] = eventValue(field, entry.values[field.index]);
  return row;
}

/** Cells-format updated cells: one `{ fieldId, entryId, value }` per written field of each entry. */
function eventCells(entries: readonly Entry[], fields: readonly Field[]): Record<string, unknown>[] {
  return entries.flatMap((entry) =>
    fields.map((field) => ({
      fieldId: field.id,
      entryId: entry.id,
      value: eventValue(field, entry.values[field.index]),
    })),
  );
}

/**
 * The `default-data` event of one change to entries: one event per write (a batch of entries). A creation gives a
 * created item and an updated item (catalogue §6.1). Rows writes are `entityFormatType` "Rows", Cells writes
 * "None" with cell-shaped updates. Deletions (shape undocumented) list the deleted entries like created ones.
 */
export function dataEvent(site: Pick<SiteContext, "users" | "entries">, change: EntryChange): EventDraft {
  const entryListId = change.type.id;
  if (change.kind === "deleted") {
    const entries = change.tombstones.map((tombstone) => ({
      entryId: tombstone.id,
      name: tombstone.name,
      ...(tombstone.mergedEntryId !== undefined ? { mergedEntryId: tombstone.mergedEntryId } : {}),
    }));
    // The format of a deletion is not documented: "None" is the mock's choice.
    return envelope(
      site,
      change.at,
      change.userId,
      { entityType: "Data", entityFormatType: "None", data: true },
      { deleted: [{ entries, entryListId }] },
    );
  }
  const rows = change.format === "Rows";
  const updated = rows
    ? { entryFields: change.entries.map((entry) => eventRow(site, entry, change.fields)), entryListId }
    : { entryFields: eventCells(change.entries, change.fields) };
  const entities: Record<string, unknown[]> =
    change.kind === "created"
      ? {
          created: [{ entries: change.entries.map((entry) => ({ entryId: entry.id })), entryListId }],
          updated: [updated],
        }
      : { updated: [updated] };
  return envelope(
    site,
    change.at,
    change.userId,
    { entityType: "Data", entityFormatType: rows ? "Rows" : "None", data: true },
    entities,
  );
}

/**
 * The `default-users` event of a User Management change. DealCloud's user events show user groups
 * (`entityType` "UserGroups", the only entity type the vendor's user samples show and one of the three the
 * Publications spec allows); events for users themselves are not documented, so the users as the API renders them,
 * under that entity type, are the mock's choice.
 */
export function userEvent(site: Pick<SiteContext, "users">, change: UserChange): EventDraft {
  return envelope(
    site,
    change.at,
    change.userId,
    { entityType: "UserGroups", entityFormatType: "None", data: false },
    { [change.kind]: [...change.users] },
  );
}

/**
 * The parts of a message whose payload lists more than `maxRows` rows, entries or cells (catalogue §6.1: "large
 * messages may be split" with `isLastPart` and `partNumber`; the threshold and the cut are not documented, so
 * these are the mock's): the payload's lists cut in order, each part with the same envelope and `eventId`,
 * `partNumber` 1, 2, … and `isLastPart` true on the last part only. A message within the limit is returned alone
 * and unchanged.
 */
export function splitMessage(message: Record<string, unknown>, maxRows: number | undefined): Record<string, unknown>[] {
  // Only data events list rows; user events carry whole user objects.
  if (maxRows === undefined || message.entityType !== "Data") return [message];
  const payload = message.payload as { entities: Record<string, Record<string, unknown>[]> };
  // One unit per row: its kind of change, the item it belongs to and the item's list key.
  const units: { kind: string; item: Record<string, unknown>; key: string; row: unknown }[] = [];
  for (const [kind, items] of Object.entries(payload.entities)) {
    for (const item of items) {
      const key = Object.keys(item).find((name) => Array.isArray(item[name]));
      if (key) for (const row of item[key] as unknown[]) units.push({ kind, item, key, row });
    }
  }
  if (units.length <= maxRows) return [message];
  const parts: Record<string, unknown>[] = [];
  for (let start = 0; start < units.length; start += maxRows) {
    const entities: Record<string, Record<string, unknown>[]> = {};
    let last: { item: Record<string, unknown>; copy: Record<string, unknown> } | undefined;
    for (const { kind, item, key, row } of units.slice(start, start + maxRows)) {
      if (last?.item !== item) {
        last = { item, copy: { ...item, [key]: [] } };
        (entities[kind] ??= []).push(last.copy);
      }
      (last.copy[key] as unknown[]).push(row);
    }
    parts.push({
      ...message,
      isLastPart: start + maxRows >= units.length,
      partNumber: parts.length + 1,
      payload: { ...payload, entities },
    });
  }
  return parts;
}
