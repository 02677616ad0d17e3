import { AbortedError, DealCloudError, InvalidOptionError, type ThrowingApiClient } from "@dealcloud-ts/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  CheckpointMismatchError,
  type createDataClient,
  DEFAULT_SYNC_OVERLAP_MS,
  FullResyncRequiredError,
  type paths,
  type SyncCheckpoint,
  type SyncEntriesOptions,
  type SyncItem,
  type SyncProgress,
  syncEntries,
} from "../src/index.js";
import { mockSite, skipOf } from "./helpers.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** The fake clock's start: every test moves it forward from here. */
const T0 = Date.parse("2026-06-01T00:00:00.000Z");
const company = { params: { path: { entryTypeId: "company" } } } as const;

beforeEach(() => {
  // Only Date is faked: the mock's clock, the token manager and syncEntries all read it; timers stay real.
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(T0);
});
afterEach(() => vi.useRealTimers());

const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** A sync's items in a comparable form: upserted ids (sorted), deletions, and the checkpoint. */
function changesOf(items: readonly SyncItem[]) {
  const upserts = items.flatMap((item) => (item.type === "upsert" ? [item.row.EntryId] : [])).sort((a, b) => a - b);
  const deletes = items.flatMap((item) => (item.type === "delete" ? [item] : []));
  const last = items.at(-1);
  if (last?.type !== "checkpoint") throw new Error("the sync did not end with a checkpoint");
  return { upserts, deletes, checkpoint: last.checkpoint, summary: last.summary, items };
}

async function sync(
  client: ThrowingApiClient<paths> | ReturnType<typeof createDataClient>,
  options: SyncEntriesOptions,
) {
  return changesOf(await all(syncEntries(client, options)));
}

/** A site with 20 companies the test created a day ago, through the API (no references between them). */
async function siteWithCompanies(count = 20) {
  const site = mockSite({ seed: { sampleEntries: false } });
  advance(-DAY);
  const body = Array.from({ length: count }, (_, n) => ({ EntryId: -(n + 1), CompanyName: `Company ${n}` }));
  await site.client.POST("/entrydata/rows/{entryTypeId}", { ...company, body });
  advance(DAY);
  const ids = site.mock.rows("company").map((row) => row.EntryId as number);
  site.seen.length = 0;
  return { site, ids };
}

