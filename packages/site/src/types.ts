// Row types of one real site: `generateSiteTypes` writes them as TypeScript source, `site.typed` applies them.
import type { SiteEntryType, SiteField, SiteModel } from "./model.js";

/** The three row shapes of one entry type, as `generateSiteTypes` writes them. */
export interface EntryTypeRows {
  /** A row as `site.rows` reads it (names, `resolve: "name"`, apiName keys). */
  readonly row: object;
  /** A row `site.insert` takes: the required fields required. */
  readonly create: object;
  /** A row `site.update` and `site.upsert` take: every field optional. */
  readonly update: object;
}

/** Options of `generateSiteTypes`. */
export interface GenerateSiteTypesOptions {
  /** A line put in the header comment, e.g. where and when the types were read. */
  header?: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const key = (name: string) => (IDENTIFIER.test(name) ? name : JSON.stringify(name));
const docText = (text: string) => text.replace(/\*\//g, "*\\/");

/** `"contact"` → `"Contact"`, `"deal_team"` → `"DealTeam"`; digits first get a leading `_`. */
function typeName(apiName: string): string {
  const pascal = apiName
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
  return /^[A-Za-z]/.test(pascal) ? pascal : `_${pascal}`;
}

/** The value type of one field: `read` for rows read by name, else what a write accepts (names or ids). */
function valueType(field: SiteField, read: boolean): string {
  let one: string;
  switch (field.kind) {
    case "text":
    case "date":
      one = "string";
      break;
    case "number":
      one = "number";
      break;
    case "boolean":
      one = "boolean";
      break;
    case "choice": {
      const names = [...new Set(field.choices.map((choice) => JSON.stringify(choice.name)))];
      one = names.length ? names.join(" | ") : "string";
      if (!read) one = `${one} | number`;
      break;
    }
    case "reference":
    case "user":
      one = read ? "string" : "string | number";
      break;
    default:
      one = "unknown";
  }
  if (!field.multi) return one;
  const array = `readonly (${one})[]`;
  return read ? array : `${one} | ${array}`;
}

function fieldLine(field: SiteField, read: boolean, optional: boolean): string {
  const type = valueType(field, read);
  const doc = `  /** ${docText(field.name)} (${field.kind}${field.multi ? ", multi" : ""}${field.required ? ", required" : ""}). */`;
  return `${doc}\n  readonly ${key(field.apiName)}${optional ? "?" : ""}: ${type}${read ? " | null" : ""};`;
}

function entryTypeSource(type: SiteEntryType, name: string): string {
  const title = docText(type.singularName || type.apiName);
  const written = type.fields.filter((field) => !field.calculated && field.apiName !== "EntryId");
  const readable = type.fields.filter((field) => field.apiName !== "EntryId");
  const body = (lines: string[]) => (lines.length ? `\n${lines.join("\n")}\n` : "\n");
  return [
    `/** A ${title} (\`${type.apiName}\`, entry type ${type.id}) as \`site.rows\` reads it. */`,
    `export interface ${name}Row {`,
    "  /** The entry's id. */",
    "  readonly EntryId: number;",
    `${body(readable.map((field) => fieldLine(field, true, true))).slice(1)}}`,
    "",
    `/** A new ${title} for \`site.insert\`: names or ids for choice, reference and user values. */`,
    `export interface ${name}Create {${body(written.map((field) => fieldLine(field, false, !field.required)))}}`,
    "",
    `/** A ${title} for \`site.update\` and \`site.upsert\`: every field optional. */`,
    `export interface ${name}Update {`,
    "  /** The entry to update; or find it by the write's `key`. */",
    "  readonly EntryId?: number;",
    `${body(written.map((field) => fieldLine(field, false, true))).slice(1)}}`,
  ].join("\n");
}

/**
 * TypeScript source with the row types of a site: for each entry type a `<Name>Row` (what `site.rows` reads),
 * `<Name>Create` (required fields required) and `<Name>Update`, keyed by apiName, choice values as unions of
 * their names; and a `SiteTypes` map of them by apiName for `site.typed<SiteTypes>()`. The source imports
 * nothing. The `dealcloud-ts-typegen` bin writes it from a live site.
 *
 * @example
 * ```ts
 * import { createSite, generateSiteTypes } from "@dealcloud-ts/site";
 * declare const site: ReturnType<typeof createSite>;
 *
 * const source = generateSiteTypes(await site.model(), { header: "From yourfirm.dealcloud.com" });
 * ```
 */
export function generateSiteTypes(model: SiteModel, options: GenerateSiteTypesOptions = {}): string {
  const used = new Set<string>();
  const named = model.entryTypes.map((type) => {
    let name = typeName(type.apiName);
    if (used.has(name)) name = `${name}${type.id}`;
    used.add(name);
    return { type, name };
  });
  const header = options.header ? ` ${docText(options.header).replace(/\n/g, " ")}.` : "";
  return [
    `// Row types of a DealCloud site, written by generateSiteTypes (@dealcloud-ts/site).${header} Do not edit: run dealcloud-ts-typegen again when the site changes.`,
    "",
    ...named.flatMap(({ type, name }) => [entryTypeSource(type, name), ""]),
    "/** Every entry type of the site by apiName, for `site.typed<SiteTypes>()`. */",
    "export interface SiteTypes {",
    ...named.map(
      ({ type, name }) =>
        `  readonly ${key(type.apiName)}: { row: ${name}Row; create: ${name}Create; update: ${name}Update };`,
    ),
    "}",
    "",
  ].join("\n");
}
