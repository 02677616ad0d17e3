// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import { createDealCloud, type PageProgress } from "@dealcloud-ts/client";
import {
  createDataClient,
  data,
  type Cell,
  type EntriesPage,
  type EntrySummary,
  type HistoryEntry,
  iterateRows,
  paginateEntries,
  paginateRows,
  paginateViewRows,
  readHistory,
  type Row,
  type RowsPage,
  type RowsPageRead,
} from "../src/index.js";

const client = createDataClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
const companyPath = { path: { entryTypeId: "company" } } as const;
const company = { params: companyPath };

describe("the Data API types", () => {
  it("model a row as EntryId plus any field apiName", () => {
    expectTypeOf<Row["EntryId"]>().toEqualTypeOf<number>();
    expectTypeOf<{ EntryId: number; CompanyName: string }>().toExtend<Row>();
    expectTypeOf<RowsPage["rows"]>().toEqualTypeOf<Row[]>();
  });

  it("take entryTypeId as an id or an apiName, and require it", () => {
    const typed = () => {
      void client.GET("/entrydata/rows/{entryTypeId}", { params: { path: { entryTypeId: 2011 } } });
      void client.GET("/entrydata/rows/{entryTypeId}", company);
      // @ts-expect-error: the path parameter is missing
      void client.GET("/entrydata/rows/{entryTypeId}", { params: { path: {} } });
      // @ts-expect-error: the path parameter is required
      void client.GET("/entrydata/rows/{entryTypeId}");
      // @ts-expect-error: a wrong path is a compile error
      void client.GET("/entrydata/row/{entryTypeId}", company);
      // @ts-expect-error: rows are read with GET or POST query, never DELETE on /rows
      void client.DELETE("/entrydata/rows/{entryTypeId}", company);
    };
    void typed;
  });

  it("check body field types", () => {
    const typed = () => {
      void client.POST("/entrydata/rows/{entryTypeId}", { ...company, body: [{ EntryId: -1, Name: "x" }] });
      void client.POST("/entrydata/rows/{entryTypeId}", { ...company, body: [{ EntryId: -1 }] });
      // @ts-expect-error: EntryId is an integer
      void client.POST("/entrydata/rows/{entryTypeId}", { ...company, body: [{ EntryId: "-1" }] });
      // @ts-expect-error: a row needs EntryId
      void client.POST("/entrydata/rows/{entryTypeId}", { ...company, body: [{ Name: "x" }] });
      // @ts-expect-error: limit is a number
      void client.POST("/entrydata/rows/query/{entryTypeId}", { ...company, body: { limit: "100" } });
      // @ts-expect-error: cells are camelCase: entryId, not EntryId
      void client.POST("/entrydata/get", { body: [{ EntryId: 1, fieldId: 2 }] });
      // @ts-expect-error: the As-User header takes a user id
      void client.GET("/entrydata/rows/{entryTypeId}", { params: { ...companyPath, header: { "As-User": "bob" } } });
      // @ts-expect-error: dateTimeBehavior is 0 or 1
      void client.GET("/entrydata/rows/{entryTypeId}", { params: { ...companyPath, query: { dateTimeBehavior: 2 } } });
    };
    void typed;
  });

  it("type the responses", () => {
    const typed = async () => {
      const rows = await client.GET("/entrydata/rows/{entryTypeId}", company);
      expectTypeOf(rows.data).toExtend<RowsPage | undefined>();
      const cells = await client.POST("/entrydata/get", { body: [{ entryId: 1, fieldId: 2 }] });
      expectTypeOf(cells.data).toExtend<Cell[] | undefined>();
      const history = await client.GET("/entrydata/{entryTypeId}/entries/history", company);
      expectTypeOf(history.data).toExtend<HistoryEntry[] | undefined>();
      const ids = await client.POST("/entrydata/{entryTypeId}/filter", {
        ...company,
        body: [{ fieldId: 1, value: "x", filterOperation: 0 }],
      });
      expectTypeOf(ids.data).toExtend<number[] | undefined>();
      if (rows.error) expectTypeOf(rows.error.message).toEqualTypeOf<string>();
    };
    void typed;
  });
});

