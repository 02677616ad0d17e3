import { pathToFileURL } from "node:url";
import { createDataClient, syncEntries, writeRows } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { countingFetch } from "./counting-fetch.mjs";
import { fmt, mergeAloneRun, ratio, table } from "./report.mjs";

const TITLE = "Incremental sync: 100,000 companies with 1% changed";
const TOTAL = 100_000;
const UPDATED = 800;
const CREATED = 100;
const DELETED = 50;
const MERGED = 50;
const DAY = 86_400_000;

/** A Data client over the server that counts the API requests it sends (token requests apart). */
function countingClient(url) {
  const { fetch, sent } = countingFetch();
  return { client: createDataClient({ baseUrl: url, ...DEFAULT_MOCK_CLIENT, fetch }), sent };
}

/** One sync through a fresh client (the clock jumps days between syncs, past any token's life), measured. */
async function measuredSync(url, clock, since, concurrency) {
  const { client, sent } = countingClient(url);
  const start = performance.now();
  let last;
  const counts = { upserts: 0, deletes: 0 };
  for await (const item of syncEntries(client, { entryTypeId: "company", since, concurrency, now: clock.now })) {
    if (item.type === "upsert") counts.upserts++;
    else if (item.type === "delete") counts.deletes++;
    else if (item.type === "checkpoint") last = item.checkpoint;
  }
  return { requests: sent.requests, seconds: (performance.now() - start) / 1000, ...counts, checkpoint: last };
}

/** 1% of the object changes: updates, creations, deletions and merges, through the API (not counted). */
async function changeOnePercent(url, ids) {
  const { client } = countingClient(url);
  const company = { params: { path: { entryTypeId: "company" } } };
  const updates = ids.slice(0, UPDATED).map((EntryId) => ({ EntryId, City: "Changed" }));
  const update = await writeRows(client, "company", updates, { mode: "update" });
  const creates = Array.from({ length: CREATED }, (_, n) => ({ CompanyName: `New company ${n}` }));
  const create = await writeRows(client, "company", creates, { mode: "create" });
  if (update.failed.length || create.failed.length) throw new Error("could not change the companies");
  const deleted = ids.slice(UPDATED, UPDATED + DELETED);
  await client.DELETE("/entrydata/{entryTypeId}", { ...company, body: deleted });
  const merges = Array.from({ length: MERGED }, (_, n) => ({
    entryId: ids[UPDATED + DELETED + 2 * n],
    mergeEntries: [ids[UPDATED + DELETED + 2 * n + 1]],
  }));
  await client.POST("/merge/{entryTypeId}", { ...company, body: merges });
}

export async function benchSync() {
  // The site clock: seeded at day 0, exported on day 1, changed on day 2, synced an hour later.
  const clock = { time: Date.UTC(2026, 0, 1), now: () => clock.time };
  const server = await serveMockDealCloud({
    port: 0,
    now: clock.now,
    seed: { sampleEntries: false, rows: { company: TOTAL } },
  });
  let full;
  let parallel;
  let incremental;
  try {
    const ids = server.mock.rows("company").map((row) => row.EntryId);
    clock.time += DAY;
    full = await measuredSync(server.url, clock, undefined);
    if (full.upserts !== TOTAL || full.deletes !== 0) throw new Error(`full export: ${JSON.stringify(full)}`);
    parallel = await measuredSync(server.url, clock, undefined, 4);
    if (parallel.upserts !== TOTAL) throw new Error(`full export, concurrency 4: ${JSON.stringify(parallel)}`);
    clock.time += DAY;
    await changeOnePercent(server.url, ids);
    clock.time += 3_600_000;
    incremental = await measuredSync(server.url, clock, full.checkpoint);
    if (incremental.upserts !== UPDATED + CREATED || incremental.deletes !== DELETED + MERGED)
      throw new Error(`incremental sync: ${JSON.stringify(incremental)}`);
  } finally {
    await server.close();
  }
  const rows = [
    ["full", "first sync (no checkpoint): full export of 100,000 rows"],
    ["parallel", "the same with `concurrency: 4` (pages fetched ahead)"],
    ["incremental", "next sync, 1% changed: 900 upserts, 100 deletes (50 merges)"],
  ];
  const measured = { full, parallel, incremental };
  table(
    TITLE,
    rows.map(([name, label]) => ({
      sync: label,
      requests: fmt(measured[name].requests),
      seconds: fmt(measured[name].seconds, 2),
      "full / this (requests)": ratio(full.requests, measured[name].requests),
      "full / this (time)": ratio(full.seconds, measured[name].seconds),
    })),
    [
      `\`syncEntries\` through \`createDataClient\` against \`serveMockDealCloud\` in the same process (loopback HTTP), seeded with ${fmt(TOTAL)} companies; the site clock is injected (\`now\`) so the seed is days older than the changes. Between the two syncs ${fmt(UPDATED)} companies are updated, ${fmt(CREATED)} created, ${fmt(DELETED)} deleted and ${fmt(MERGED)} merged into others (not counted). Requests are API requests (token requests apart). The full export reads 1,000 rows a page plus the entries list (to find rows offset paging skipped); the incremental sync reads history once and re-reads the 900 changed entries in one \`EntryId $in\` query. Outcomes checked; one run each.`,
    ],
  );
  const strip = ({ checkpoint: _checkpoint, ...figures }) => figures;
  return { full: strip(full), parallel: strip(parallel), incremental: strip(incremental) };
}

// Alone: merge into the last full run's results and page rather than rewriting them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) mergeAloneRun("sync", await benchSync(), TITLE);
