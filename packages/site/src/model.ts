// The site's structure, read once through the Schema API and kept as plain objects.
import type { SchemaClient } from "@dealcloud-ts/schema";
import { callApi, type AnyClient } from "./call.js";
import { unescapeHtml } from "./names.js";

/** What a field holds, from its `fieldType` code (codes per the Schema spec's `Field.fieldType`). */
export type FieldKind =
  | "text"
  | "choice"
  | "number"
  | "date"
  | "reference"
  | "boolean"
  | "user"
  | "binary"
  | "image"
  | "other";

const KINDS: Record<number, FieldKind> = {
  1: "text",
  2: "choice",
  3: "number",
  4: "date",
  5: "reference",
  6: "boolean",
  7: "user",
  13: "binary",
  15: "number",
  16: "image",
  18: "number",
};

/** One value of a choice field, its name unescaped. */
export interface SiteChoice {
  /** The id written to the field. */
  readonly id: number;
  /** The display name, HTML-unescaped. */
  readonly name: string;
}

/** A field of an entry type, as the site model sees it. */
export interface SiteField {
  /** The field's id. */
  readonly id: number;
  /** The key of the field in rows. */
  readonly apiName: string;
  /** The display name, HTML-unescaped. */
  readonly name: string;
  /** What the field holds. */
  readonly kind: FieldKind;
  /** The raw `fieldType` code. */
  readonly fieldType: number;
  /** Whether a new entry needs a value. */
  readonly required: boolean;
  /** Whether the field holds several values. */
  readonly multi: boolean;
  /** Whether the field is the entry's name (the `Subject` of an interaction, the `CompanyName` of a company). */
  readonly isName: boolean;
  /** Whether the field is calculated (never written). */
  readonly calculated: boolean;
  /** Reference fields: the ids of the entry types it points to. */
  readonly targets: readonly number[];
  /** Choice fields: the values. */
  readonly choices: readonly SiteChoice[];
}

/** An entry type (object) with its fields. */
export interface SiteEntryType {
  /** The entry type's id, e.g. 2011. */
  readonly id: number;
  /** Its apiName, e.g. `"company"`. */
  readonly apiName: string;
  /** Its singular display name, HTML-unescaped. */
  readonly singularName: string;
  /** Its plural display name, HTML-unescaped. */
  readonly pluralName: string;
  /** Its fields, in the site's order. */
  readonly fields: readonly SiteField[];
  /** The field holding each entry's name, when the site marks one. */
  readonly nameField: SiteField | undefined;
}

/** A user of the site. */
export interface SiteUser {
  /** The id written to user fields. */
  readonly id: number;
  /** The display name, HTML-unescaped. */
  readonly name: string;
  /** The email address. */
  readonly email: string;
}

/** The site's structure: entry types, fields, choice values, users and currencies. */
export interface SiteModel {
  /** Every entry type of the site. */
  readonly entryTypes: readonly SiteEntryType[];
  /** Every user the Schema API lists (active and inactive). */
  readonly users: readonly SiteUser[];
  /** The currencies as the Schema API answers them (their shape is not documented). */
  readonly currencies: unknown;
  /** When it was loaded (ms since the epoch). */
  readonly loadedAt: number;
  /** The entry type by id, apiName (case-insensitive) or display name; undefined when the site has none. */
  entryType(ref: number | string): SiteEntryType | undefined;
  /** A field of `entryType` by apiName or display name (case-insensitive); undefined when it has none. */
  field(entryType: SiteEntryType, ref: string): SiteField | undefined;
}

interface RawField {
  id: number;
  apiName: string;
  name: string;
  entryListId: number;
  fieldType: number;
  isRequired?: boolean;
  isMultiSelect?: boolean;
  isKey?: boolean;
  isCalculated?: boolean;
  systemFieldType?: number;
  entryLists?: number[];
  choiceValues?: { id: number; name: string }[];
}

/** Reads the site's structure: 3 Schema calls (entry types, all fields, users) and the currencies. */
export async function loadModel(schema: AnyClient<SchemaClient>, signal?: AbortSignal): Promise<SiteModel> {
  const init = signal ? { signal } : {};
  const [types, fields, users, currencies] = await Promise.all([
    callApi<Record<string, unknown>[]>(schema, "GET", "/entrytypes", init),
    callApi<RawField[]>(schema, "GET", "/allfields", init),
    callApi<Record<string, unknown>[]>(schema, "GET", "/users", init),
    callApi<unknown>(schema, "GET", "/currencies", init),
  ]);
  return buildModel(types, fields, users, currencies, Date.now());
}

/** Builds the model from the Schema API's answers. */
export function buildModel(
  types: readonly Record<string, unknown>[],
  fields: readonly RawField[],
  users: readonly Record<string, unknown>[],
  currencies: unknown,
  loadedAt: number,
): SiteModel {
  const byType = new Map<number, SiteField[]>();
  for (const raw of fields) {
    const list = byType.get(raw.entryListId) ?? [];
    list.push(toField(raw));
    byType.set(raw.entryListId, list);
  }
  const entryTypes: SiteEntryType[] = types.map((raw) => {
    const own = byType.get(raw["id"] as number) ?? [];
    const text = (key: string) => unescapeHtml(String(raw[key] ?? raw["name"] ?? ""));
    return {
      id: raw["id"] as number,
      apiName: String(raw["apiName"]),
      singularName: text("singularName"),
      pluralName: text("pluralName"),
      fields: own,
      nameField: own.find((field) => field.isName),
    };
  });
  const siteUsers: SiteUser[] = users
    .filter((user) => typeof user["id"] === "number")
    .map((user) => ({
      id: user["id"] as number,
      name: unescapeHtml(String(user["name"] ?? "")),
      email: String(user["email"] ?? ""),
    }));
  const lower = (text: string) => text.toLowerCase();
  return {
    entryTypes,
    users: siteUsers,
    currencies,
    loadedAt,
    entryType(ref) {
      if (typeof ref === "number" || /^\d+$/.test(ref)) return entryTypes.find((type) => type.id === Number(ref));
      const key = lower(ref);
      return (
        entryTypes.find((type) => lower(type.apiName) === key) ??
        entryTypes.find((type) => lower(type.singularName) === key || lower(type.pluralName) === key)
      );
    },
    field(entryType, ref) {
      const key = lower(ref);
      return (
        entryType.fields.find((field) => lower(field.apiName) === key) ??
        entryType.fields.find((field) => lower(field.name) === key)
      );
    },
  };
}

function toField(raw: RawField): SiteField {
  const kind = KINDS[raw.fieldType] ?? "other";
  return {
    id: raw.id,
    apiName: raw.apiName,
    name: unescapeHtml(raw.name),
    kind,
    fieldType: raw.fieldType,
    required: raw.isRequired === true,
    multi: raw.isMultiSelect === true,
    // systemFieldType 9 is seen on name fields of the vendor's samples; isKey marks them too.
    isName: raw.systemFieldType === 9,
    calculated: raw.isCalculated === true,
    targets: kind === "reference" ? (raw.entryLists ?? []) : [],
    choices: (raw.choiceValues ?? []).map(({ id, name }) => ({ id, name: unescapeHtml(name) })),
  };
}