describe("the throwing mode", () => {
  const throwing = createDataClient({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    throwOnError: true,
  });

  it("resolves with data that is always there, so no `if (error)` or `data!` is needed", () => {
    const typed = async () => {
      const { data } = await throwing.GET("/entrydata/rows/{entryTypeId}", company);
      expectTypeOf(data).not.toBeNullable();
      expectTypeOf(data.totalRecords).toEqualTypeOf<number>();
      const { data: written } = await throwing.POST("/entrydata/rows/{entryTypeId}", {
        ...company,
        body: [{ EntryId: -1, CompanyName: "x" }],
      });
      expectTypeOf(written).not.toBeNullable();
      expectTypeOf(written[0]!.EntryId).toEqualTypeOf<number>();
      // The default mode still has the error branch.
      const { data: maybe } = await client.GET("/entrydata/rows/{entryTypeId}", company);
      expectTypeOf(maybe).toBeNullable();
    };
    void typed;
  });

  it("keeps the request types of the default mode", () => {
    const typed = () => {
      // @ts-expect-error: the path parameter is required
      void throwing.GET("/entrydata/rows/{entryTypeId}");
      // @ts-expect-error: a wrong path is a compile error
      void throwing.GET("/entrydata/row/{entryTypeId}", company);
      // @ts-expect-error: a row needs EntryId
      void throwing.POST("/entrydata/rows/{entryTypeId}", { ...company, body: [{ Name: "x" }] });
    };
    void typed;
  });
});

