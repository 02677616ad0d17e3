import { badRequest } from "../http-error.js";
import { FieldType, SITE_ENTRY_TYPES, type EntryTypeDefinition, type FieldTypeCode } from "./site-data.js";

/** An entry type as the Schema API answers it (catalogue §4.2), plus the mock's bookkeeping. */
export interface EntryType {
  readonly id: number;
  readonly name: string;
  readonly apiName: string;
  readonly singularName: string;
  readonly pluralName: string;
  /** Always -5 (Entry List, i.e. object): catalogue §1 "Ids". */
  readonly entryListId: -5;
  readonly entryListType: number;
  readonly entryListSubType: number;
  /** The fields, in definition order; an entry's values are stored in this order. */
  readonly fields: readonly Field[];
  /** The field holding the entry's name. */
  readonly nameField: Field;
  /** The `CreatedDate` system field: set when the entry is created, never written by a request. */
  readonly createdField: Field;
  /** The `ModifiedDate` system field: set on create and bumped on every update, never written by a request. */
  readonly modifiedField: Field;
}

/** A field with every key of the vendor's sample (catalogue §4.2, DOC-etf). */
export interface Field {
  readonly id: number;
  readonly name: string;
  readonly apiName: string;
  /** The owning entry type's id. */
  readonly entryListId: number;
  readonly fieldType: FieldTypeCode;
  readonly isRequired: boolean;
  readonly allowDuplicates: boolean;
  readonly warnOnNearDuplicates: boolean;
  readonly isMoney: boolean;
  readonly isMultiSelect: boolean;
  /** Reference fields: the object ids they point to. */
  readonly entryLists: readonly number[];
  readonly systemFieldType: number;
  readonly isKey: boolean;
  readonly isCalculated: boolean;
  readonly isAttachment: boolean;
  readonly isStoreRequestSupported: boolean;
  /** The field's position in its entry type (the index of its value in an entry). */
  readonly index: number;
}

/** A choice value (catalogue §3.2: `{ seqNumber, isAutoPdf, id, name, entryListId: -6 }`). */
export interface ChoiceValue {
  readonly id: number;
  readonly name: string;
  readonly seqNumber: number;
  readonly fieldId: number;
}

/** The site's structure: objects, fields and choice values. Only choice values change (by `appendChoices`). */
export interface SiteSchema {
  readonly entryTypes: readonly EntryType[];
  /** The entry type for a path's `entryTypeId` (numeric id or apiName, apiName case-insensitive), or a 400. */
  entryType(idOrApiName: string | number): EntryType;
  /** The entry type, or undefined. */
  findEntryType(idOrApiName: string | number): EntryType | undefined;
  field(id: number): Field | undefined;
  /** Fields of every object, in order. */
  readonly allFields: readonly Field[];
  /** A field of `type` by apiName, matched case-insensitively as DealCloud does on writes (catalogue §3.3). */
  fieldByName(type: EntryType, apiName: string): Field | undefined;
  choice(id: number): ChoiceValue | undefined;
  choicesOf(fieldId: number): readonly ChoiceValue[];
  /** A choice value of `field` by name (case-insensitive), for the seed data. */
  choiceByName(field: Field, name: string): ChoiceValue | undefined;
  /** Appends new choice values to a choice field; returns them. Existing names are not added twice. */
  appendChoices(field: Field, names: readonly string[]): ChoiceValue[];
  reset(): void;
}

const FIRST_FIELD_ID = 100_001;

/**
 * The system date fields every entry carries. DealCloud rows show `CreatedDate` and `ModifiedDate` (catalogue
 * §3.2, TAP, L) and the history docs name the "Created Date" / "Modified Date" system fields (DOC-history, H);
 * their `systemFieldType` codes are unknown, so they are left 0. Their ids follow every ordinary field's, so
 * adding them moved no existing id.
 */
const SYSTEM_DATE_FIELDS = [
  { apiName: "CreatedDate", name: "Created Date" },
  { apiName: "ModifiedDate", name: "Modified Date" },
] as const;
/** The vendor's sample choice value "Limited Partner" has id 3197780; the first seeded choice is that one. */
const FIRST_CHOICE_ID = 3_197_780;

