import { createDealCloud } from "@dealcloud-ts/client";
import {
  AbortedError,
  APIError,
  InvalidOptionError,
  NotFoundError,
  PermissionDeniedError,
  type PageProgress,
  UnexpectedAnswerError,
} from "@dealcloud-ts/client";
import { describe, expect, it } from "vitest";
import {
  createDataClient,
  data,
  iterateRows,
  MAX_GET_URL_LENGTH,
  paginateEntries,
  paginateRows,
  paginateViewRows,
  type Row,
} from "../src/index.js";
import { mockSite, settle, skipOf } from "./helpers.js";

// 25,000 generated companies plus the site's 3 sample ones.
const EXPORT = { seed: { rows: { company: 25_000 } } };
const TOTAL = 25_003;
/** A filter that matches every company and is far too long for a GET URL. */
const LONG_QUERY = { CompanyName: { $nin: [`No such company ${"x".repeat(2_100)}`] } };

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function expectCompleteExport(rows: readonly Row[], expectedIds: readonly number[]) {
  expect(rows).toHaveLength(TOTAL);
  const ids = rows.map((row) => row.EntryId);
  expect(new Set(ids).size).toBe(TOTAL);
  expect(ids).toEqual(expectedIds);
}

describe("iterateRows exports a whole object", () => {
  it.each([1, 4])(
    "25,003 rows in order, none missing or repeated, each page read once (concurrency %i)",
    async (concurrency) => {
      const site = mockSite(EXPORT);
      const rows = await all(iterateRows(site.client, { entryTypeId: "company", concurrency }));
      expectCompleteExport(
        rows,
        site.mock.rows("company").map((row) => row.EntryId as number),
      );
      const skips = site.seen.map(skipOf);
      expect(skips).toHaveLength(26);
      expect(new Set(skips).size).toBe(26);
      expect(site.seen.every((request) => request.method === "GET")).toBe(true);
      expect(site.stats().maxInFlight).toBe(concurrency);
    },
  );

  it("keeps `fields` and `query` on every page (the vendor SDK drops `fields` after page 1)", async () => {
    const site = mockSite(EXPORT);
    const rows = await all(
      iterateRows(site.client, {
        entryTypeId: "company",
        fields: ["CompanyName", "City"],
        query: { EntryId: { $gt: 0 } },
        concurrency: 4,
      }),
    );
    expect(rows).toHaveLength(TOTAL);
    for (const row of rows)
      expect(Object.keys(row).every((key) => ["EntryId", "CompanyName", "City"].includes(key))).toBe(true);
    for (const request of site.seen) {
      expect(request.url.searchParams.getAll("fields")).toEqual(["CompanyName", "City"]);
      expect(request.url.searchParams.get("query")).toBe('{"EntryId":{"$gt":0}}');
    }
  });

  it("switches to POST query by itself when the GET URL would pass 2,040 characters, and keeps it for every page", async () => {
    const site = mockSite(EXPORT);
    const longUrl = `https://acme.dealcloud.com/api/rest/v4/data/entrydata/rows/company?query=${encodeURIComponent(JSON.stringify(LONG_QUERY))}`;
    expect(longUrl.length).toBeGreaterThan(MAX_GET_URL_LENGTH);
    const rows = await all(
      iterateRows(site.client, { entryTypeId: "company", query: LONG_QUERY, fields: ["CompanyName"], concurrency: 4 }),
    );
    expect(rows).toHaveLength(TOTAL);
    expect(site.seen.map((request) => request.method)).toEqual(Array(26).fill("POST"));
    expect(site.seen.every((request) => request.path === "/entrydata/rows/query/company")).toBe(true);
    expect(
      site.seen.every((request) => JSON.stringify((request.body as { fields: string[] }).fields) === '["CompanyName"]'),
    ).toBe(true);
  });

  it("stays on GET for a query that fits", async () => {
    const site = mockSite();
    await all(iterateRows(site.client, { entryTypeId: "company", query: '{"City": "Boston"}' }));
    expect(site.seen.map((request) => request.method)).toEqual(["GET"]);
  });

  it("stops on a short page even when totalRecords promised more", async () => {
    const site = mockSite(EXPORT);
    site.hooks.before = async (request) => {
      // Rows deleted during the read, just before page 2 is answered: the site now holds 2,500 companies.
      if (request.method === "GET" && skipOf(request) === 1000) {
        const ids = site.mock
          .rows("company")
          .slice(2500)
          .map((row) => row.EntryId as number);
        await site.client.DELETE("/entrydata/{entryTypeId}", {
          params: { path: { entryTypeId: "company" } },
          body: ids,
        });
      }
    };
    const pages = await all(paginateRows(site.client, { entryTypeId: "company", pageSize: 1000 }));
    expect(pages.map((page) => page.rows.length)).toEqual([1000, 1000, 500]);
    expect(pages[0]!.totalRecords).toBe(TOTAL);
  });
});

