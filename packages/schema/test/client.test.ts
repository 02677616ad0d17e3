import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSchemaClient, schema, type EntryType, type Field } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// The Schema API's entry type as the vendor shows it in schema events and SDK docs (catalogue §4.2).
const company: EntryType = {
  id: 2011,
  name: "Company",
  apiName: "company",
  singularName: "Company",
  pluralName: "Companies",
  entryListId: -5,
  entryListType: 1,
  entryListSubType: 0,
};

// A field with every key of the vendor's sample [DOC-etf].
const companyName: Field = {
  id: 4101,
  name: "Company Name",
  apiName: "CompanyName",
  entryListId: 2011,
  fieldType: 1,
  isRequired: true,
  allowDuplicates: false,
  warnOnNearDuplicates: true,
  isMoney: false,
  isMultiSelect: false,
  entryLists: [],
  systemFieldType: 9,
  isKey: true,
  isCalculated: false,
  isAttachment: false,
  isStoreRequestSupported: true,
};
const owner: Field = {
  ...companyName,
  id: 4102,
  name: "Owner",
  apiName: "Owner",
  fieldType: 7,
  isRequired: false,
  isKey: false,
  systemFieldType: 0,
};

describe("the schema descriptor", () => {
  it("declares scope data, the vendor's scope for the Data and Schema APIs, on every operation, and the documented 5 calls per second", () => {
    expect(schema).toEqual({
      name: "schema",
      packageName: "@dealcloud-ts/schema",
      basePath: "/api/rest/v4/schema",
      scopes: ["data"],
      rateLimit: { requests: 5, perMs: 1000 },
    });
  });
});

describe("createSchemaClient", () => {
  it("lists entry types at /api/rest/v4/schema/entrytypes with a token asked for scope data only", async () => {
    const mock = createMockDealCloud();
    const received: { method: string; authorized: boolean }[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/schema/entrytypes`, ({ request }) => {
        received.push({
          method: request.method,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
        });
        return HttpResponse.json([company]);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createSchemaClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.GET("/entrytypes");

    expect(error).toBeUndefined();
    expect(data).toEqual([company]);
    expect(received).toEqual([{ method: "GET", authorized: true }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });

  it("sends fieldIds as a repeated key, /fields?fieldIds=4101&fieldIds=4102, as the Elixir SDK and the Python wrapper do", async () => {
    const mock = createMockDealCloud();
    const received: { search: string; authorized: boolean }[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/schema/fields`, ({ request }) => {
        received.push({
          search: new URL(request.url).search,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
        });
        return HttpResponse.json([companyName, owner]);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createSchemaClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.GET("/fields", { params: { query: { fieldIds: [4101, 4102] } } });

    expect(error).toBeUndefined();
    expect(data).toEqual([companyName, owner]);
    expect(received).toEqual([{ search: "?fieldIds=4101&fieldIds=4102", authorized: true }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });

  it("names the entry type by apiName in the path and hands the vendor's 400 for editable=false&entryForm=true back as error.message", async () => {
    const mock = createMockDealCloud();
    const received: { path: string; search: string }[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/schema/entrytypes/:entryTypeId/fields`, ({ request }) => {
        const url = new URL(request.url);
        received.push({ path: url.pathname, search: url.search });
        return HttpResponse.json({ message: "Entry form can only have editable fields." }, { status: 400 });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createSchemaClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error, response } = await client.GET("/entrytypes/{entryTypeId}/fields", {
      params: { path: { entryTypeId: "company" }, query: { editable: false, entryForm: true } },
    });

    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.message).toBe("Entry form can only have editable fields.");
    expect(received).toEqual([
      { path: "/api/rest/v4/schema/entrytypes/company/fields", search: "?editable=false&entryForm=true" },
    ]);
  });

  it("with retries off, hands a 429 past the 5-calls-per-second limit back as openapi-fetch's error, Retry-After readable", async () => {
    const mock = createMockDealCloud();
    let calls = 0;
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/schema/fields/:fieldId`, () => {
        calls += 1;
        return HttpResponse.json({ message: "Too many requests." }, { status: 429, headers: { "Retry-After": "1" } });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createSchemaClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, retry: false });

    const { data, error, response } = await client.GET("/fields/{fieldId}", { params: { path: { fieldId: 4101 } } });

    expect(data).toBeUndefined();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("1");
    expect(error?.message).toBe("Too many requests.");
    expect(calls).toBe(1);
  });
});
