import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDataClient, data } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const DATA = `${BASE_URL}/api/rest/v4/data`;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  readonly method: string;
  readonly url: URL;
  readonly asUser: string | null;
  readonly authorized: boolean;
  readonly body: unknown;
}

/** The mock's token endpoint plus one Data route answering `answer`, recording what reached it. */
function site(method: "get" | "post" | "put" | "delete", path: string, answer: () => Response) {
  const mock = createMockDealCloud();
  const seen: Seen[] = [];
  server.use(
    http[method](`${DATA}${path}`, async ({ request }) => {
      const text = await request.text();
      seen.push({
        method: request.method,
        url: new URL(request.url),
        asUser: request.headers.get("as-user"),
        authorized: mock.authenticate(request.headers.get("authorization")).ok,
        body: text ? JSON.parse(text) : undefined,
      });
      return answer();
    }),
    ...mswHandlers(mock, { baseUrl: BASE_URL }),
  );
  const client = createDataClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });
  return { mock, seen, client };
}

describe("the data descriptor", () => {
  it("declares scope data, the vendor's scope for the Data API, which every operation needs (no per-operation list)", () => {
    expect(data).toMatchObject({
      name: "data",
      packageName: "@dealcloud-ts/data",
      basePath: "/api/rest/v4/data",
      scopes: ["data"],
    });
    expect(data.operationScopes).toBeUndefined();
  });
});

describe("createDataClient", () => {
  it("reads rows with POST query: JSON body as documented, As-User header, token for scope data only", async () => {
    const page = { totalRecords: 1, rows: [{ EntryId: 3047024, CompanyName: "Acme Capital" }] };
    const { mock, seen, client } = site("post", "/entrydata/rows/query/:entryTypeId", () => HttpResponse.json(page));

    const { data: answer } = await client.POST("/entrydata/rows/query/{entryTypeId}", {
      params: { path: { entryTypeId: "company" }, header: { "As-User": 6045 } },
      body: {
        query: '{"CompanyName":{"$contains":"Acme"}}',
        fields: ["CompanyName"],
        limit: 100,
        skip: 0,
        wrapIntoArrays: true,
      },
    });

    expect(answer).toEqual(page);
    expect(seen).toEqual([
      {
        method: "POST",
        url: new URL(`${DATA}/entrydata/rows/query/company`),
        asUser: "6045",
        authorized: true,
        body: {
          query: '{"CompanyName":{"$contains":"Acme"}}',
          fields: ["CompanyName"],
          limit: 100,
          skip: 0,
          wrapIntoArrays: true,
        },
      },
    ]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });

  it("reads rows with GET: the filter URL-encoded in the query string, entryTypeId by numeric id", async () => {
    const { seen, client } = site("get", "/entrydata/rows/:entryTypeId", () =>
      HttpResponse.json({ totalRecords: 0, rows: [] }),
    );

    await client.GET("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: 2011 }, query: { query: "{entryid: 3047024}", limit: 1000, dateTimeBehavior: 1 } },
    });

    expect(seen[0]!.url.pathname).toBe("/api/rest/v4/data/entrydata/rows/2011");
    expect(seen[0]!.url.search).toBe("?query=%7Bentryid%3A%203047024%7D&limit=1000&dateTimeBehavior=1");
    expect(Object.fromEntries(seen[0]!.url.searchParams)).toEqual({
      query: "{entryid: 3047024}",
      limit: "1000",
      dateTimeBehavior: "1",
    });
  });

  it("deletes entries with a JSON array of ids in the DELETE body", async () => {
    const deleted = [{ entryId: 3045228, fieldId: 0, rowId: 1, isNoData: false }];
    const { seen, client } = site("delete", "/entrydata/:entryTypeId", () => HttpResponse.json(deleted));

    const { data: answer } = await client.DELETE("/entrydata/{entryTypeId}", {
      params: { path: { entryTypeId: "company" } },
      body: [3045228],
    });

    expect(seen[0]).toMatchObject({ method: "DELETE", body: [3045228] });
    expect(answer).toEqual(deleted);
  });

  it("hands the vendor's 400 { message } back as a typed error", async () => {
    const { client } = site("post", "/entrydata/rows/:entryTypeId", () =>
      HttpResponse.json({ message: 'Field with name "SubjectS" does not exist' }, { status: 400 }),
    );

    const {
      data: answer,
      error,
      response,
    } = await client.POST("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: "interaction" } },
      body: [{ EntryId: -1, SubjectS: "typo" }],
    });

    expect(answer).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error).toEqual({ message: 'Field with name "SubjectS" does not exist' });
  });
});
