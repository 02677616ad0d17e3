// `dealcloud schema [entryType]`: the site's entry types, or one entry type's fields with their kinds and choice
// values, as a table or JSON.
import type { SiteEntryType, SiteField } from "@dealcloud-ts/site";
import { type Connection, entryTypeOf } from "../connect.js";
import type { CliIo } from "../io.js";
import { renderTable } from "../table.js";

/** The flags of `schema`. */
export interface SchemaFlags {
  readonly json: boolean;
}

const fieldJson = (field: SiteField) => ({
  id: field.id,
  apiName: field.apiName,
  name: field.name,
  kind: field.kind,
  fieldType: field.fieldType,
  required: field.required,
  multi: field.multi,
  isName: field.isName,
  calculated: field.calculated,
  ...(field.kind === "reference" ? { targets: field.targets } : {}),
  ...(field.kind === "choice" ? { choices: field.choices } : {}),
});

const typeJson = (type: SiteEntryType) => ({
  id: type.id,
  apiName: type.apiName,
  singularName: type.singularName,
  pluralName: type.pluralName,
  nameField: type.nameField?.apiName ?? null,
  fields: type.fields.map(fieldJson),
});

export async function runSchema(
  io: CliIo,
  connection: Connection,
  entryTypeRef: string | undefined,
  flags: SchemaFlags,
): Promise<void> {
  const model = await connection.site.model({ signal: io.signal });
  if (entryTypeRef === undefined) {
    if (flags.json) io.stdout.write(`${JSON.stringify(model.entryTypes.map(typeJson), null, 2)}\n`);
    else
      io.stdout.write(
        renderTable(
          ["id", "apiName", "name", "fields"],
          model.entryTypes.map((t) => [String(t.id), t.apiName, t.pluralName, String(t.fields.length)]),
        ),
      );
    return;
  }
  const type = entryTypeOf(model, entryTypeRef);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(typeJson(type), null, 2)}\n`);
    return;
  }
  const byId = new Map(model.entryTypes.map((t) => [t.id, t.apiName]));
  const flagsOf = (field: SiteField) =>
    [field.isName && "name", field.required && "required", field.multi && "multi", field.calculated && "calculated"]
      .filter(Boolean)
      .join(",");
  const values = (field: SiteField) =>
    field.kind === "choice"
      ? field.choices.map((choice) => choice.name).join(", ")
      : field.kind === "reference"
        ? `→ ${field.targets.map((id) => byId.get(id) ?? String(id)).join(", ")}`
        : "";
  io.stdout.write(`${type.singularName} (${type.apiName}, entry type ${type.id}): ${type.fields.length} fields\n`);
  io.stdout.write(
    renderTable(
      ["apiName", "name", "kind", "flags", "values"],
      type.fields.map((field) => [field.apiName, field.name, field.kind, flagsOf(field), values(field)]),
      80,
    ),
  );
}
