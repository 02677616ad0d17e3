// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createSchemaClient,
  type ChoiceValuesToAppend,
  type EntryType,
  type ErrorBody,
  type Field,
  type FilterOperation,
  type SchemaUser,
} from "../src/index.js";

const client = createSchemaClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
const company = { params: { path: { entryTypeId: "company" } } } as const;

describe("the Schema API types", () => {
  it("model an entry type as open and all-optional, and a field with every key of the vendor's sample", () => {
    expectTypeOf<{ id: 2011; apiName: "company" }>().toExtend<EntryType>();
    expectTypeOf<{ id: 2011; apiName: "company"; someKeyNotModelled: true }>().toExtend<EntryType>();
    expectTypeOf<EntryType["entryListType"]>().toEqualTypeOf<
      0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | undefined
    >();
    expectTypeOf<Field["fieldType"]>().toEqualTypeOf<number>();
    expectTypeOf<Field["entryLists"]>().toEqualTypeOf<number[]>();
    expectTypeOf<{ id: 4101; name: "Company Name"; apiName: "CompanyName" }>().not.toExtend<Field>();
    expectTypeOf<FilterOperation>().toEqualTypeOf<{ id: number; name: string; entryListId: number }>();
    expectTypeOf<ChoiceValuesToAppend>().toEqualTypeOf<string[]>();
  });

  it("take entryTypeId as an id or an apiName and fieldId as an id, and require them", () => {
    const typed = () => {
      void client.GET("/entrytypes/{entryTypeId}", { params: { path: { entryTypeId: 2011 } } });
      void client.GET("/entrytypes/{entryTypeId}", company);
      void client.GET("/entrytypes/{entryTypeId}/fields", {
        params: { path: { entryTypeId: 2011 }, query: { editable: true } },
      });
      // @ts-expect-error: the entryTypeId path parameter is missing
      void client.GET("/entrytypes/{entryTypeId}", { params: { path: {} } });
      // @ts-expect-error: the path parameters are required, so the init is too
      void client.GET("/entrytypes/{entryTypeId}/fields");
      // @ts-expect-error: fieldId is a number; only entry types may be named by apiName
      void client.GET("/fields/{fieldId}", { params: { path: { fieldId: "CompanyName" } } });
      // @ts-expect-error: paths are modelled in lower case, /entrytypes, not /entryTypes
      void client.GET("/entryTypes", {});
      // @ts-expect-error: not a path of the Schema API (the fields of all objects are /allfields)
      void client.GET("/entrytypes/fields", {});
      // @ts-expect-error: the Schema API is read-only for structure: no DELETE on entry types
      void client.DELETE("/entrytypes/{entryTypeId}", company);
    };
    void typed;
  });

  it("check query parameters", () => {
    const typed = () => {
      void client.GET("/fields", { params: { query: { fieldIds: [4101, 4102] } } });
      void client.GET("/users", { params: { query: { activeOnly: true } } });
      void client.GET("/users");
      // @ts-expect-error: fieldIds is required, so the init is too
      void client.GET("/fields");
      // @ts-expect-error: fieldIds are integers, not strings
      void client.GET("/fields", { params: { query: { fieldIds: ["4101"] } } });
      // @ts-expect-error: fieldIds is an array, even for one id
      void client.GET("/fields", { params: { query: { fieldIds: 4101 } } });
      // @ts-expect-error: activeOnly is a boolean, not the string "true"
      void client.GET("/users", { params: { query: { activeOnly: "true" } } });
      // @ts-expect-error: the parameter is camelCase activeOnly, not activeonly
      void client.GET("/users", { params: { query: { activeonly: true } } });
      void client.GET("/entrytypes/{entryTypeId}/fields", {
        // @ts-expect-error: editable is a boolean
        params: { path: { entryTypeId: "company" }, query: { editable: 1 } },
      });
    };
    void typed;
  });

  it("take the choice values to append as a plain array of strings, on both disputed paths", () => {
    const typed = () => {
      void client.POST("/{fieldId}/choiceFieldValues", {
        params: { path: { fieldId: 4103 } },
        body: ["Healthcare", "Energy"],
      });
      void client.POST("/choiceFieldValues/{fieldId}", { params: { path: { fieldId: 4103 } }, body: ["Healthcare"] });
      // @ts-expect-error: choice values are strings, not ids
      void client.POST("/{fieldId}/choiceFieldValues", { params: { path: { fieldId: 4103 } }, body: [1, 2] });
      void client.POST("/choiceFieldValues/{fieldId}", {
        params: { path: { fieldId: 4103 } },
        // @ts-expect-error: the body is the array itself, not wrapped in an object
        body: { choices: ["Healthcare"] },
      });
      // @ts-expect-error: the body is required
      void client.POST("/{fieldId}/choiceFieldValues", { params: { path: { fieldId: 4103 } } });
    };
    void typed;
  });

  it("type the responses", () => {
    const typed = async () => {
      const entryTypes = await client.GET("/entrytypes");
      expectTypeOf(entryTypes.data).toExtend<EntryType[] | undefined>();
      const entryType = await client.GET("/entrytypes/{entryTypeId}", company);
      expectTypeOf(entryType.data).toExtend<EntryType | undefined>();
      const fields = await client.GET("/entrytypes/{entryTypeId}/fields", company);
      expectTypeOf(fields.data).toExtend<Field[] | undefined>();
      const byIds = await client.GET("/fields", { params: { query: { fieldIds: [4101] } } });
      expectTypeOf(byIds.data).toExtend<Field[] | undefined>();
      const field = await client.GET("/fields/{fieldId}", { params: { path: { fieldId: 4101 } } });
      expectTypeOf(field.data).toExtend<Field | undefined>();
      const operations = await client.GET("/filteroperations");
      expectTypeOf(operations.data).toExtend<FilterOperation[] | undefined>();
      const users = await client.GET("/users");
      expectTypeOf(users.data).toExtend<SchemaUser[] | undefined>();
      // No public source shows these shapes: they stay unknown rather than guessed.
      const currencies = await client.GET("/currencies");
      expectTypeOf(currencies.data).toBeUnknown();
      const fieldTypes = await client.GET("/fieldtypes");
      expectTypeOf(fieldTypes.data).toBeUnknown();
      if (entryTypes.error) expectTypeOf(entryTypes.error).toEqualTypeOf<ErrorBody>();
    };
    void typed;
  });
});
