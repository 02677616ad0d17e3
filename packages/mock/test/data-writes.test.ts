import { describe, expect, it } from "vitest";
import { API, testSite } from "./support/api.js";

const ROWS = `${API.data}/entrydata/rows`;
const name = (row: Record<string, any>, field: string) => row[field]?.name;

describe("Data API rows writes", () => {
  it("creates rows from negative ids, links new rows to each other, and answers real ids with normalised keys", async () => {
    const { call, mock } = testSite();
    const { status, body } = await call("POST", `${ROWS}/company`, {
      body: [
        { EntryId: -1, companyname: "Acme Holdings", CompanyType: 3197781 },
        { EntryId: -2, CompanyName: "Acme Subsidiary", parentcompany: -1, FoundedDate: "2001-02-03T04:05:06Z" },
      ],
    });
    expect(status).toBe(200);
    const [parent, child] = body;
    expect(parent.EntryId).toBeGreaterThan(0);
    expect(parent).toEqual({ EntryId: parent.EntryId, CompanyName: "Acme Holdings", CompanyType: 3197781 });
    expect(child).toEqual({
      EntryId: child.EntryId,
      CompanyName: "Acme Subsidiary",
      ParentCompany: parent.EntryId,
      FoundedDate: "2001-02-03T04:05:06Z",
    });
    const stored = mock.rows("company").find((row) => row.EntryId === child.EntryId)!;
    expect(name(stored, "ParentCompany")).toBe("Acme Holdings");
    expect(name(parent ? mock.rows("company").find((row) => row.EntryId === parent.EntryId)! : {}, "CompanyType")).toBe(
      "Portfolio Company",
    );
  });

  it("writes date-times without Z in the acting user's time zone", async () => {
    const { call } = testSite();
    const { body } = await call("POST", `${ROWS}/company`, {
      body: [{ EntryId: -1, CompanyName: "Local", FoundedDate: "2024-07-01T09:00:00" }],
    });
    // User 106 works in Eastern Standard Time: 09:00 EDT is 13:00 UTC.
    expect(body[0].FoundedDate).toBe("2024-07-01T13:00:00Z");
  });

  it.each([
    [[{ EntryId: 5, CompanyName: "x" }], "EntryId must be negative"],
    [[{ CompanyName: "x" }], "needs an integer EntryId"],
    [[{ EntryId: -1, SubjectS: "x" }], 'Field with name "SubjectS" does not exist'],
    [[{ EntryId: -1, CompanyType: "Law Firm" }], "ids, not names"],
    [[{ EntryId: -1, CompanyType: 1 }], "1 is not a valid id for this field"],
    [[{ EntryId: -1, CompanyType: [3197780, 3197781] }], "not multi-select"],
    [[{ EntryId: -1, Revenue: "lots" }], 'Field "Revenue" expects a number'],
    [[{ EntryId: -1, ParentCompany: -7 }], "-7 is not a valid id"],
    [[{ EntryId: -1, CoveragePerson: 999 }], "999 is not a valid id"],
    [{ EntryId: -1 }, "must be a JSON array"],
  ])("refuses the whole batch %j with a 400 that says what to fix", async (rows, message) => {
    const { call, mock } = testSite();
    const before = mock.rows("company").length;
    const { status, body } = await call("POST", `${ROWS}/company`, { body: rows });
    expect(status).toBe(400);
    expect(body.message).toContain(message);
    expect(mock.rows("company")).toHaveLength(before);
  });

  it("refuses more than 1,000 rows in one write and writes none of them", async () => {
    const { call, mock } = testSite();
    const rows = Array.from({ length: 1001 }, (_, n) => ({ EntryId: -(n + 1), CompanyName: `Bulk ${n}` }));
    const { status, body } = await call("POST", `${ROWS}/company`, { body: rows });
    expect(status).toBe(400);
    expect(body.message).toContain("no more than 1000 rows");
    expect(mock.rows("company")).toHaveLength(3);
    expect((await call("POST", `${ROWS}/company`, { body: rows.slice(0, 1000) })).status).toBe(200);
    expect(mock.rows("company")).toHaveLength(1003);
  });

  it("updates existing rows with PATCH, clears values written as null or empty, and refuses unknown ids", async () => {
    const { call, mock } = testSite();
    const intapp = mock.rows("company")[0]!;
    const { status } = await call("PATCH", `${ROWS}/company`, {
      body: [{ EntryId: intapp.EntryId, City: "Seattle", Website: null, Industries: [3197785, 3197786] }],
    });
    expect(status).toBe(200);
    const after = mock.rows("company")[0]!;
    expect(after.City).toBe("Seattle");
    expect(after.Website).toBeUndefined();
    expect((after.Industries as { name: string }[]).map((item) => item.name)).toEqual(["Technology", "Healthcare"]);
    const missing = await call("PATCH", `${ROWS}/company`, { body: [{ EntryId: 42, City: "x" }] });
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe("Entry with id 42 does not exist in company.");
    const negative = await call("PATCH", `${ROWS}/company`, { body: [{ EntryId: -1, City: "x" }] });
    expect(negative.body.message).toContain("PATCH updates existing entries");
  });

  it("treats PUT as an upsert (its real semantics are unknown)", async () => {
    const { call, mock } = testSite();
    const intapp = mock.rows("company")[0]!;
    const { body } = await call("PUT", `${ROWS}/company`, {
      body: [
        { EntryId: intapp.EntryId, City: "Austin" },
        { EntryId: -1, CompanyName: "Upserted" },
      ],
    });
    expect(body[0]).toEqual({ EntryId: intapp.EntryId, City: "Austin" });
    expect(mock.rows("company").map((row) => name(row, "CompanyName"))).toContain("Upserted");
  });

  it("honours As-User: writes carry the principal, and only principals the caller holds proxy access to are accepted", async () => {
    const { call } = testSite();
    const created = await call("POST", `${ROWS}/company`, {
      headers: { "As-User": "8278" },
      body: [{ EntryId: -1, CompanyName: "Proxied" }],
    });
    expect(created.status).toBe(200);
    const cells = await call("POST", `${API.data}/entrydata/get`, {
      query: { fillExtendedData: true },
      body: [{ entryId: created.body[0].EntryId, fieldId: 100001 }],
    });
    expect(cells.body[0].modifiedBy).toBe(8278);
    const refused = await call("GET", `${ROWS}/company`, { headers: { "As-User": "8302" } });
    expect(refused.status).toBe(401);
    expect(refused.body.message).toContain("proxy access");
    expect((await call("GET", `${ROWS}/company`, { headers: { "As-User": "me" } })).status).toBe(401);
  });
});