describe("syncEntries between syncs", () => {
  it("yields exactly the entries created, updated, deleted and merged since the checkpoint", async () => {
    const { site, ids } = await siteWithCompanies();
    const first = await sync(site.client, { entryTypeId: "company" });
    expect(first.upserts).toEqual(ids);
    expect(first.items[0]).toEqual({ type: "fullExport", reason: "initial" });
    expect(first.checkpoint).toEqual({
      version: 1,
      entryTypeId: "company",
      since: new Date(T0 - DEFAULT_SYNC_OVERLAP_MS).toISOString(),
      sentAt: new Date(T0).toISOString(),
    });

    advance(HOUR);
    const [updated1, updated2, deleted, merged, kept] = [ids[1]!, ids[2]!, ids[3]!, ids[4]!, ids[5]!];
    const { data: created } = await site.client.POST("/entrydata/rows/{entryTypeId}", {
      ...company,
      body: [
        { EntryId: -1, CompanyName: "New One" },
        { EntryId: -2, CompanyName: "New Two" },
      ],
    });
    await site.client.PATCH("/entrydata/rows/{entryTypeId}", {
      ...company,
      body: [
        { EntryId: updated1, City: "Boston" },
        { EntryId: updated2, City: "Denver" },
      ],
    });
    await site.client.DELETE("/entrydata/{entryTypeId}", { ...company, body: [deleted] });
    await site.client.POST("/merge/{entryTypeId}", { ...company, body: [{ entryId: kept, mergeEntries: [merged] }] });
    advance(HOUR);
    site.seen.length = 0;

    // The checkpoint goes through JSON, as it would through a file.
    const since = JSON.parse(JSON.stringify(first.checkpoint)) as SyncCheckpoint;
    const second = await sync(site.client, { entryTypeId: "company", since, fields: ["CompanyName", "City"] });
    const createdIds = created!.map((row) => row.EntryId);
    expect(second.upserts).toEqual([updated1, updated2, ...createdIds].sort((a, b) => a - b));
    expect(second.deletes).toEqual([
      { type: "delete", entryId: deleted },
      { type: "delete", entryId: merged, mergedInto: kept },
    ]);
    const rows = second.items.flatMap((item) => (item.type === "upsert" ? [item.row] : []));
    expect(rows.find((row) => row.EntryId === updated1)).toMatchObject({ City: "Boston" });
    expect(rows.find((row) => row.EntryId === createdIds[0])).toMatchObject({ CompanyName: { name: "New One" } });
    expect(second.summary).toEqual({ upserts: 4, deletes: 2, fullExport: false });
    expect(second.checkpoint.since).toBe(new Date(T0 + 2 * HOUR - DEFAULT_SYNC_OVERLAP_MS).toISOString());
    // One history read, then one rows read for the four changed ids.
    expect(site.seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /entrydata/company/entries/history",
      "GET /entrydata/rows/company",
    ]);
    expect(site.seen[0]!.url.searchParams.get("modifiedSince")).toBe(first.checkpoint.since);
    expect(JSON.parse(site.seen[1]!.url.searchParams.get("query")!)).toEqual({
      EntryId: { $in: [updated1, updated2, ...createdIds] },
    });
  });

  it("repeats only the overlap's changes in the next sync, then nothing", async () => {
    const { site, ids } = await siteWithCompanies();
    const first = await sync(site.client, { entryTypeId: "company" });
    advance(HOUR);
    await site.client.DELETE("/entrydata/{entryTypeId}", { ...company, body: [ids[0]!] });
    advance(HOUR - 3 * MINUTE);
    await site.client.PATCH("/entrydata/rows/{entryTypeId}", {
      ...company,
      body: [{ EntryId: ids[1]!, City: "Oslo" }],
    });
    advance(3 * MINUTE);
    const second = await sync(site.client, { entryTypeId: "company", since: first.checkpoint });
    expect(second.upserts).toEqual([ids[1]]);
    expect(second.deletes).toEqual([{ type: "delete", entryId: ids[0] }]);

    advance(HOUR);
    const third = await sync(site.client, { entryTypeId: "company", since: second.checkpoint });
    // The update came 3 minutes before the second sync: inside its 10-minute overlap, so it comes again.
    expect(third.upserts).toEqual([ids[1]]);
    expect(third.deletes).toEqual([]);

    advance(HOUR);
    const fourth = await sync(site.client, { entryTypeId: "company", since: third.checkpoint });
    expect(fourth.items).toEqual([
      expect.objectContaining({ type: "checkpoint", summary: { upserts: 0, deletes: 0, fullExport: false } }),
    ]);
  });

  it.each([
    [DEFAULT_SYNC_OVERLAP_MS, [1]],
    [0, []],
  ])(
    "with history lagging 5 minutes behind a change, an overlap of %i ms finds it next time: %j",
    async (overlapMs, expected) => {
      const site = mockSite({ seed: { sampleEntries: false, rows: { company: 5 } }, historyLagMs: 5 * MINUTE });
      const ids = site.mock.rows("company").map((row) => row.EntryId as number);
      advance(HOUR);
      const first = await sync(site.client, { entryTypeId: "company", since: new Date(T0 - HOUR), overlapMs });
      expect(first.upserts).toEqual(ids);
      advance(HOUR - 2 * MINUTE);
      await site.client.PATCH("/entrydata/rows/{entryTypeId}", {
        ...company,
        body: [{ EntryId: ids[1]!, City: "Lima" }],
      });
      advance(2 * MINUTE);
      // Not in history yet, though the row has changed.
      const second = await sync(site.client, { entryTypeId: "company", since: first.checkpoint, overlapMs });
      expect(second.upserts).toEqual([]);
      advance(HOUR);
      const third = await sync(site.client, { entryTypeId: "company", since: second.checkpoint, overlapMs });
      expect(third.upserts).toEqual(expected.map((index) => ids[index]));
    },
  );

  it("takes a Date or an ISO string as since, and re-reads changed entries 1,000 ids per request", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 2_500 } } });
    const ids = site.mock.rows("company").map((row) => row.EntryId as number);
    for (const since of [new Date(T0 - HOUR), new Date(T0 - HOUR).toISOString()]) {
      site.seen.length = 0;
      const { upserts } = await sync(site.client, { entryTypeId: 2011, since });
      expect(upserts).toEqual(ids);
      const reads = site.seen.slice(1);
      // 1,000 ids do not fit a GET URL: the rows reads go through the POST query, one page each.
      expect(reads.map((request) => `${request.method} ${request.path}`)).toEqual(
        Array(3).fill("POST /entrydata/rows/query/2011"),
      );
      const chunks = reads.map((request) => JSON.parse((request.body as { query: string }).query).EntryId.$in);
      expect(chunks.map((chunk: number[]) => chunk.length)).toEqual([1000, 1000, 500]);
      expect(chunks.flat()).toEqual(ids);
    }
  });

  it("reports progress after the history read and after each page", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 1_500 } } });
    const seen: SyncProgress[] = [];
    await sync(site.client, { entryTypeId: "company", since: new Date(T0 - HOUR), onProgress: (p) => seen.push(p) });
    expect(seen.map(({ phase, upserts, changed }) => [phase, upserts, changed])).toEqual([
      ["history", 0, 1500],
      ["changes", 0, 1500],
      ["changes", 1000, 1500],
    ]);
  });
});

