import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest, MockHttpError } from "../http-error.js";
import { createRateWindows } from "../rate-window.js";
import type { EntryType, Field } from "../state/schema.js";
import { FieldType, SITE_CURRENCIES, TIME_ZONES } from "../state/site-data.js";
import { escapeHtml } from "../state/values.js";
import { arrayBody, boolParam } from "./params.js";

/** "Requests to the Schema APIs are limited to 5 calls per second" (catalogue §4, H). */
export const SCHEMA_CALLS_PER_SECOND = 5;

/** The filter operations as `GET /filteroperations` lists them (catalogue §3.9, H). */
const FILTER_OPERATIONS = [
  "Equals",
  "Contains",
  "Greater",
  "GreaterOrEqual",
  "Less",
  "LessOrEqual",
  "StartsWith",
  "In",
  "Between",
  "NotIn",
  "NotEqualTo",
  "DoesntContain",
  "NoData",
  "NotNoData",
];

/** Field type names by code (catalogue §4.2); the list answer's shape is unknown, the mock answers named entries. */
const FIELD_TYPES: Record<number, string> = {
  1: "Text",
  2: "Choice",
  3: "Number",
  4: "Date",
  5: "Reference",
  6: "Boolean",
  7: "User",
  13: "Binary",
  14: "EntryListId",
  15: "Counter",
  16: "Image",
  17: "Data Source",
  18: "Currency",
};