export function createSiteSchema(definitions: readonly EntryTypeDefinition[] = SITE_ENTRY_TYPES): SiteSchema {
  const byApiName = new Map(definitions.map((definition) => [definition.apiName.toLowerCase(), definition]));
  let nextFieldId = FIRST_FIELD_ID;
  const entryTypes: EntryType[] = definitions.map((definition) => {
    const fields = definition.fields.map((field, index): Field => {
      const targets = (field.references ?? []).map((apiName) => {
        const target = byApiName.get(apiName.toLowerCase());
        if (!target)
          throw new Error(
            `Mock site data: ${definition.apiName}.${field.apiName} references unknown object ${apiName}`,
          );
        return target.id;
      });
      const isName = field.apiName === definition.nameField;
      return {
        id: nextFieldId++,
        name: field.name,
        apiName: field.apiName,
        entryListId: definition.id,
        fieldType: field.fieldType,
        isRequired: field.isRequired ?? false,
        allowDuplicates: !isName,
        warnOnNearDuplicates: isName,
        isMoney: field.isMoney ?? false,
        isMultiSelect: field.isMultiSelect ?? false,
        entryLists: field.fieldType === FieldType.User ? [-1] : targets,
        // 9 was seen on the name field of vendor samples (meaning unknown): catalogue §4.2.
        systemFieldType: isName ? 9 : 0,
        isKey: isName,
        isCalculated: false,
        isAttachment: false,
        isStoreRequestSupported: true,
        index,
      };
    });
    const nameField = fields.find((field) => field.apiName === definition.nameField);
    if (!nameField) throw new Error(`Mock site data: ${definition.apiName} has no name field ${definition.nameField}`);
    return {
      createdField: nameField,
      modifiedField: nameField,
      id: definition.id,
      name: definition.pluralName,
      apiName: definition.apiName,
      singularName: definition.singularName,
      pluralName: definition.pluralName,
      entryListId: -5,
      entryListType: definition.entryListType,
      entryListSubType: 0,
      fields,
      nameField,
    };
  });
  for (const type of entryTypes as { -readonly [K in keyof EntryType]: EntryType[K] }[]) {
    const [created, modified] = SYSTEM_DATE_FIELDS.map(
      ({ apiName, name }, k): Field => ({
        ...type.nameField,
        id: nextFieldId++,
        name,
        apiName,
        fieldType: FieldType.Date,
        isRequired: false,
        allowDuplicates: true,
        warnOnNearDuplicates: false,
        systemFieldType: 0,
        isKey: false,
        isStoreRequestSupported: false,
        index: type.fields.length + k,
      }),
    );
    type.fields = [...type.fields, created!, modified!];
    type.createdField = created!;
    type.modifiedField = modified!;
  }
  const allFields = entryTypes.flatMap((type) => type.fields);
  const fieldsById = new Map(allFields.map((field) => [field.id, field]));

  let choices = new Map<number, ChoiceValue>();
  let choicesByField = new Map<number, ChoiceValue[]>();
  let nextChoiceId = FIRST_CHOICE_ID;
  function addChoice(field: Field, name: string): ChoiceValue {
    const list = choicesByField.get(field.id) ?? [];
    const value: ChoiceValue = Object.freeze({
      id: nextChoiceId++,
      name,
      seqNumber: list.length + 1,
      fieldId: field.id,
    });
    list.push(value);
    choicesByField.set(field.id, list);
    choices.set(value.id, value);
    return value;
  }
  function seedChoices() {
    choices = new Map();
    choicesByField = new Map();
    nextChoiceId = FIRST_CHOICE_ID;
    definitions.forEach((definition, t) => {
      definition.fields.forEach((field, f) => {
        for (const name of field.choices ?? []) addChoice(entryTypes[t]!.fields[f]!, name);
      });
    });
  }
  seedChoices();

  function findEntryType(idOrApiName: string | number): EntryType | undefined {
    const key = String(idOrApiName).trim();
    if (/^-?\d+$/.test(key)) return entryTypes.find((type) => type.id === Number(key));
    return entryTypes.find((type) => type.apiName.toLowerCase() === key.toLowerCase());
  }

  return {
    entryTypes,
    allFields,
    findEntryType,
    entryType(idOrApiName) {
      return findEntryType(idOrApiName) ?? badRequest(`Entry type "${String(idOrApiName)}" does not exist.`);
    },
    field: (id) => fieldsById.get(id),
    fieldByName: (type, apiName) => {
      const key = apiName.toLowerCase();
      return type.fields.find((field) => field.apiName.toLowerCase() === key);
    },
    choice: (id) => choices.get(id),
    choicesOf: (fieldId) => choicesByField.get(fieldId) ?? [],
    choiceByName: (field, name) =>
      (choicesByField.get(field.id) ?? []).find((value) => value.name.toLowerCase() === name.toLowerCase()),
    appendChoices(field, names) {
      const added: ChoiceValue[] = [];
      for (const name of names) {
        const exists = (choicesByField.get(field.id) ?? []).some(
          (value) => value.name.toLowerCase() === name.toLowerCase(),
        );
        if (!exists) added.push(addChoice(field, name));
      }
      return added;
    },
    reset: seedChoices,
  };
}