describe("syncEntries with an old or foreign checkpoint", () => {
  const checkpointAt = (ms: number, entryTypeId: number | string = "company"): SyncCheckpoint => ({
    version: 1,
    entryTypeId,
    since: new Date(ms).toISOString(),
    sentAt: new Date(ms).toISOString(),
  });

  it("rejects a 200-day-old checkpoint with FULL_RESYNC_REQUIRED before any request", async () => {
    const { site } = await siteWithCompanies();
    const tokenRequests = site.mock.tokenRequests.length;
    const since = checkpointAt(T0 - 200 * DAY);
    const error = await all(syncEntries(site.client, { entryTypeId: "company", since })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FullResyncRequiredError);
    expect(error).toBeInstanceOf(DealCloudError);
    expect(error).toMatchObject({
      code: "FULL_RESYNC_REQUIRED",
      name: "FullResyncRequiredError",
      since: new Date(T0 - 200 * DAY),
      earliest: new Date(T0 - 180 * DAY),
    });
    expect((error as Error).message).toMatch(/onStale: "full"/);
    expect(site.seen).toHaveLength(0);
    expect(site.mock.tokenRequests).toHaveLength(tokenRequests);
    // 179 days is still inside history's window.
    await expect(
      all(syncEntries(site.client, { entryTypeId: "company", since: checkpointAt(T0 - 179 * DAY) })),
    ).resolves.toBeInstanceOf(Array);
  });

  it("treats the site's own 180-day refusal (its clock ahead of ours) like a stale checkpoint", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 3 } }, now: () => Date.now() + 2 * DAY });
    const since = checkpointAt(T0 - 179 * DAY);
    const error = await all(syncEntries(site.client, { entryTypeId: "company", since })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FullResyncRequiredError);
    const full = await sync(site.client, { entryTypeId: "company", since, onStale: "full" });
    expect(full.items[0]).toEqual({ type: "fullExport", reason: "stale" });
    expect(full.upserts).toHaveLength(3);
  });

  it("treats a checkpoint that turns 180 days old between its checks as stale", async () => {
    const { site } = await siteWithCompanies();
    const times = [T0, T0 + DAY];
    const now = () => times.shift() ?? T0 + DAY;
    const since = checkpointAt(T0 - 179.5 * DAY);
    const error = await all(syncEntries(site.client, { entryTypeId: "company", since, now })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "FULL_RESYNC_REQUIRED" });
    expect(site.seen).toHaveLength(0);
  });

  it("reads allHistory with `all: true`", async () => {
    const { site } = await siteWithCompanies();
    await sync(site.client, { entryTypeId: "company", since: new Date(T0 - HOUR), all: true });
    expect(site.seen[0]!.path).toBe("/entrydata/company/entries/allHistory");
    expect(() => syncEntries(site.client, { entryTypeId: "company", all: "yes" as never })).toThrow(InvalidOptionError);
  });

  it('with onStale: "full", exports every entry then gives a fresh checkpoint', async () => {
    const { site, ids } = await siteWithCompanies();
    const since = checkpointAt(T0 - 200 * DAY);
    const result = await sync(site.client, { entryTypeId: "company", since, onStale: "full" });
    expect(result.items[0]).toEqual({ type: "fullExport", reason: "stale" });
    expect(result.upserts).toEqual(ids);
    expect(result.deletes).toEqual([]);
    expect(result.summary).toEqual({ upserts: 20, deletes: 0, fullExport: true });
    expect(result.checkpoint.since).toBe(new Date(T0 - DEFAULT_SYNC_OVERLAP_MS).toISOString());
    expect(site.seen.map((request) => `${request.method} ${request.path}`)).toEqual([
      "GET /entrydata/rows/company",
      "GET /entrydata/company/entries",
    ]);
  });

  it("finds the rows offset paging skipped while entries were deleted during a full export", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 2_500 } } });
    const ids = site.mock.rows("company").map((row) => row.EntryId as number);
    // The first company is deleted after page one is read: page two then starts one row later.
    let deleted = false;
    site.hooks.before = async (request) => {
      if (request.path === "/entrydata/rows/company" && skipOf(request) === 1000 && !deleted) {
        deleted = true;
        await site.client.DELETE("/entrydata/{entryTypeId}", { ...company, body: [ids[0]!] });
      }
    };
    const { upserts } = await sync(site.client, { entryTypeId: "company" });
    expect(new Set(upserts)).toEqual(new Set(ids));
  });

  it("refuses a checkpoint of another object or version, and bad options, before any request", () => {
    const site = mockSite();
    const call = (options: Partial<SyncEntriesOptions> & Record<string, unknown>) => () =>
      syncEntries(site.client, { entryTypeId: "company", ...options } as SyncEntriesOptions);
    expect(call({ since: checkpointAt(T0, "deal") })).toThrow(CheckpointMismatchError);
    expect(call({ since: checkpointAt(T0, "deal") })).toThrow(/of entry type "deal", not "company"/);
    expect(call({ since: { ...checkpointAt(T0), version: 2 as 1 } })).toThrow(/version 2/);
    expect(call({ since: { ...checkpointAt(T0), since: "soon" } })).toThrow(InvalidOptionError);
    // The same object named the same way in another case is accepted.
    expect(call({ entryTypeId: "Company", since: checkpointAt(T0) })).not.toThrow();
    for (const [option, value] of [
      ["since", "yesterday"],
      ["since", 12],
      ["overlapMs", -1],
      ["overlapMs", 2 * DAY],
      ["onStale", "ignore"],
      ["fields", []],
      ["now", 5],
      ["signal", {}],
      ["entryTypeId", ""],
    ] as const) {
      expect(call({ [option]: value }), `${option}: ${JSON.stringify(value)}`).toThrow(InvalidOptionError);
    }
    expect(call({ since: checkpointAt(T0, "deal") })).toThrow(expect.objectContaining({ code: "CHECKPOINT_MISMATCH" }));
    expect(site.seen).toHaveLength(0);
  });
});

