import type { SiteContext } from "../area.js";
import type { EntryType, Field } from "./schema.js";
import { FieldType, SITE_SAMPLE_ENTRIES } from "./site-data.js";
import { parseWrittenValue, CLEAR } from "./values.js";

/** The user seeded rows are created by: the default mock client's user (the token docs' sample id 106). */
const SEED_USER = 106;

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same rows on every runtime. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Adds the sample entries (companies, a contact, an interaction, a deal); references are given by name there. */
export function seedSampleEntries(site: SiteContext, at: number): void {
  for (const sample of SITE_SAMPLE_ENTRIES) {
    const type = site.schema.entryType(sample.type);
    const values: unknown[] = [];
    for (const [apiName, raw] of Object.entries(sample.values)) {
      const field = site.schema.fieldByName(type, apiName)!;
      const value = parseWrittenValue(site, field, byName(site, field, raw), {
        timeZone: "UTC",
        pendingIds: new Set(),
      });
      if (value !== CLEAR) values[field.index] = value;
    }
    site.entries.create(type, values, SEED_USER, at);
  }
}

/** Sample data names choice and reference values; the store wants ids. */
function byName(site: SiteContext, field: Field, raw: unknown): unknown {
  const one = (item: unknown): unknown => {
    if (typeof item !== "string") return item;
    if (field.fieldType === FieldType.Choice) return site.schema.choiceByName(field, item)?.id;
    if (field.fieldType === FieldType.Reference) {
      for (const targetId of field.entryLists) {
        const found = site.entries
          .list(site.schema.entryType(targetId))
          .find((entry) => site.entries.nameOf(entry) === item);
        if (found) return found.id;
      }
    }
    return item;
  };
  return Array.isArray(raw) ? raw.map(one) : one(raw);
}

/**
 * Fills `type` with `count` generated entries, deterministic for a given `seed`. Values are kept small (shared
 * strings, numbers) so that a million rows fit in memory; reference fields point at entries that existed
 * before the call. Returns the ids of the first and last entry added.
 */
export function seedRows(
  site: SiteContext,
  type: EntryType,
  count: number,
  seed: number,
  at: number,
): { firstId: number; lastId: number } {
  if (!(Number.isInteger(count) && count >= 0))
    throw new RangeError(`The row count must be a non-negative integer (got ${String(count)}).`);
  const random = createRandom(seed);
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
  const users = site.users
    .all()
    .filter((user) => user.isActive)
    .map((user) => user.id);
  const generators = type.fields.map((field): ((n: number, id: number) => unknown) => {
    if (field === type.nameField) {
      const prefix = `${type.singularName} `;
      return (n) => prefix + String(n + 1).padStart(7, "0");
    }
    // Set by the entry store when the entry is added.
    if (!field.isStoreRequestSupported) return () => undefined;
    // Unique, like real addresses: built from the entry id, so later seeding never repeats one.
    if (/email/i.test(field.apiName)) return (_n, id) => `${type.apiName}.${id}@seed.mock.dealcloud.test`;
    switch (field.fieldType) {
      case FieldType.Text: {
        const pool = Array.from({ length: 50 }, (_, k) => `${field.name} ${k + 1}`);
        return () => pick(pool);
      }
      case FieldType.Number:
        return field.isMoney ? () => Math.round(random() * 1_000_000) * 1000 : () => Math.floor(random() * 10_000);
      case FieldType.Date:
        // Whole days between 2000-01-01 and 2025-12-31.
        return () => Date.UTC(2000, 0, 1) + Math.floor(random() * 9_496) * 86_400_000;
      case FieldType.Choice: {
        const ids = site.schema.choicesOf(field.id).map((choice) => choice.id);
        return field.isMultiSelect ? () => [pick(ids)!] : () => pick(ids);
      }
      case FieldType.User:
        return field.isMultiSelect ? () => [pick(users)!] : () => pick(users);
      default: {
        const targets = field.entryLists.flatMap((id) =>
          site.entries.list(site.schema.entryType(id)).map((entry) => entry.id),
        );
        if (targets.length === 0) return () => undefined;
        // Half the references are left empty.
        return field.isMultiSelect
          ? () => (random() < 0.5 ? undefined : [pick(targets)!])
          : () => (random() < 0.5 ? undefined : pick(targets));
      }
    }
  });
  const before = site.entries.list(type).length;
  site.entries.bulkAdd(type, count, (id, n) => generators.map((generate) => generate(n, id)), at, SEED_USER);
  const live = site.entries.list(type);
  return { firstId: live[before]?.id ?? 0, lastId: live[live.length - 1]?.id ?? 0 };
}