describe("stopping an export", () => {
  it("break after 2 pages sends no further request", async () => {
    const site = mockSite(EXPORT);
    let pages = 0;
    for await (const _page of paginateRows(site.client, { entryTypeId: "company", concurrency: 4 }))
      if (++pages === 2) break;
    const atBreak = site.seen.length;
    await settle();
    expect(site.seen.length).toBe(atBreak);
    // The 2 pages read, and at most 4 fetched ahead of the second.
    expect(atBreak).toBeLessThanOrEqual(2 + 4);
  });

  it("aborting mid-export rejects with AbortedError and sends nothing more", async () => {
    const site = mockSite(EXPORT);
    const controller = new AbortController();
    let rows = 0;
    const exporting = (async () => {
      for await (const _row of iterateRows(site.client, {
        entryTypeId: "company",
        concurrency: 4,
        signal: controller.signal,
      }))
        if (++rows === 5_500) controller.abort();
    })();
    await expect(exporting).rejects.toBeInstanceOf(AbortedError);
    const atAbort = site.seen.length;
    await settle();
    expect(site.seen.length).toBe(atAbort);
    expect(atAbort).toBeLessThan(26);
  });
});

describe("a server error on page 7", () => {
  it("is retried (GET) and the export completes", async () => {
    const site = mockSite(EXPORT);
    let faulted = false;
    site.hooks.before = (request) => {
      if (!faulted && skipOf(request) === 6000) {
        faulted = true;
        site.mock.faults.add({ route: "data", operation: "GET /entrydata/rows/{entryTypeId}", status: 503, times: 1 });
      }
    };
    const rows = await all(iterateRows(site.client, { entryTypeId: "company", concurrency: 4 }));
    expectCompleteExport(
      rows,
      site.mock.rows("company").map((row) => row.EntryId as number),
    );
    expect(site.seen.filter((request) => skipOf(request) === 6000)).toHaveLength(2);
  });

  // The POST query is a read: its spec marks it idempotent, so the transport retries it.
  it("is retried (POST query) and the export completes", async () => {
    const site = mockSite(EXPORT);
    let faulted = false;
    site.hooks.before = (request) => {
      if (!faulted && skipOf(request) === 6000) {
        faulted = true;
        site.mock.faults.add({
          route: "data",
          operation: "POST /entrydata/rows/query/{entryTypeId}",
          status: 503,
          times: 1,
        });
      }
    };
    const rows = await all(iterateRows(site.client, { entryTypeId: "company", query: LONG_QUERY, concurrency: 4 }));
    expect(rows).toHaveLength(TOTAL);
    expect(site.seen.filter((request) => skipOf(request) === 6000)).toHaveLength(2);
  });
});

describe("memory", () => {
  it("with a slow consumer and concurrency 4, at most 4 pages are ever fetched and not yet read", async () => {
    const site = mockSite({ seed: { rows: { company: 12_000 } } });
    let read = 0;
    let most = 0;
    for await (const _page of paginateRows(site.client, { entryTypeId: "company", concurrency: 4 })) {
      read++;
      most = Math.max(most, site.seen.length - read);
      await new Promise((resolve) => setTimeout(resolve, 10));
      most = Math.max(most, site.seen.length - read);
    }
    expect(read).toBe(13);
    expect(most).toBeLessThanOrEqual(4);
  });
});

describe("progress", () => {
  it("is reported per page with done, total, pages and elapsedMs", async () => {
    const site = mockSite({ seed: { rows: { company: 2_000 } } });
    const seen: PageProgress[] = [];
    await all(paginateRows(site.client, { entryTypeId: "company", onProgress: (progress) => seen.push(progress) }));
    expect(seen.map(({ done, total, pages }) => [done, total, pages])).toEqual([
      [1000, 2003, 1],
      [2000, 2003, 2],
      [2003, 2003, 3],
    ]);
    expect(seen.every((progress) => progress.elapsedMs >= 0)).toBe(true);
  });
});