describe("stopping a sync", () => {
  it("sends nothing more after a break (the one chunk read ahead is all)", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 2_500 } } });
    let sentAtBreak = 0;
    for await (const item of syncEntries(site.client, { entryTypeId: "company", since: new Date(T0 - HOUR) })) {
      expect(item.type).toBe("upsert");
      sentAtBreak = site.seen.length;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    // History, the first chunk of 1,000 ids and, with the default concurrency of 1, the next one read ahead (its
    // request may leave just after the break, then is aborted); the third chunk is never asked for.
    expect(site.seen.length).toBeLessThanOrEqual(sentAtBreak + 1);
    expect(site.seen.map((request) => request.path)).toEqual([
      "/entrydata/company/entries/history",
      "/entrydata/rows/query/company",
      "/entrydata/rows/query/company",
    ]);
  });

  it("reads the changed ids' chunks in parallel with concurrency, handing the rows over in the same order", async () => {
    const changedSince = new Date(T0 - HOUR);
    const reads = (site: ReturnType<typeof mockSite>) =>
      site.seen.filter((request) => request.path.startsWith("/entrydata/rows/")).length;
    const one = mockSite({ seed: { sampleEntries: false, rows: { company: 3_500 } } });
    const sequential = await sync(one.client, { entryTypeId: "company", since: changedSince });
    const four = mockSite({ seed: { sampleEntries: false, rows: { company: 3_500 } } });
    const parallel = await sync(four.client, { entryTypeId: "company", since: changedSince, concurrency: 4 });

    expect(parallel.items.map((item) => (item.type === "upsert" ? item.row.EntryId : item.type))).toEqual(
      sequential.items.map((item) => (item.type === "upsert" ? item.row.EntryId : item.type)),
    );
    expect(parallel.upserts).toHaveLength(3_500);
    // 3,500 ids: four chunks of at most 1,000, one request each, with either setting.
    expect([reads(one), reads(four)]).toEqual([4, 4]);
    expect(one.stats().maxInFlight).toBe(1);
    expect(four.stats().maxInFlight).toBeGreaterThan(1);
    expect(four.stats().maxInFlight).toBeLessThanOrEqual(4);
  });

  it("passes concurrency to a full export's pages", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 3_500 } } });
    const full = await sync(site.client, { entryTypeId: "company", concurrency: 3 });
    expect(full.upserts).toHaveLength(3_500);
    expect(site.stats().maxInFlight).toBeGreaterThan(1);
    expect(site.stats().maxInFlight).toBeLessThanOrEqual(3);
  });

  it("refuses a concurrency out of range before sending anything", () => {
    const site = mockSite();
    expect(() => syncEntries(site.client, { entryTypeId: "company", concurrency: 0 })).toThrow(InvalidOptionError);
    expect(() => syncEntries(site.client, { entryTypeId: "company", concurrency: 17 })).toThrow(/concurrency/);
    expect(site.seen).toHaveLength(0);
  });

  it("rejects with AbortedError and sends nothing more when the signal fires", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 2_500 } } });
    const controller = new AbortController();
    let upserts = 0;
    const run = async () => {
      for await (const item of syncEntries(site.client, {
        entryTypeId: "company",
        since: new Date(T0 - HOUR),
        signal: controller.signal,
      })) {
        if (item.type === "upsert" && ++upserts === 10) {
          sentAtAbort = site.seen.length;
          controller.abort();
        }
      }
    };
    let sentAtAbort = 0;
    await expect(run()).rejects.toBeInstanceOf(AbortedError);
    expect(upserts).toBe(10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // History, the first chunk and at most the one read ahead (whose request may leave just after the abort, which
    // then ends it); the third chunk is never asked for.
    expect(sentAtAbort).toBeGreaterThanOrEqual(2);
    expect(site.seen.length).toBeLessThanOrEqual(3);
    const sentBefore = site.seen.length;
    await expect(
      all(syncEntries(site.client, { entryTypeId: "company", signal: AbortSignal.abort() })),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(site.seen).toHaveLength(sentBefore);
  });
});