describe("Data API cells", () => {
  it("creates entries from cells grouped by negative entryId, then reads them back", async () => {
    const { call } = testSite();
    const written = await call("POST", `${API.data}/entrydata/company`, {
      body: {
        storeRequests: [
          { entryId: -1, fieldId: 100001, value: "Cells Co" },
          { entryId: -1, fieldId: 100005, value: "Denver" },
          { entryId: -2, fieldId: 100001, value: "Other Co" },
        ],
      },
    });
    expect(written.status).toBe(200);
    const ids = [...new Set(written.body.map((cell: { entryId: number }) => cell.entryId))];
    expect(ids).toHaveLength(2);
    const read = await call("POST", `${API.data}/entrydata/get`, {
      body: [
        { entryId: ids[0], fieldId: 100005 },
        { entryId: ids[1], fieldId: 100005 },
        { entryId: ids[0], fieldId: 100002 },
      ],
    });
    expect(read.body).toEqual([
      { entryId: ids[0], fieldId: 100005, isNoData: false, value: "Denver" },
      { entryId: ids[1], fieldId: 100005, isNoData: true },
      { entryId: ids[0], fieldId: 100002, isNoData: true },
    ]);
  });

  it("answers reference values in cells without `type`, and money fields with the requested currency code", async () => {
    const { call, mock } = testSite();
    const contact = mock.rows("contact")[0]!;
    const companyField = 100016; // contact.Company
    const { body } = await call("POST", `${API.data}/entrydata/get`, {
      body: [
        { entryId: contact.EntryId, fieldId: companyField },
        { entryId: mock.rows("company")[1]!.EntryId, fieldId: 100006, currencyCode: "RC" },
      ],
    });
    expect(body[0].value).toEqual({ id: expect.any(Number), name: "Northwind Capital", entryListId: 2011 });
    expect(body[1]).toMatchObject({ value: 125000000, requestedCurrencyCode: "RC" });
  });

  it("updates and upserts with PUT, refuses positive ids on POST, and fails the whole batch on one bad cell", async () => {
    const { call, mock } = testSite();
    const intapp = mock.rows("company")[0]!;
    const put = await call("PUT", `${API.data}/entrydata/company`, {
      body: {
        storeRequests: [
          { entryId: intapp.EntryId, fieldId: 100005, value: "Menlo Park" },
          { entryId: -1, fieldId: 100001, value: "New via PUT" },
        ],
      },
    });
    expect(put.status).toBe(200);
    expect(mock.rows("company")[0]!.City).toBe("Menlo Park");
    const post = await call("POST", `${API.data}/entrydata/company`, {
      body: { storeRequests: [{ entryId: intapp.EntryId, fieldId: 100005, value: "x" }] },
    });
    expect(post.body.message).toContain("entryId must be negative");
    const before = mock.rows("company").length;
    const bad = await call("PUT", `${API.data}/entrydata/company`, {
      body: {
        storeRequests: [
          { entryId: -1, fieldId: 100001, value: "ok" },
          { entryId: -2, fieldId: 2302, value: "x" },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Field with Id "2302" does not exist');
    expect(mock.rows("company")).toHaveLength(before);
  });

  it("refuses more than 10,000 cells per read or write", async () => {
    const { call } = testSite();
    const cells = Array.from({ length: 10_001 }, () => ({ entryId: 5000001, fieldId: 100001 }));
    const read = await call("POST", `${API.data}/entrydata/get`, { body: cells });
    expect(read.status).toBe(400);
    expect(read.body.message).toContain("no more than 10000 cells");
    const write = await call("PUT", `${API.data}/entrydata/company`, {
      body: { storeRequests: cells.map((cell) => ({ ...cell, value: "x" })) },
    });
    expect(write.status).toBe(400);
  });

  it("parses the multipart form of binary writes and refuses it, since the mock's objects have no file fields", async () => {
    const { call } = testSite();
    const form = new FormData();
    form.set(
      "model",
      JSON.stringify({
        binaryStoreRequests: [
          { entryId: -1, fieldId: 100001, name: "a.jpg", formatType: "jpg", contentType: "image/jpg" },
        ],
      }),
    );
    form.set("attachment", new Blob([new Uint8Array([1, 2, 3])], { type: "image/jpg" }), "a.jpg");
    const { status, body } = await call("POST", `${API.data}/entrydata/company`, { body: form });
    expect(status).toBe(400);
    expect(body.message).toBe('Field with Id "100001" is not a file or image field.');
  });

  it("filters entries with cells filter operation codes, all ANDed", async () => {
    const { call } = testSite();
    const filter = (filters: unknown[]) => call("POST", `${API.data}/entrydata/company/filter`, { body: filters });
    const [intapp, northwind, contoso] = (await call("GET", `${API.data}/entrydata/company/entries`)).body.map(
      (entry: { id: number }) => entry.id,
    );
    expect((await filter([{ fieldId: 100001, value: "Intapp", filterOperation: 0 }])).body).toEqual([intapp]);
    expect((await filter([{ fieldId: 100006, value: 1, valueTo: 50000000, filterOperation: 8 }])).body).toEqual([
      contoso,
    ]);
    expect((await filter([{ fieldId: 100006, value: null, filterOperation: 12 }])).body).toEqual([intapp]);
    expect(
      (
        await filter([
          { fieldId: 100006, value: null, filterOperation: 13 },
          { fieldId: 100001, value: "North", filterOperation: 6 },
        ])
      ).body,
    ).toEqual([northwind]);
    expect((await filter([{ fieldId: 100001, value: "o", filterOperation: 11 }])).body).toEqual([intapp]);
    const bad = await filter([{ fieldId: 2302, value: 1, filterOperation: 0 }]);
    expect(bad.body.message).toBe('Field with Id "2302" does not exist');
  });
});

describe("Data API entries, history, delete and merge", () => {
  const DAY = 86_400_000;

  it("lists entries as id and name", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${API.data}/entrydata/company/entries`);
    expect(body.map((entry: { name: string }) => entry.name)).toEqual([
      "Intapp",
      "Northwind Capital",
      "Contoso Health",
    ]);
  });

  it("reports modified and deleted entries since a date, deletions only when modifiedSince is given", async () => {
    let time = Date.UTC(2026, 0, 1);
    const { call, mock } = testSite({ now: () => time });
    time += DAY;
    const [intapp, northwind] = mock.rows("company");
    await call("PATCH", `${API.data}/entrydata/rows/company`, { body: [{ EntryId: intapp!.EntryId, City: "Reno" }] });
    await call("DELETE", `${API.data}/entrydata/company`, { body: [northwind!.EntryId] });
    const since = new Date(time - 1000).toISOString();
    const { body } = await call("GET", `${API.data}/entrydata/company/entries/history`, {
      query: { modifiedSince: since },
    });
    expect(body).toEqual([
      { isDeleted: false, id: intapp!.EntryId, name: "Intapp", entryListId: 2011 },
      { isDeleted: true, id: northwind!.EntryId, name: "Northwind Capital", entryListId: 2011 },
    ]);
    const allTime = await call("GET", `${API.data}/entrydata/company/entries/allHistory`);
    expect(allTime.body.every((entry: { isDeleted: boolean }) => !entry.isDeleted)).toBe(true);
    expect(allTime.body).toHaveLength(2);
  });

  it("lists a change only historyLagMs after it was made, still as of when it was made", async () => {
    let time = Date.UTC(2026, 0, 1);
    const { call, mock } = testSite({ now: () => time, historyLagMs: 5 * 60_000 });
    const [intapp, northwind] = mock.rows("company");
    const madeAt = (time += 60_000);
    await call("PATCH", `${API.data}/entrydata/rows/company`, { body: [{ EntryId: intapp!.EntryId, City: "Reno" }] });
    await call("DELETE", `${API.data}/entrydata/company`, { body: [northwind!.EntryId] });
    const read = async () =>
      (
        await call("GET", `${API.data}/entrydata/company/entries/history`, {
          query: { modifiedSince: new Date(madeAt).toISOString() },
        })
      ).body.map((entry: { id: number }) => entry.id);
    time += 4 * 60_000;
    expect(await read()).toEqual([]);
    // The rows already show the change; history catches up after the lag.
    expect(mock.rows("company")[0]!.City).toBe("Reno");
    time += 60_000;
    expect(await read()).toEqual([intapp!.EntryId, northwind!.EntryId]);
    expect(() => testSite({ historyLagMs: -1 })).toThrow(RangeError);
  });

  it("refuses modifiedSince older than 180 days with DealCloud's message", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${API.data}/entrydata/company/entries/history`, {
      query: { modifiedSince: new Date(Date.now() - 181 * DAY).toISOString() },
    });
    expect(status).toBe(400);
    expect(body.message).toBe(
      "You cannot request history for more than 180 days. Omit 'modifiedSince' parameter to request history for all time",
    );
  });

  it("deletes entries and answers one cell per deleted entry; unknown ids fail the whole call", async () => {
    const { call, mock } = testSite();
    const [first, second] = mock.rows("company");
    const bad = await call("DELETE", `${API.data}/entrydata/company`, { body: [first!.EntryId, 42] });
    expect(bad.status).toBe(400);
    expect(mock.rows("company")).toHaveLength(3);
    const { body } = await call("DELETE", `${API.data}/entrydata/company`, { body: [first!.EntryId, second!.EntryId] });
    expect(body).toEqual([
      { entryId: first!.EntryId, fieldId: 0, rowId: first!.EntryId, isNoData: false },
      { entryId: second!.EntryId, fieldId: 0, rowId: second!.EntryId, isNoData: false },
    ]);
    expect(mock.rows("company")).toHaveLength(1);
  });

  it("merges duplicates: moves references, fills blanks with overwriteEmptyValues, and reports mergedEntryId", async () => {
    const { call, mock } = testSite();
    const [intapp, northwind] = mock.rows("company");
    const { status } = await call("POST", `${API.data}/merge/company`, {
      query: { overwriteEmptyValues: true },
      body: [{ entryId: intapp!.EntryId, mergeEntries: [northwind!.EntryId] }],
    });
    expect(status).toBe(200);
    const kept = mock.rows("company").find((row) => row.EntryId === intapp!.EntryId)!;
    expect(kept.Revenue).toBe(125000000);
    expect(kept.City).toBe("Palo Alto");
    const contact = mock.rows("contact")[0]!;
    expect((contact.Company as { id: number }).id).toBe(intapp!.EntryId);
    const history = await call("GET", `${API.data}/entrydata/company/entries/history`, {
      query: { modifiedSince: new Date(Date.now() - DAY).toISOString() },
    });
    expect(history.body).toContainEqual({
      isDeleted: true,
      id: northwind!.EntryId,
      name: "Northwind Capital",
      entryListId: 2011,
      mergedEntryId: intapp!.EntryId,
    });
  });

  it("enforces the merge limits: 10 ids per item, 100 items, unique ids", async () => {
    const { call, mock } = testSite({ seed: { rows: { company: 20 } } });
    const ids = mock.rows("company").map((row) => row.EntryId as number);
    const tooMany = await call("POST", `${API.data}/merge/company`, {
      body: [{ entryId: ids[0], mergeEntries: ids.slice(1, 12) }],
    });
    expect(tooMany.body.message).toContain("at most 10 ids");
    const twice = await call("POST", `${API.data}/merge/company`, {
      body: [
        { entryId: ids[0], mergeEntries: [ids[1]] },
        { entryId: ids[2], mergeEntries: [ids[1]] },
      ],
    });
    expect(twice.body.message).toContain("unique within the request");
    const items = Array.from({ length: 101 }, () => ({ entryId: 1, mergeEntries: [2] }));
    expect((await call("POST", `${API.data}/merge/company`, { body: items })).body.message).toContain(
      "no more than 100 merges",
    );
  });

  it("keeps the values a write replaced, for getHistoricalData", async () => {
    const { call, mock } = testSite();
    const intapp = mock.rows("company")[0]!;
    await call("PATCH", `${API.data}/entrydata/rows/company`, { body: [{ EntryId: intapp.EntryId, City: "Reno" }] });
    const { body } = await call("POST", `${API.data}/entrydata/getHistoricalData`, {
      body: { entryTypeId: 2011, fields: [100005], entries: [intapp.EntryId], fromDate: "2000-01-01T00:00:00Z" },
    });
    expect(body).toEqual([
      expect.objectContaining({ entryId: intapp.EntryId, fieldId: 100005, value: "Palo Alto", modifiedBy: 106 }),
    ]);
  });
});

describe("Data API views", () => {
  it("lists views and reads a view's rows with its supply-later filters", async () => {
    const { call } = testSite();
    const views = await call("GET", `${API.data}/rows/view`, { query: { isPrivate: true } });
    expect(views.body).toEqual({
      totalRecords: 1,
      rows: [{ id: 2, name: "Companies in a city", isPrivate: true, entryListId: 2011 }],
    });
    const portfolio = await call("POST", `${API.data}/rows/view/1`, { body: [] });
    expect(portfolio.body.totalRecords).toBe(2);
    const boston = await call("POST", `${API.data}/rows/view/2`, { body: [{ column: "City", value: "Boston" }] });
    expect(boston.body.rows.map((row: any) => row.CompanyName.name)).toEqual(["Contoso Health"]);
    const wrong = await call("POST", `${API.data}/rows/view/1`, { body: [{ column: "City", value: "Boston" }] });
    expect(wrong.status).toBe(400);
  });
});

describe("rows writes with bad rows (rowErrors)", () => {
  const batch = [
    { EntryId: -1, CompanyName: "Good one" },
    { EntryId: -2, CompanyName: "Bad field", NoSuchField: 1 },
    { EntryId: -3, CompanyName: "Good two" },
    { EntryId: -4, CompanyName: "Bad type", Revenue: "lots" },
    { EntryId: -5, CompanyName: "Child of a bad row", ParentCompany: -2 },
  ];

  it('"batch" (the default) refuses the whole request with a 400 naming the first bad row and writes nothing', async () => {
    const { call, mock } = testSite();
    const before = mock.rows("company").length;
    const { status, body } = await call("POST", `${ROWS}/company`, { body: batch });
    expect(status).toBe(400);
    expect(body.message).toBe('Field with name "NoSuchField" does not exist');
    expect(mock.rows("company")).toHaveLength(before);
  });

  it('"per-row" writes the good rows and answers 200 with each bad row in its place carrying Errors', async () => {
    const { call, mock } = testSite({ rowErrors: "per-row" });
    const before = mock.rows("company").length;
    const { status, body } = await call("POST", `${ROWS}/company`, { body: batch });
    expect(status).toBe(200);
    expect(body).toHaveLength(5);
    expect(body[0]).toEqual({ EntryId: expect.any(Number), CompanyName: "Good one" });
    expect(body[0].EntryId).toBeGreaterThan(0);
    expect(body[1]).toEqual({
      EntryId: -2,
      Errors: [{ field: "NoSuchField", code: 400, description: 'Field with name "NoSuchField" does not exist' }],
    });
    expect(body[2].CompanyName).toBe("Good two");
    expect(body[3].Errors[0]).toMatchObject({
      field: "Revenue",
      description: expect.stringContaining("expects a number"),
    });
    expect(body[4].Errors[0]).toMatchObject({ field: "ParentCompany", description: expect.stringContaining("-2") });
    expect(mock.rows("company").map((row) => name(row, "CompanyName"))).toEqual([
      ...mock
        .rows("company")
        .slice(0, before)
        .map((row) => name(row, "CompanyName")),
      "Good one",
      "Good two",
    ]);
  });

  it('"per-row" still refuses a body that is not an array, or more than 1,000 rows, as a whole', async () => {
    const { call } = testSite({ rowErrors: "per-row" });
    expect((await call("POST", `${ROWS}/company`, { body: { EntryId: -1 } })).status).toBe(400);
    const rows = Array.from({ length: 1001 }, (_, n) => ({ EntryId: -(n + 1), CompanyName: `Bulk ${n}` }));
    expect((await call("POST", `${ROWS}/company`, { body: rows })).status).toBe(400);
  });

  it("refuses an unknown rowErrors value at creation", () => {
    expect(() => testSite({ rowErrors: "some" as "batch" })).toThrow(/rowErrors must be "batch" or "per-row"/);
  });
});