describe("the request init", () => {
  const throwing = createDataClient({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    throwOnError: true,
  });

  it("refuses misspelt top-level keys in both modes, so `header:` cannot silently drop As-User", () => {
    const typed = () => {
      // @ts-expect-error: `header` for `headers`
      void client.GET("/entrydata/rows/{entryTypeId}", { ...company, header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void client.GET("/entrydata/rows/{entryTypeId}", { parms: companyPath });
      // @ts-expect-error: `bodyy` for `body`
      void client.POST("/entrydata/rows/{entryTypeId}", { ...company, bodyy: [{ EntryId: -1 }] });
      // @ts-expect-error: `param` for `params`
      void client.DELETE("/entrydata/{entryTypeId}", { param: companyPath, body: [1] });
      // @ts-expect-error: `header` for `headers`
      void throwing.GET("/entrydata/rows/{entryTypeId}", { ...company, header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void throwing.GET("/entrydata/rows/{entryTypeId}", { parms: companyPath });
      // @ts-expect-error: `bodyy` for `body`
      void throwing.POST("/entrydata/rows/{entryTypeId}", { ...company, bodyy: [{ EntryId: -1 }] });
      // @ts-expect-error: `param` for `params`, through request(method, path, init)
      void throwing.request("delete", "/entrydata/{entryTypeId}", { param: companyPath, body: [1] });
    };
    void typed;
  });

  it("takes every legitimate key, the per-call timeoutMs included", () => {
    const typed = async () => {
      const signal = new AbortController().signal;
      void client.GET("/entrydata/rows/{entryTypeId}", {
        params: { ...companyPath, header: { "As-User": 6045 }, query: { limit: 100 } },
        headers: { "As-User": 6045 },
        signal,
        timeoutMs: 65_000,
        cache: "no-store",
        credentials: "omit",
        keepalive: true,
        redirect: "error",
        parseAs: "json",
        querySerializer: { array: { style: "form", explode: true } },
        baseUrl: "https://acme.dealcloud.com/api/rest/v4/data",
        fetch: (request) => globalThis.fetch(request),
        middleware: [],
      });
      void client.POST("/entrydata/rows/{entryTypeId}", {
        ...company,
        body: [{ EntryId: -1, CompanyName: "x" }],
        bodySerializer: (body) => JSON.stringify(body),
      });
      const { data } = await throwing.GET("/entrydata/rows/{entryTypeId}", { ...company, timeoutMs: 65_000, signal });
      expectTypeOf(data.totalRecords).toEqualTypeOf<number>();
      // @ts-expect-error: timeoutMs is a number of ms
      void client.GET("/entrydata/rows/{entryTypeId}", { ...company, timeoutMs: "65s" });
    };
    void typed;
  });
});

describe("the paging helpers' types", () => {
  const throwing = createDataClient({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    throwOnError: true,
  });
  const combined = createDealCloud({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    apis: { data },
  });

  it("type pages and rows from the spec, with no any", () => {
    expectTypeOf(paginateRows(client, { entryTypeId: "company" })).toEqualTypeOf<AsyncIterable<RowsPageRead>>();
    expectTypeOf<RowsPageRead["rows"]>().toEqualTypeOf<Row[]>();
    expectTypeOf<RowsPageRead["totalRecords"]>().toEqualTypeOf<number>();
    expectTypeOf<RowsPageRead["skip"]>().toEqualTypeOf<number>();
    expectTypeOf(iterateRows(client, { entryTypeId: 2011 })).toEqualTypeOf<AsyncIterable<Row>>();
    expectTypeOf(paginateViewRows(client, { viewId: 2 })).toEqualTypeOf<AsyncIterable<RowsPageRead>>();
    expectTypeOf(paginateEntries(client, { entryTypeId: "company" })).toEqualTypeOf<AsyncIterable<EntriesPage>>();
    expectTypeOf<EntriesPage["entries"]>().toEqualTypeOf<EntrySummary[]>();
    expectTypeOf(readHistory(client, { entryTypeId: "company" })).toEqualTypeOf<AsyncIterable<HistoryEntry>>();
    expectTypeOf<HistoryEntry["mergedEntryId"]>().toEqualTypeOf<number | undefined>();
    expectTypeOf<Row["EntryId"]>().not.toBeAny();
  });

  it("take the plain, the throwing and the combined client", () => {
    expectTypeOf(iterateRows(throwing, { entryTypeId: "company" })).toEqualTypeOf<AsyncIterable<Row>>();
    expectTypeOf(iterateRows(combined.data, { entryTypeId: "company" })).toEqualTypeOf<AsyncIterable<Row>>();
  });

  it("check the options", () => {
    const typed = () => {
      paginateRows(client, {
        entryTypeId: "company",
        query: { City: "Boston" },
        fields: ["CompanyName"],
        pageSize: 500,
        concurrency: 4,
        signal: AbortSignal.timeout(1000),
        onProgress: (progress) => expectTypeOf(progress).toEqualTypeOf<PageProgress>(),
      });
      // @ts-expect-error: entryTypeId is required
      paginateRows(client, { pageSize: 10 });
      // @ts-expect-error: fields are apiNames
      paginateRows(client, { entryTypeId: "company", fields: [1] });
      // @ts-expect-error: pageSize is a number
      iterateRows(client, { entryTypeId: "company", pageSize: "10" });
      // @ts-expect-error: concurrency is a number
      iterateRows(client, { entryTypeId: "company", concurrency: true });
      // @ts-expect-error: a view is read by id
      paginateViewRows(client, { viewId: "Portfolio companies" });
      // @ts-expect-error: view filters are { column, value }
      paginateViewRows(client, { viewId: 2, filters: [{ City: "Boston" }] });
      // @ts-expect-error: modifiedSince is a Date or an ISO string
      readHistory(client, { entryTypeId: "company", modifiedSince: 1_700_000_000_000 });
      // @ts-expect-error: the entries list has no concurrency (one request)
      paginateEntries(client, { entryTypeId: "company", concurrency: 2 });
      // @ts-expect-error: a client of another API is not a Data client
      iterateRows({ GET: () => 1 }, { entryTypeId: "company" });
    };
    void typed;
  });
});
