import { badRequest } from "../http-error.js";
import type { Entry } from "./entries.js";
import { parseRelaxedJson } from "./relaxed-json.js";
import type { EntryType, Field } from "./schema.js";
import { FieldType } from "./site-data.js";
import { parseDate, type ValueSite } from "./values.js";

/**
 * Filters for Rows reads (`query`, a Mongo-like JSON filter) and the Cells filter endpoint (`filterOperation`
 * codes 0–13), over the operators of catalogue §3.9. Comparisons follow what DealCloud documents: keys are
 * field apiNames (case-insensitive, `EntryId` included); strings compare case-insensitively; choice, reference
 * and user values match by id when the operand is a number and by name when it is a string; date filters ignore
 * the time of day (catalogue §3.9, M).
 */

/** What an entry holds in one field, ready to compare. */
type Subject =
  | { kind: "text"; value: string | undefined }
  | { kind: "number"; value: number | undefined }
  | { kind: "date"; value: number | undefined }
  | { kind: "items"; value: readonly { id: number; name: string }[] };

export type Predicate = (entry: Entry) => boolean;

const DAY_MS = 86_400_000;
const day = (ms: number) => Math.floor(ms / DAY_MS);
const lower = (text: string) => text.toLowerCase();

function subjectOf(site: ValueSite, field: Field | "EntryId", entry: Entry): Subject {
  if (field === "EntryId") return { kind: "number", value: entry.id };
  const stored = entry.values[field.index];
  switch (field.fieldType) {
    case FieldType.Text:
      return { kind: "text", value: stored as string | undefined };
    case FieldType.Number:
      return { kind: "number", value: stored as number | undefined };
    case FieldType.Date:
      return { kind: "date", value: stored as number | undefined };
    default: {
      const ids = stored === undefined ? [] : Array.isArray(stored) ? (stored as number[]) : [stored as number];
      return { kind: "items", value: ids.map((id) => ({ id, name: nameOfItem(site, field, id) })) };
    }
  }
}

function nameOfItem(site: ValueSite, field: Field, id: number): string {
  if (field.fieldType === FieldType.Choice) return site.schema.choice(id)?.name ?? "";
  if (field.fieldType === FieldType.User) {
    const user = site.users.get(id);
    return user ? site.users.nameOf(user) : "";
  }
  const target = site.entries.get(id);
  return target ? site.entries.nameOf(target) : "";
}

const isEmpty = (subject: Subject) =>
  subject.kind === "items" ? subject.value.length === 0 : subject.value === undefined || subject.value === "";

/** Compares with a number, date or string operand: negative, zero or positive; undefined when not comparable. */
function compare(subject: Subject, operand: unknown, timeZone: string): number | undefined {
  if (subject.kind === "items" || subject.value === undefined) return undefined;
  if (subject.kind === "number") {
    const number =
      typeof operand === "number"
        ? operand
        : typeof operand === "string" && operand.trim() !== ""
          ? Number(operand)
          : Number.NaN;
    return Number.isNaN(number) ? undefined : subject.value - number;
  }
  if (subject.kind === "date") {
    const ms =
      typeof operand === "string" ? parseDate(operand, timeZone) : typeof operand === "number" ? operand : undefined;
    return ms === undefined ? undefined : day(subject.value) - day(ms);
  }
  if (typeof operand !== "string" && typeof operand !== "number") return undefined;
  return lower(subject.value).localeCompare(lower(String(operand)));
}

function equals(subject: Subject, operand: unknown, timeZone: string): boolean {
  if (operand === null) return isEmpty(subject);
  if (subject.kind === "items") {
    return subject.value.some((item) =>
      typeof operand === "number"
        ? item.id === operand
        : typeof operand === "string" && lower(item.name) === lower(operand),
    );
  }
  return compare(subject, operand, timeZone) === 0;
}

function textTest(subject: Subject, operand: unknown, test: (value: string, operand: string) => boolean): boolean {
  if (typeof operand !== "string") return false;
  const needle = lower(operand);
  if (subject.kind === "items") return subject.value.some((item) => test(lower(item.name), needle));
  if (subject.kind !== "text" || subject.value === undefined) return false;
  return test(lower(subject.value), needle);
}

