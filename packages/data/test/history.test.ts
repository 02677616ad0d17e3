import { AbortedError, DealCloudError, InvalidOptionError, type PageProgress } from "@dealcloud-ts/client";
import { describe, expect, it } from "vitest";
import { type HistoryEntry, HistoryWindowError, readHistory } from "../src/index.js";
import { mockSite } from "./helpers.js";

const DAY = 86_400_000;
const company = { params: { path: { entryTypeId: "company" } } } as const;

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A site with 20 generated companies, one deleted and one merged into another through the API. */
async function siteWithChanges() {
  const site = mockSite({ seed: { rows: { company: 20 } } });
  const ids = site.mock.rows("company").map((row) => row.EntryId as number);
  const [kept, merged, deleted] = [ids[3]!, ids[4]!, ids[5]!];
  await site.client.DELETE("/entrydata/{entryTypeId}", { ...company, body: [deleted] });
  await site.client.POST("/merge/{entryTypeId}", { ...company, body: [{ entryId: kept, mergeEntries: [merged] }] });
  site.seen.length = 0;
  return { site, kept, merged, deleted, live: ids.length - 2 };
}

describe("readHistory", () => {
  it("streams modified entries, deletions and merges (with mergedEntryId) since a date", async () => {
    const { site, kept, merged, deleted, live } = await siteWithChanges();
    const entries = await all(
      readHistory(site.client, { entryTypeId: "company", modifiedSince: new Date(Date.now() - DAY) }),
    );
    expect(entries.filter((entry) => !entry.isDeleted)).toHaveLength(live);
    expect(entries.find((entry) => entry.id === deleted)).toMatchObject({ isDeleted: true, entryListId: 2011 });
    expect(entries.find((entry) => entry.id === merged)).toMatchObject({ isDeleted: true, mergedEntryId: kept });
    expect(site.seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /entrydata/company/entries/history",
    ]);
    expect(site.seen[0]!.url.searchParams.get("modifiedSince")).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it("reads allHistory with `all: true`, and all time without deletions when modifiedSince is omitted", async () => {
    const { site, live } = await siteWithChanges();
    const entries = await all(readHistory(site.client, { entryTypeId: 2011, all: true }));
    expect(entries).toHaveLength(live);
    expect(entries.every((entry: HistoryEntry) => !entry.isDeleted)).toBe(true);
    expect(site.seen[0]!.path).toBe("/entrydata/2011/entries/allHistory");
    expect(site.seen[0]!.url.searchParams.has("modifiedSince")).toBe(false);
  });

  it("refuses a modifiedSince 181 days ago before any request, with a typed error", () => {
    const site = mockSite();
    const call = () =>
      readHistory(site.client, { entryTypeId: "company", modifiedSince: new Date(Date.now() - 181 * DAY) });
    expect(call).toThrow(HistoryWindowError);
    expect(call).toThrow(/modifiedSince must be at most 180 days ago/);
    try {
      call();
    } catch (error) {
      expect(error).toBeInstanceOf(DealCloudError);
      expect(error).toMatchObject({ code: "HISTORY_WINDOW_EXCEEDED", name: "HistoryWindowError" });
    }
    expect(site.seen).toHaveLength(0);
    expect(site.mock.tokenRequests).toHaveLength(0);
  });

  it("accepts 179 days ago, as an ISO string", async () => {
    const site = mockSite();
    const since = new Date(Date.now() - 179 * DAY).toISOString();
    await expect(
      all(readHistory(site.client, { entryTypeId: "company", modifiedSince: since })),
    ).resolves.toBeInstanceOf(Array);
  });

  it("refuses an unreadable date, a non-boolean `all` and a missing entryTypeId", () => {
    const site = mockSite();
    expect(() => readHistory(site.client, { entryTypeId: "company", modifiedSince: "last week" })).toThrow(
      /pass modifiedSince as a Date or an ISO 8601 date-time/,
    );
    expect(() => readHistory(site.client, { entryTypeId: "company", all: "yes" as never })).toThrow(InvalidOptionError);
    expect(() => readHistory(site.client, {} as never)).toThrow(/entryTypeId/);
    expect(site.seen).toHaveLength(0);
  });

  it("reports progress once and stops with AbortedError when aborted", async () => {
    const { site } = await siteWithChanges();
    const seen: PageProgress[] = [];
    await all(readHistory(site.client, { entryTypeId: "company", onProgress: (progress) => seen.push(progress) }));
    expect(seen.map(({ done, total, pages }) => [done, total, pages])).toEqual([[21, 21, 1]]);
    await expect(
      all(readHistory(site.client, { entryTypeId: "company", signal: AbortSignal.abort() })),
    ).rejects.toBeInstanceOf(AbortedError);
  });
});