describe("every client form", () => {
  it("the throwing client and createDealCloud(...).data read the same rows", async () => {
    const site = mockSite({ seed: { rows: { company: 1_500 } } });
    const throwing = createDataClient({ ...site.transport, throwOnError: true });
    const combined = createDealCloud({ ...site.transport, apis: { data } }).data;
    for (const client of [throwing, combined]) {
      const rows = await all(iterateRows(client, { entryTypeId: "company", pageSize: 500 }));
      expect(rows).toHaveLength(1_503);
    }
  });

  it("an HTTP error rejects the iteration with the typed APIError subclass, in both forms", async () => {
    const site = mockSite();
    const throwing = createDataClient({ ...site.transport, throwOnError: true });
    for (const client of [site.client, throwing]) {
      await expect(all(iterateRows(client, { entryTypeId: "nosuchobject" }))).rejects.toBeInstanceOf(APIError);
      site.mock.faults.add({ route: "data", status: 403 });
      await expect(all(iterateRows(client, { entryTypeId: "company" }))).rejects.toBeInstanceOf(PermissionDeniedError);
      site.mock.faults.add({ route: "data", status: 404 });
      await expect(all(paginateEntries(client, { entryTypeId: "company" }))).rejects.toBeInstanceOf(NotFoundError);
    }
  });
});

describe("options are checked before anything is sent", () => {
  const bad: [string, object, RegExp][] = [
    ["no entryTypeId", {}, /pass entryTypeId as an object id or apiName/],
    ["an empty apiName", { entryTypeId: " " }, /entryTypeId/],
    ["pageSize 0", { entryTypeId: "company", pageSize: 0 }, /pass pageSize as an integer from 1 to 1000 \(got 0\)/],
    ["pageSize 1001", { entryTypeId: "company", pageSize: 1001 }, /pageSize/],
    ["concurrency 0", { entryTypeId: "company", concurrency: 0 }, /pass concurrency as an integer from 1 to 16/],
    ["fields as a string", { entryTypeId: "company", fields: "CompanyName" }, /pass fields as a non-empty array/],
    ["an empty fields array", { entryTypeId: "company", fields: [] }, /fields/],
    ["a numeric query", { entryTypeId: "company", query: 5 }, /pass query as a JSON filter string or object/],
    ["a signal that is not one", { entryTypeId: "company", signal: {} }, /pass signal as an AbortSignal/],
    ["onProgress not a function", { entryTypeId: "company", onProgress: "log" }, /pass onProgress as a function/],
  ];
  it.each(bad)("%s", (_name, options, message) => {
    const site = mockSite();
    for (const helper of [paginateRows, iterateRows]) {
      const call = () => helper(site.client, options as never);
      expect(call).toThrow(InvalidOptionError);
      expect(call).toThrow(message);
    }
    expect(site.seen).toHaveLength(0);
    expect(site.mock.tokenRequests).toHaveLength(0);
  });

  it("paginateViewRows wants a view id and an array of filters", () => {
    const site = mockSite();
    expect(() => paginateViewRows(site.client, { viewId: "2" as never })).toThrow(/pass viewId as a view id/);
    expect(() => paginateViewRows(site.client, { viewId: 2, filters: {} as never })).toThrow(
      /pass filters as an array/,
    );
    expect(site.seen).toHaveLength(0);
  });
});

describe("views and entries", () => {
  it("paginateViewRows pages a view with its filters on every page", async () => {
    const site = mockSite({ seed: { rows: { company: 3_000 } } });
    const boston = site.mock.rows("company").filter((row) => row.City === "Boston").length;
    const pages = await all(
      paginateViewRows(site.client, { viewId: 2, filters: [{ column: "City", value: "Boston" }], pageSize: 10 }),
    );
    expect(pages.flatMap((page) => page.rows)).toHaveLength(boston);
    expect(pages.map((page) => page.skip)).toEqual(pages.map((_, k) => k * 10));
    expect(site.seen.every((request) => JSON.stringify(request.body) === '[{"column":"City","value":"Boston"}]')).toBe(
      true,
    );
  });

  it("paginateViewRows rejects an answer without rows", async () => {
    const site = mockSite();
    site.mock.faults.add({ route: "data", status: 200, body: '{"views": []}' });
    await expect(all(paginateViewRows(site.client, { viewId: 1 }))).rejects.toBeInstanceOf(UnexpectedAnswerError);
  });

  it("paginateEntries lists every entry in one request (no paging is documented)", async () => {
    const site = mockSite({ seed: { rows: { company: 2_500 } } });
    const pages = await all(paginateEntries(site.client, { entryTypeId: "company" }));
    expect(pages).toHaveLength(1);
    expect(pages[0]!.entries).toHaveLength(2_503);
    expect(pages[0]!.entries[0]).toEqual({ id: expect.any(Number), name: "Intapp" });
    expect(site.seen).toHaveLength(1);
  });
});