function list(operand: unknown, operator: string): unknown[] {
  return Array.isArray(operand)
    ? operand
    : badRequest(`The ${operator} operator takes an array, e.g. {"Deal": {"${operator}": ["Falcon", "Bravo"]}}.`);
}

type Operator = (subject: Subject, operand: unknown, timeZone: string) => boolean;

const ordered =
  (test: (difference: number) => boolean): Operator =>
  (subject, operand, timeZone) => {
    const difference = compare(subject, operand, timeZone);
    return difference !== undefined && test(difference);
  };

/** The Rows operators of catalogue §3.9. */
const ROW_OPERATORS: Record<string, Operator> = {
  $eq: equals,
  $not: (subject, operand, timeZone) => !equals(subject, operand, timeZone),
  $contains: (subject, operand) => textTest(subject, operand, (value, needle) => value.includes(needle)),
  $startswith: (subject, operand) => textTest(subject, operand, (value, needle) => value.startsWith(needle)),
  $endswith: (subject, operand) => textTest(subject, operand, (value, needle) => value.endsWith(needle)),
  $gt: ordered((difference) => difference > 0),
  $gte: ordered((difference) => difference >= 0),
  $lt: ordered((difference) => difference < 0),
  $lte: ordered((difference) => difference <= 0),
  $in: (subject, operand, timeZone) => list(operand, "$in").some((item) => equals(subject, item, timeZone)),
  $nin: (subject, operand, timeZone) => !list(operand, "$nin").some((item) => equals(subject, item, timeZone)),
  $between: (subject, operand, timeZone) => {
    const bounds = list(operand, "$between");
    if (bounds.length !== 2)
      badRequest('The $between operator takes two bounds, e.g. {"Valuation": {"$between": [500, 1000]}}.');
    return (
      ordered((difference) => difference >= 0)(subject, bounds[0], timeZone) &&
      ordered((difference) => difference <= 0)(subject, bounds[1], timeZone)
    );
  },
};

/**
 * `$in` over strings or over numbers (ids: `{ EntryId: { $in: [...] } }`), with one set lookup per entry instead
 * of a comparison per listed value, so a 1,000-value `$in` over 200,000 rows stays fast. Same answers as the
 * `$in` above: text and names compare case-insensitively, numbers and ids exactly.
 */
function fastIn(operand: unknown): Operator {
  const items = list(operand, "$in");
  if (items.length > 0 && items.every((item) => typeof item === "number")) {
    const wanted = new Set(items as number[]);
    return (subject) => {
      if (subject.kind === "number") return subject.value !== undefined && wanted.has(subject.value);
      if (subject.kind === "items") return subject.value.some((item) => wanted.has(item.id));
      return ROW_OPERATORS["$in"]!(subject, items, "UTC");
    };
  }
  if (!items.every((item) => typeof item === "string")) return ROW_OPERATORS["$in"]!;
  const wanted = new Set((items as string[]).map(lower));
  return (subject) => {
    if (subject.kind === "text") return subject.value !== undefined && wanted.has(lower(subject.value));
    if (subject.kind === "items") return subject.value.some((item) => wanted.has(lower(item.name)));
    return ROW_OPERATORS["$in"]!(subject, items, "UTC");
  };
}

/** Operators people try from MongoDB that DealCloud spells differently (catalogue §3.9). */
const SPELLED_DIFFERENTLY: Record<string, string> = { $ne: "$not", $neq: "$not", $notin: "$nin", $regex: "$contains" };

function unknownOperator(operator: string): never {
  const hint = SPELLED_DIFFERENTLY[operator.toLowerCase()];
  return badRequest(
    `Unknown filter operator "${operator}".` +
      (hint
        ? ` DealCloud spells it "${hint}".`
        : ` Use one of ${[...Object.keys(ROW_OPERATORS), "$and", "$or"].join(", ")}.`),
  );
}

