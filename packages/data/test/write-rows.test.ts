import { describe, expect, it } from "vitest";
import { InvalidArgumentError, type NewRow, WriteError, writeRows } from "../src/index.js";
import { writeSite } from "./support/site.js";

const companies = (count: number, from = 0): NewRow[] =>
  Array.from({ length: count }, (_, n) => ({ CompanyName: `Company ${from + n}` }));
const nameOf = (row: Record<string, any>) => row["CompanyName"]?.name ?? row["CompanyName"];

/** 2,500 new companies, three of them bad in three different ways, scattered over the three batches. */
function withThreeBadRows() {
  const rows = companies(2500);
  rows[7] = { CompanyName: "Bad field", NoSuchField: 1 };
  rows[1234] = { CompanyName: "Bad number", Revenue: "lots" };
  rows[2499] = { CompanyName: "Bad reference", ParentCompany: 987_654_321 };
  return rows;
}

describe("writeRows", () => {
  it.each(["batch", "per-row"] as const)(
    "writes 2,497 of 2,500 rows and reports exactly the 3 bad ones with their index (rowErrors %s)",
    async (rowErrors) => {
      const site = writeSite({ rowErrors });
      const before = site.mock.rows("company").length;
      const rows = withThreeBadRows();
      const report = await writeRows(site.dataApi, "company", rows, { mode: "create" });

      expect(report.failed.map((failure) => failure.index)).toEqual([7, 1234, 2499]);
      expect(report.failed.map((failure) => failure.row)).toEqual([rows[7], rows[1234], rows[2499]]);
      for (const { error } of report.failed) {
        expect(error).toBeInstanceOf(WriteError);
        expect(error.code).toBe("ROW_REJECTED");
      }
      expect(report.failed[0]!.error.message).toContain("NoSuchField");
      expect(report.written).toHaveLength(2497);
      const good = rows.filter((_, index) => ![7, 1234, 2499].includes(index));
      expect(report.written.map(nameOf)).toEqual(good.map(nameOf));
      expect(report.written.every((row) => row.EntryId > 0)).toBe(true);
      expect(site.mock.rows("company").slice(before).map(nameOf)).toEqual(good.map(nameOf));
      expect(report.requests).toBe(site.received.length);
      if (rowErrors === "per-row") {
        // One request per batch of 1,000; the answer names the bad rows.
        expect(site.rowsPerRequest()).toEqual([1000, 1000, 500]);
        expect(report.splitRequests).toBe(0);
        expect(report.failed[0]!.error.errors[0]).toMatchObject({ field: "NoSuchField" });
      } else {
        // 3 batches answered 400, each halved down to its one bad row: 2 requests per level, 10 levels for
        // 1,000 rows (2^10 >= 1,000) and 9 for 500.
        expect(report.splitRequests).toBe(20 + 20 + 18);
        expect(report.requests).toBe(3 + 58);
        expect(report.failed[0]!.error.status).toBe(400);
      }
    },
  );

  it("never sends more than 1,000 rows in a request: 1,001 rows go as 1,000 and 1", async () => {
    const site = writeSite();
    const report = await writeRows(site.dataApi, "company", companies(1001), { mode: "create" });
    expect(site.rowsPerRequest()).toEqual([1000, 1]);
    expect(report).toMatchObject({ requests: 2, splitRequests: 0, failed: [] });
    expect(report.written).toHaveLength(1001);
  });

  it("lowers the rows per request to batchSize, and cuts requests at 10,000 cells", async () => {
    const site = writeSite();
    await writeRows(site.dataApi, "company", companies(25), { mode: "create", batchSize: 10 });
    expect(site.rowsPerRequest()).toEqual([10, 10, 5]);

    // 20 values a row: 500 rows make 10,000 cells. (The mock knows no Field0…Field18, and per-row answers say so
    // without any bisection, so the cut is all this shows.)
    const wide = writeSite({ rowErrors: "per-row" });
    const row = (n: number) => ({
      CompanyName: `Wide ${n}`,
      ...Object.fromEntries(Array.from({ length: 19 }, (_, k) => [`Field${k}`, k])),
    });
    const report = await writeRows(
      wide.dataApi,
      "company",
      Array.from({ length: 1200 }, (_, n) => row(n)),
      {
        mode: "create",
      },
    );
    expect(wide.rowsPerRequest()).toEqual([500, 500, 200]);
    expect(report.failed).toHaveLength(1200);
  });

  it("keeps rows linked by negative EntryIds in one request, across what would be a batch boundary", async () => {
    const site = writeSite();
    const rows: NewRow[] = companies(1500).map((row, n) => ({ ...row, EntryId: -(n + 1) }));
    rows[1200] = { EntryId: -1201, CompanyName: "Child of 3", ParentCompany: -4 };
    rows[1300] = { EntryId: -1301, CompanyName: "Grandchild", ParentCompany: [-1201] };
    const report = await writeRows(site.dataApi, "company", rows, { mode: "create" });
    expect(report.failed).toEqual([]);
    const holding = site.received.find((request) => request.body.some((row: NewRow) => row.EntryId === -4))!;
    expect(holding.body.map((row: NewRow) => row.EntryId)).toEqual(expect.arrayContaining([-4, -1201, -1301]));
    expect(site.rowsPerRequest()).toEqual([1000, 500]);
    const stored = site.mock.rows("company");
    const parent = stored.find((row) => nameOf(row) === "Company 3")!;
    const child = stored.find((row) => nameOf(row) === "Child of 3")!;
    expect((child["ParentCompany"] as { id: number }).id).toBe(parent.EntryId);
    // Written rows come back in input order, whatever request carried them.
    expect(report.written.map(nameOf)).toEqual(rows.map(nameOf));
  });

  it("maps mode to the method: create is POST, update is PATCH, upsert is PUT", async () => {
    const site = writeSite();
    const created = await writeRows(site.dataApi, "company", companies(2), { mode: "create" });
    const ids = created.written.map((row) => row.EntryId);
    await writeRows(site.dataApi, "company", [{ EntryId: ids[0]!, City: "Seattle" }], { mode: "update" });
    const upserted = await writeRows(
      site.dataApi,
      2011,
      [{ EntryId: ids[1]!, City: "Boston" }, { CompanyName: "New by upsert" }],
      { mode: "upsert" },
    );
    expect(site.received.map((request) => request.method)).toEqual(["POST", "PATCH", "PUT"]);
    expect(upserted.failed).toEqual([]);
    expect(upserted.written[0]).toMatchObject({ EntryId: ids[1], City: "Boston" });
    expect(upserted.written[1]!.EntryId).toBeGreaterThan(ids[1]!);
  });

  it("does not retry a create batch answered 503, and says the outcome is unknown only where it is", async () => {
    const site = writeSite();
    const operation = "POST /entrydata/rows/{entryTypeId}";
    site.mock.faults.add({ route: "data", operation, status: 503 });
    site.mock.faults.add({ route: "data", operation, dropConnection: true });
    site.mock.faults.add({ route: "data", operation, status: 502 });
    const report = await writeRows(site.dataApi, "company", companies(3500), { mode: "create" });
    // One request per batch: nothing was sent twice.
    expect(site.rowsPerRequest()).toEqual([1000, 1000, 1000, 500]);
    expect(report.requests).toBe(4);
    const codes = (from: number, to: number) => new Set(report.failed.slice(from, to).map((f) => f.error.code));
    expect(report.failed).toHaveLength(3000);
    expect(codes(0, 1000)).toEqual(new Set(["BATCH_REJECTED"]));
    expect(report.failed[0]!.error.status).toBe(503);
    expect(codes(1000, 3000)).toEqual(new Set(["OUTCOME_UNKNOWN"]));
    expect(report.failed[1000]!.error.cause).toMatchObject({ code: "CONNECTION" });
    expect(report.failed[2000]!.error.status).toBe(502);
    expect(report.written.map(nameOf)).toEqual(companies(500, 3000).map(nameOf));
  });

  it("stops sending when aborted: no request after the abort, the unsent rows reported NOT_SENT", async () => {
    const site = writeSite();
    const controller = new AbortController();
    const progress: number[][] = [];
    const report = await writeRows(site.dataApi, "company", companies(3000), {
      mode: "create",
      signal: controller.signal,
      onProgress: ({ done, total, batches, requests }) => {
        progress.push([done, batches, requests]);
        expect(total).toBe(3000);
        if (batches === 1) controller.abort();
      },
    });
    expect(site.received).toHaveLength(1);
    expect(report.written).toHaveLength(1000);
    expect(report.failed).toHaveLength(2000);
    expect(report.failed[0]).toMatchObject({ index: 1000, error: { code: "NOT_SENT" } });
    expect(progress).toEqual([
      [1000, 1, 1],
      [2000, 2, 1],
      [3000, 3, 1],
    ]);
  });

  it("runs up to `concurrency` batches at once and still reports in input order", async () => {
    const site = writeSite();
    site.mock.faults.add({ route: "data", delayMs: 5, times: Infinity });
    const report = await writeRows(site.dataApi, "company", companies(2000), {
      mode: "create",
      batchSize: 100,
      concurrency: 4,
    });
    expect(site.maxInFlight).toBe(4);
    expect(report.requests).toBe(20);
    expect(report.written.map(nameOf)).toEqual(companies(2000).map(nameOf));
  });

  it("isolates bad rows the same way with a throwing client", async () => {
    const site = writeSite({}, { throwOnError: true });
    const rows = companies(8);
    rows[5] = { CompanyName: "Bad", NoSuchField: 1 };
    const report = await writeRows(site.dataApi, "company", rows, { mode: "create" });
    expect(report.failed.map((f) => [f.index, f.error.code])).toEqual([[5, "ROW_REJECTED"]]);
    expect(report.written).toHaveLength(7);
    // 8 → 4 + 4 → 2 + 2 → 1 + 1.
    expect(report).toMatchObject({ requests: 7, splitRequests: 6 });
  });

  it("fails a whole linked group when one of its rows is bad, in both answer styles", async () => {
    for (const rowErrors of ["batch", "per-row"] as const) {
      const site = writeSite({ rowErrors });
      const rows: NewRow[] = [
        { EntryId: -1, CompanyName: "Parent", Revenue: "lots" },
        { EntryId: -2, CompanyName: "Child", ParentCompany: -1 },
        { EntryId: -3, CompanyName: "Unrelated" },
      ];
      const report = await writeRows(site.dataApi, "company", rows, { mode: "create" });
      expect(report.failed.map((f) => f.index)).toEqual([0, 1]);
      expect(report.written.map(nameOf)).toEqual(["Unrelated"]);
    }
  });

  it.each([
    [{ mode: "insert" }, companies(1), /mode must be "create", "update" or "upsert"/],
    [{ mode: "create" }, [null], /Row 0 is not an object/],
    [{ mode: "create" }, "rows", /rows must be an array/],
    [{ mode: "update" }, [{ EntryId: 5 }, { City: "x" }], /Row 1 has no EntryId: update needs/],
    [{ mode: "create" }, [{ EntryId: 5 }], /Row 0: EntryId 5 is positive; create takes negative ids/],
    [{ mode: "update" }, [{ EntryId: -5 }], /Row 0: EntryId -5 is negative/],
    [{ mode: "create" }, [{ EntryId: -1 }, { EntryId: -1 }], /Row 1: EntryId -1 is used by an earlier row/],
    [{ mode: "create" }, [{ EntryId: 1.5 }], /EntryId must be a non-zero integer/],
    [{ mode: "create", batchSize: 1001 }, companies(1), /batchSize must be an integer from 1 to 1000/],
    [{ mode: "create", batchSize: 0 }, companies(1), /batchSize must be an integer from 1 to 1000/],
    [{ mode: "create", concurrency: 0 }, companies(1), /concurrency must be an integer from 1 to 16/],
    [
      { mode: "create" },
      [Object.fromEntries(Array.from({ length: 10_001 }, (_, k) => [`F${k}`, k]))],
      /Row 0 has more than 10000 values/,
    ],
  ])("refuses %j with an InvalidArgumentError before sending anything", async (options, rows, message) => {
    const site = writeSite();
    const attempt = writeRows(site.dataApi, "company", rows as NewRow[], options as { mode: "create" });
    await expect(attempt).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(attempt).rejects.toMatchObject({ code: "INVALID_ARGUMENT", name: "InvalidArgumentError", message });
    expect(site.received).toEqual([]);
  });

  it("refuses a linked group too big for one request, and an entry type that is neither an id nor a name", async () => {
    const site = writeSite();
    const chain: NewRow[] = Array.from({ length: 1001 }, (_, n) => ({
      EntryId: -(n + 1),
      ...(n > 0 ? { ParentCompany: -n } : {}),
    }));
    await expect(writeRows(site.dataApi, "company", chain, { mode: "create" })).rejects.toThrow(
      /Row 0 and the 1000 linked to it hold 1001 items/,
    );
    await expect(writeRows(site.dataApi, " ", companies(1), { mode: "create" })).rejects.toThrow(
      /entryTypeId must be an object's id or apiName/,
    );
    expect(site.received).toEqual([]);
  });

  it("leaves its input unchanged, and sends nothing for an empty input", async () => {
    const site = writeSite();
    const rows = Object.freeze([Object.freeze({ CompanyName: "Frozen" })]);
    const report = await writeRows(site.dataApi, "company", rows, { mode: "create" });
    expect(rows[0]).toEqual({ CompanyName: "Frozen" });
    expect(report.written[0]!.EntryId).toBeGreaterThan(0);
    await expect(writeRows(site.dataApi, "company", [], { mode: "create" })).resolves.toEqual({
      written: [],
      failed: [],
      requests: 0,
      splitRequests: 0,
    });
  });
});
