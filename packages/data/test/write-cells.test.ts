import { describe, expect, it } from "vitest";
import {
  deleteEntries,
  InvalidArgumentError,
  mergeEntries,
  type StoreRequest,
  writeCells,
  writeRows,
} from "../src/index.js";
import { writeSite } from "./support/site.js";

const TEXT_FIELDS = [100001, 100004, 100005]; // company: CompanyName, Website, City

/** 10,000 cells over 700 new entries, interleaved: cell n belongs to entry -(n % 700 + 1). */
function tenThousandCells(): StoreRequest[] {
  return Array.from({ length: 10_000 }, (_, n) => ({
    entryId: -((n % 700) + 1),
    fieldId: TEXT_FIELDS[n % 3]!,
    value: `Entry ${n % 700} value ${n}`,
  }));
}

/** Which requests carried each entry's cells. */
function requestsPerEntry(bodies: { storeRequests: StoreRequest[] }[]): Map<number, Set<number>> {
  const seen = new Map<number, Set<number>>();
  bodies.forEach((body, request) => {
    for (const cell of body.storeRequests) seen.set(cell.entryId, (seen.get(cell.entryId) ?? new Set()).add(request));
  });
  return seen;
}

describe("writeCells", () => {
  it.each([
    [10_000, [10_000]],
    [1000, null],
  ] as const)(
    "sends 10,000 cells of 700 entries with batchSize %d without splitting an entry",
    async (batchSize, sizes) => {
      const site = writeSite();
      const before = site.mock.rows("company").length;
      const cells = tenThousandCells();
      const report = await writeCells(site.dataApi, "company", cells, { mode: "upsert", batchSize });
      const bodies = site.received.map((request) => request.body);
      const counts = bodies.map((body) => body.storeRequests.length);
      if (sizes) expect(counts).toEqual(sizes);
      else {
        expect(Math.max(...counts)).toBeLessThanOrEqual(1000);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(10_000);
        expect(counts.length).toBeGreaterThanOrEqual(10);
      }
      const perEntry = requestsPerEntry(bodies);
      expect(perEntry.size).toBe(700);
      for (const requests of perEntry.values()) expect(requests.size).toBe(1);
      expect(site.received.every((request) => request.method === "PUT")).toBe(true);
      expect(report).toMatchObject({ failed: [], requests: counts.length, splitRequests: 0 });
      expect(report.written).toEqual(cells);
      expect(site.mock.rows("company")).toHaveLength(before + 700);
    },
  );

  it("bisects a batch answered 400 down to the entry whose cell is bad, and reports all of that entry's cells", async () => {
    const site = writeSite();
    const cells: StoreRequest[] = Array.from({ length: 40 }, (_, n) => ({
      entryId: -((n % 8) + 1),
      fieldId: 100001,
      value: `Entry ${n % 8}`,
    }));
    cells[13] = { entryId: -6, fieldId: 100006, value: "not a number" };
    const report = await writeCells(site.dataApi, "company", cells, { mode: "create" });
    expect(site.received.every((request) => request.method === "POST")).toBe(true);
    expect(report.failed.map((f) => f.index)).toEqual([5, 13, 21, 29, 37]);
    expect(new Set(report.failed.map((f) => f.error.code))).toEqual(new Set(["ROW_REJECTED"]));
    expect(report.written).toHaveLength(35);
    // 8 entries → 4 + 4 → 2 + 2 → 1 + 1.
    expect(report).toMatchObject({ requests: 7, splitRequests: 6 });
  });

  it("refuses bad cells before sending anything", async () => {
    const site = writeSite();
    const tooMany = Array.from({ length: 10_001 }, () => ({ entryId: -1, fieldId: 100001, value: "x" }));
    for (const [cells, options, message] of [
      [tooMany, { mode: "upsert" }, /Entry -1 has more than 10000 cells/],
      [[{ entryId: 5, fieldId: 100001 }], { mode: "create" }, /entryId 5 is positive; create takes negative ids/],
      [[{ entryId: -1, fieldId: "City" }], { mode: "create" }, /fieldId must be a field's integer id/],
      [[{ entryId: -1, fieldId: 100001 }], { mode: "update" }, /mode must be "create" or "upsert"/],
      [
        [{ entryId: -1, fieldId: 100001 }],
        { mode: "create", batchSize: 10_001 },
        /batchSize must be an integer from 1 to 10000/,
      ],
    ] as const) {
      await expect(
        writeCells(site.dataApi, "company", cells as StoreRequest[], options as { mode: "create" }),
      ).rejects.toThrow(message);
    }
    await expect(writeCells(site.dataApi, "company", [null as never], { mode: "create" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    expect(site.received).toEqual([]);
  });
});

describe("deleteEntries", () => {
  it("deletes in requests of at most batchSize ids and reports the ids that do not exist by index", async () => {
    const site = writeSite();
    const created = await writeRows(
      site.dataApi,
      "company",
      Array.from({ length: 30 }, (_, n) => ({ CompanyName: `D${n}` })),
      {
        mode: "create",
      },
    );
    const ids = created.written.map((row) => row.EntryId);
    ids[17] = 999_999_999;
    site.received.length = 0;
    const report = await deleteEntries(site.dataApi, "company", ids, { batchSize: 10 });
    // The second batch (ids 10-19) is refused and halved: 10-14 land, 15-19 fail; 15-16 land, 17-19 fail; 17 alone
    // fails and 18-19 land. Then the third batch.
    expect(site.received.filter((r) => r.method === "DELETE").map((r) => r.body.length)).toEqual([
      10, 10, 5, 5, 2, 3, 1, 2, 10,
    ]);
    expect(report.failed).toMatchObject([{ index: 17, row: 999_999_999, error: { code: "ROW_REJECTED" } }]);
    expect(report.written).toEqual(ids.filter((_, n) => n !== 17));
    expect(site.mock.rows("company").map((row) => row.EntryId)).not.toContain(ids[0]);
  });

  it("takes 10,000 ids a request by default and refuses bad ids before sending", async () => {
    const site = writeSite();
    await expect(deleteEntries(site.dataApi, "company", [1, 1])).rejects.toThrow(/Id 1 \(1\) is given twice/);
    await expect(deleteEntries(site.dataApi, "company", [0])).rejects.toThrow(/must be a positive integer/);
    await expect(deleteEntries(site.dataApi, "company", [1], { batchSize: 10_001 })).rejects.toThrow(/1 to 10000/);
    expect(site.received).toEqual([]);
  });
});

describe("mergeEntries", () => {
  it("sends at most 100 merges a request and reports each merge's outcome", async () => {
    const site = writeSite();
    const created = await writeRows(
      site.dataApi,
      "company",
      Array.from({ length: 240 }, (_, n) => ({ CompanyName: `M${n}` })),
      {
        mode: "create",
      },
    );
    const ids = created.written.map((row) => row.EntryId);
    const merges = Array.from({ length: 120 }, (_, n) => ({ entryId: ids[2 * n]!, mergeEntries: [ids[2 * n + 1]!] }));
    site.received.length = 0;
    const report = await mergeEntries(site.dataApi, "company", merges, { overwriteEmptyValues: true });
    const sent = site.received.filter((r) => r.path.includes("/merge/"));
    expect(sent.map((r) => r.body.length)).toEqual([100, 20]);
    expect(sent[0]!.query.get("overwriteEmptyValues")).toBe("true");
    expect(report).toMatchObject({ failed: [], requests: 2 });
    expect(report.written).toEqual(merges);
    expect(site.mock.rows("company").map((row) => row.EntryId)).not.toContain(ids[1]);
  });

  it("refuses more than 10 ids in a merge and an id used twice, before sending", async () => {
    const site = writeSite();
    const eleven = Array.from({ length: 11 }, (_, n) => n + 2);
    await expect(mergeEntries(site.dataApi, "company", [{ entryId: 1, mergeEntries: eleven }])).rejects.toThrow(
      /mergeEntries must list 1 to 10 entry ids/,
    );
    await expect(
      mergeEntries(site.dataApi, "company", [
        { entryId: 1, mergeEntries: [2] },
        { entryId: 3, mergeEntries: [1] },
      ]),
    ).rejects.toThrow(/Merge 1: entry 1 appears twice/);
    await expect(mergeEntries(site.dataApi, "company", [], { batchSize: 101 })).rejects.toThrow(/1 to 100 \(merges/);
    expect(site.received).toEqual([]);
  });
});