function fieldFor(site: ValueSite, type: EntryType, key: string): Field | "EntryId" {
  if (key.toLowerCase() === "entryid") return "EntryId";
  return site.schema.fieldByName(type, key) ?? badRequest(`Field with name "${key}" does not exist`);
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** Compiles a Rows `query` string into a predicate; a 400 for malformed filters, unknown fields and operators. */
export function compileRowsQuery(site: ValueSite, type: EntryType, query: string, timeZone: string): Predicate {
  const parsed = parseRelaxedJson(query);
  if (!isPlainObject(parsed)) badRequest('The query filter must be a JSON object, e.g. {"CompanyName": "Intapp"}.');

  function group(filter: Record<string, unknown>): Predicate {
    const parts: Predicate[] = Object.entries(filter).map(([key, value]) => {
      const combinator = key.toLowerCase();
      if (combinator === "$and" || combinator === "$or") {
        const items = list(value, key).map((item) =>
          isPlainObject(item) ? group(item) : badRequest(`Each item of ${key} must be a filter object.`),
        );
        return combinator === "$and"
          ? (entry) => items.every((test) => test(entry))
          : (entry) => items.some((test) => test(entry));
      }
      if (key.startsWith("$")) unknownOperator(key);
      const field = fieldFor(site, type, key);
      const tests = operatorsOf(value);
      return (entry) => {
        const subject = subjectOf(site, field, entry);
        return tests.every(([operator, operand]) => operator(subject, operand, timeZone));
      };
    });
    return (entry) => parts.every((test) => test(entry));
  }

  function operatorsOf(value: unknown): [Operator, unknown][] {
    if (Array.isArray(value)) badRequest('Compare with a single value, or use {"$in": [...]} for several.');
    if (!isPlainObject(value)) return [[equals, value]];
    const keys = Object.keys(value);
    if (keys.length === 0 || !keys.every((key) => key.startsWith("$"))) {
      return badRequest('A field filter is a value or an object of operators, e.g. {"Revenue": {"$gt": 1000}}.');
    }
    return keys.map((key) => {
      const operator = ROW_OPERATORS[key.toLowerCase()] ?? unknownOperator(key);
      return [key.toLowerCase() === "$in" ? fastIn(value[key]) : operator, value[key]];
    });
  }

  return group(parsed as Record<string, unknown>);
}

/** One filter of the Cells filter endpoint (D10). */
export interface CellsFilter {
  fieldId: number;
  value?: unknown;
  valueTo?: unknown;
  filterOperation: number;
}

/** Compiles Cells filters (all ANDed: catalogue §3.4) into a predicate. */
export function compileCellsFilters(
  site: ValueSite,
  type: EntryType,
  filters: readonly CellsFilter[],
  timeZone: string,
): Predicate {
  const tests = filters.map((filter): Predicate => {
    const field = site.schema.field(filter.fieldId);
    if (!field || field.entryListId !== type.id) badRequest(`Field with Id "${filter.fieldId}" does not exist`);
    const test = cellsOperator(filter);
    return (entry) => test(subjectOf(site, field!, entry), timeZone);
  });
  return (entry) => tests.every((test) => test(entry));
}

function cellsOperator(filter: CellsFilter): (subject: Subject, timeZone: string) => boolean {
  const { value, valueTo } = filter;
  const row = (name: string) => (subject: Subject, timeZone: string) => ROW_OPERATORS[name]!(subject, value, timeZone);
  switch (filter.filterOperation) {
    case 0:
      return row("$eq");
    case 1:
      return row("$contains");
    case 2:
      return row("$gt");
    case 3:
      return row("$gte");
    case 4:
      return row("$lt");
    case 5:
      return row("$lte");
    case 6:
      return row("$startswith");
    case 7:
      return row("$in");
    // Between takes `value` and `valueTo` (GEG, EX), or a two-item `value`.
    case 8:
      return (subject, timeZone) =>
        ROW_OPERATORS["$between"]!(subject, Array.isArray(value) ? value : [value, valueTo], timeZone);
    case 9:
      return row("$nin");
    case 10:
      return row("$not");
    case 11:
      return (subject, timeZone) => !ROW_OPERATORS["$contains"]!(subject, value, timeZone);
    case 12:
      return (subject) => isEmpty(subject);
    case 13:
      return (subject) => !isEmpty(subject);
    default:
      return badRequest(`filterOperation ${String(filter.filterOperation)} is not a filter operation code (0-13).`);
  }
}