/** The Schema API (`/api/rest/v4/schema`, scope `data`): the site's structure, paced at 5 calls per second. */
export function createSchemaArea(site: SiteContext): ApiArea {
  const windows = createRateWindows(SCHEMA_CALLS_PER_SECOND, 1000);
  const typeOf = (call: ApiCall) => site.schema.entryType(call.params["entryTypeId"]!);
  const fieldOf = (id: string | undefined): Field => {
    const field = id !== undefined && /^\d+$/.test(id) ? site.schema.field(Number(id)) : undefined;
    return field ?? badRequest(`Field with Id "${id ?? ""}" does not exist`);
  };

  async function appendChoiceValues(call: ApiCall): Promise<Response> {
    const field = fieldOf(call.params["fieldId"]);
    if (field.fieldType !== FieldType.Choice) badRequest(`Field with Id "${field.id}" is not a choice field.`);
    const names = arrayBody(await call.json(), 'choice values, e.g. ["New value"]').map((name) =>
      typeof name === "string" && name.trim() !== ""
        ? name.trim()
        : badRequest("Each choice value must be a non-empty string."),
    );
    site.schema.appendChoices(field, names);
    // The answer's shape is unknown (catalogue §4.1 S14): the mock answers the field's choice values.
    return json(
      200,
      site.schema
        .choicesOf(field.id)
        .map(({ id, name, seqNumber }) => ({ id, name: escapeHtml(name), seqNumber, entryListId: -6 })),
    );
  }

  return createApiArea(
    {
      route: "schema",
      basePath: "/api/rest/v4/schema",
      scope: "data",
      admit(call) {
        // Per user, in any sliding second. The answer past the limit is undocumented: 429 with Retry-After.
        const admitted = windows.admit(call.token.clientId, site.settings.now());
        if (!admitted.ok) {
          throw new MockHttpError(
            429,
            `Schema API limit: ${SCHEMA_CALLS_PER_SECOND} calls per second. Retry after ${admitted.retryAfterSeconds} s.`,
            {
              "retry-after": String(admitted.retryAfterSeconds),
            },
          );
        }
      },
      reset: () => windows.reset(),
      routes: [
        { method: "GET", path: "/entrytypes", handle: () => json(200, site.schema.entryTypes.map(entryTypeBody)) },
        { method: "GET", path: "/entrytypes/{entryTypeId}", handle: (call) => json(200, entryTypeBody(typeOf(call))) },
        {
          method: "GET",
          path: "/entrytypes/{entryTypeId}/fields",
          handle: (call) => {
            const type = typeOf(call);
            const editable = boolParam(call.query.get("editable") ?? undefined, "editable");
            const entryForm = boolParam(call.query.get("entryForm") ?? undefined, "entryForm");
            // Verbatim from the vendor's docs (DOC-etf).
            if (editable === false && entryForm === true) badRequest("Entry form can only have editable fields.");
            // Every field of the mock is editable and on the entry form (none is calculated) but the system dates.
            const fields = type.fields.filter(
              (field) => editable === undefined || (!field.isCalculated && field.isStoreRequestSupported) === editable,
            );
            return json(
              200,
              fields.map((field) => fieldBody(site, field)),
            );
          },
        },
        {
          method: "GET",
          path: "/allfields",
          handle: () =>
            json(
              200,
              site.schema.allFields.map((field) => fieldBody(site, field)),
            ),
        },
        {
          method: "GET",
          path: "/fields",
          handle: (call) => {
            const ids = call.query.getAll("fieldIds").flatMap((value) => value.split(","));
            if (ids.length === 0) badRequest("Name the fields with fieldIds, e.g. ?fieldIds=100001&fieldIds=100002.");
            return json(
              200,
              ids.map((id) => fieldBody(site, fieldOf(id.trim()))),
            );
          },
        },
        {
          method: "GET",
          path: "/fields/{fieldId}",
          handle: (call) => json(200, fieldBody(site, fieldOf(call.params["fieldId"]))),
        },
        {
          method: "GET",
          path: "/fieldtypes",
          handle: () =>
            json(
              200,
              Object.entries(FIELD_TYPES).map(([id, name]) => ({ id: Number(id), name, entryListId: 0 })),
            ),
        },
        // The meanings of system field types are unknown (catalogue §4.2): the mock lists the codes it uses.
        {
          method: "GET",
          path: "/systemfieldtypes",
          handle: () =>
            json(200, [
              { id: 0, name: "None", entryListId: 0 },
              { id: 9, name: "Name", entryListId: 0 },
              { id: 10, name: "Attachments", entryListId: 0 },
            ]),
        },
        // System lists with negative ids (catalogue §1 "Ids", H for -1, -5, -6).
        {
          method: "GET",
          path: "/systementrytypes",
          handle: () =>
            json(200, [
              { id: -1, name: "User", entryListId: 0 },
              { id: -5, name: "Entry List", entryListId: 0 },
              { id: -6, name: "Choice Value", entryListId: 0 },
            ]),
        },
        {
          method: "GET",
          path: "/filteroperations",
          handle: () =>
            json(
              200,
              FILTER_OPERATIONS.map((name, id) => ({ id, name, entryListId: 0 })),
            ),
        },
        { method: "GET", path: "/currencies", handle: () => json(200, SITE_CURRENCIES) },
        {
          method: "GET",
          path: "/timezones",
          handle: () =>
            json(
              200,
              Object.keys(TIME_ZONES).map((name, id) => ({ id, name, entryListId: 0 })),
            ),
        },
        {
          method: "GET",
          path: "/users",
          handle: (call) => {
            const activeOnly = boolParam(call.query.get("activeOnly") ?? undefined, "activeOnly") ?? false;
            const users = site.users.all().filter((user) => !activeOnly || user.isActive);
            return json(
              200,
              users.map((user) => ({
                id: user.id,
                name: escapeHtml(site.users.nameOf(user)),
                email: user.email,
                entryListId: -1,
                isActive: user.isActive,
              })),
            );
          },
        },
        { method: "POST", path: "/{fieldId}/choiceFieldValues", handle: appendChoiceValues },
        { method: "POST", path: "/choiceFieldValues/{fieldId}", handle: appendChoiceValues },
      ],
    },
    site,
  );
}

// Names are HTML-escaped in answers: the vendor SDK's docstrings say "Values returned from the DealCloud API are
// HTML escaped" and it unescapes object, field and choice names (vendor-python-sdk.md §4).
function entryTypeBody(type: EntryType) {
  const { id, name, apiName, singularName, pluralName, entryListId, entryListType, entryListSubType } = type;
  return {
    id,
    name: escapeHtml(name),
    apiName,
    singularName: escapeHtml(singularName),
    pluralName: escapeHtml(pluralName),
    entryListId,
    entryListType,
    entryListSubType,
  };
}

/** A field with its choice values (`choiceValues`, as the vendor SDK reads them: vendor-python-sdk.md §4). */
function fieldBody(site: SiteContext, field: Field) {
  const { index: _index, ...body } = field;
  if (field.fieldType !== FieldType.Choice) return { ...body, name: escapeHtml(body.name) };
  // parentID's meaning is not documented; the mock's choice lists are flat, so it is 0.
  const choiceValues = site.schema
    .choicesOf(field.id)
    .map(({ id, name, seqNumber }) => ({ id, name: escapeHtml(name), parentID: 0, seqNumber, entryListId: -6 }));
  return { ...body, name: escapeHtml(body.name), choiceValues };
}
