import { pathToFileURL } from "node:url";
import { createDealCloud } from "@dealcloud-ts/client";
import { data, writeRows } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { schema } from "@dealcloud-ts/schema";
import { createSite } from "@dealcloud-ts/site";
import { countingFetch } from "./counting-fetch.mjs";
import { fmt, mergeAloneRun, ratio, table } from "./report.mjs";

const TITLE = "Upsert by names: 2,500 contacts on a site of 200,000 contacts and 50,000 companies";
const SEED = { rows: { company: 50_000, contact: 200_000 } };
const EXISTING = 1199;
const companyName = (n) => `Company ${String(n).padStart(7, "0")}`;
const email = (n) => `person${n}@example.test`;
const UNKNOWN = [3, 400, 801, 1202, 1299].map((n) => 1199 + n);
const INVALID = 2499;

/** The same input as the site package's upsert test. */
function input() {
  const rows = [];
  for (let n = 0; n < 2500; n++)
    rows.push({ FullName: `Person ${n}`, Email: email(n), Title: "Partner", Company: companyName(1 + (n % 400)) });
  for (const index of UNKNOWN) rows[index].Company = `Compnay ${String(index).padStart(7, "0")}`;
  rows[INVALID] = { Email: email(INVALID), Title: "Partner" };
  return rows;
}

/** A client over the server that counts the API requests it sends (token requests apart). */
function countingClient(url) {
  const { fetch, sent } = countingFetch();
  const dc = createDealCloud({ baseUrl: url, ...DEFAULT_MOCK_CLIENT, fetch, apis: { schema, data } });
  return { dc, sent };
}

/** Every row of an entry type, 1,000 a page, 3 pages in flight (the vendor SDK pages with 3 workers). */
async function readWhole(dataApi, entryTypeId) {
  const page = async (skip) => {
    const { data: answer, error } = await dataApi.GET("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId }, query: { limit: 1000, skip, wrapIntoArrays: true } },
    });
    if (error) throw new Error(`read ${entryTypeId} at ${skip} failed`);
    return answer;
  };
  const first = await page(0);
  const skips = [];
  for (let skip = 1000; skip < first.totalRecords; skip += 1000) skips.push(skip);
  const pages = [first.rows];
  let next = 0;
  const worker = async () => {
    while (next < skips.length) {
      const at = next++;
      pages[at + 1] = (await page(skips[at])).rows;
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return pages.flat();
}

const nameOf = (value) => (Array.isArray(value) ? value[0] : value)?.name;

/** The vendor SDK's upsert (vendor-python-sdk.md §4–5), without its bugs in the outcome: same rows written. */
async function vendorWay(dc, site, rows) {
  await site.model(); // the vendor reads the fields afresh on every write
  // The target object is read whole twice (once to warn about duplicate keys, once for the key map).
  await readWhole(dc.data, "contact");
  const byEmail = new Map();
  for (const row of await readWhole(dc.data, "contact")) byEmail.set(row.Email, row.EntryId);
  const companies = new Map();
  for (const row of await readWhole(dc.data, "company")) companies.set(nameOf(row.CompanyName), row.EntryId);
  const toCreate = [];
  const toUpdate = [];
  let failed = 0;
  for (const row of rows) {
    const company = row.Company === undefined ? undefined : companies.get(row.Company);
    if ((row.Company !== undefined && company === undefined) || !row.FullName) {
      failed++; // the vendor would write these with a null company; counted as failed to keep the outcome equal
      continue;
    }
    const values = { ...row, ...(company === undefined ? {} : { Company: company }) };
    const entryId = byEmail.get(row.Email);
    if (entryId === undefined) toCreate.push(values);
    else toUpdate.push({ ...values, EntryId: entryId });
  }
  const updated = await writeRows(dc.data, "contact", toUpdate, { mode: "update" });
  const created = await writeRows(dc.data, "contact", toCreate, { mode: "create" });
  return { created: created.written.length, updated: updated.written.length, failed };
}

async function oursWay(_dc, site, rows) {
  const report = await site.upsert("contact", rows, { key: "Email" });
  return { created: report.created.length, updated: report.updated.length, failed: report.failed.length };
}

async function prepare(server) {
  server.mock.reset();
  const { dc } = countingClient(server.url);
  const existing = Array.from({ length: EXISTING }, (_, n) => ({
    FullName: `Person ${n}`,
    Email: email(n),
    Title: "Analyst",
  }));
  const report = await writeRows(dc.data, "contact", existing, { mode: "create" });
  if (report.failed.length) throw new Error("could not plant the existing contacts");
}

export async function benchSiteUpsert() {
  const server = await serveMockDealCloud({ port: 0, seed: SEED });
  const measured = {};
  try {
    for (const [name, way] of [
      ["vendor", vendorWay],
      ["ours", oursWay],
    ]) {
      await prepare(server);
      const { dc, sent } = countingClient(server.url);
      const site = createSite(dc);
      const start = performance.now();
      const outcome = await way(dc, site, input());
      const seconds = (performance.now() - start) / 1000;
      if (outcome.created !== 1295 || outcome.updated !== EXISTING || outcome.failed !== 6)
        throw new Error(`${name}: ${JSON.stringify(outcome)} (expected 1,295 created, 1,199 updated, 6 failed)`);
      measured[name] = { requests: sent.requests, seconds, ...outcome };
    }
  } finally {
    await server.close();
  }
  const { vendor, ours } = measured;
  const requestRatio = vendor.requests / ours.requests;
  const timeRatio = vendor.seconds / ours.seconds;
  table(
    TITLE,
    [
      ["vendor", "the vendor SDK's way: read contacts whole twice and companies whole, then write"],
      ["ours", '`site.upsert(..., { key: "Email" })`'],
    ].map(([name, label]) => ({
      approach: label,
      requests: fmt(measured[name].requests),
      seconds: fmt(measured[name].seconds, 2),
      "vendor / this (requests)": ratio(vendor.requests, measured[name].requests),
      "vendor / this (time)": ratio(vendor.seconds, measured[name].seconds),
    })),
    [
      `\`serveMockDealCloud\` in the same process, seeded with ${fmt(200_000)} contacts and ${fmt(50_000)} companies, reset before each run, then ${fmt(EXISTING)} contacts planted (not counted). Both ways go through one \`createDealCloud\` client and load the site model (4 Schema calls, counted); both created 1,295 contacts, updated 1,199 and failed 6 rows (5 unknown companies, 1 without FullName: checked). Requests are API requests (token requests apart). The vendor's way pages 1,000 rows with 3 in flight, as its SDK does; \`site.upsert\` sends chunked \`$in\` lookups of exactly the emails and company names used (chunks of 500), one suggestion query per unknown name, and the writes. One run each.`,
    ],
  );
  return { ...measured, requestRatio, timeRatio };
}

// Alone: merge into the last full run's results and page rather than rewriting them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  mergeAloneRun("siteUpsert", await benchSiteUpsert(), TITLE);
