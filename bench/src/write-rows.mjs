import { pathToFileURL } from "node:url";
import { createDataClient, writeRows } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { fmt, mergeAloneRun, ratio, table } from "./report.mjs";

const ROWS = 10_000;
const BAD = 50;
const TITLE = "Batched writes: 10,000 rows with 50 bad ones";

/** 10,000 new companies; 50 of them (one in each stretch of 200, at a varying offset) name an unknown field. */
function input() {
  const rows = Array.from({ length: ROWS }, (_, n) => ({
    EntryId: -(n + 1),
    CompanyName: `Bench ${n}`,
    City: "Boston",
  }));
  const bad = Array.from({ length: BAD }, (_, k) => k * (ROWS / BAD) + ((k * 71) % (ROWS / BAD)));
  for (const index of bad) rows[index] = { ...rows[index], NoSuchField: 1 };
  return { rows, bad };
}

/** The hand-written loop: 1,000 rows a request; on a 400, each row of that batch alone. */
async function naive(url, token, rows) {
  const post = (body) =>
    fetch(url, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  let requests = 0;
  let written = 0;
  let failed = 0;
  const count = (answer) => {
    for (const row of answer) row.Errors?.length ? failed++ : written++;
  };
  for (let start = 0; start < rows.length; start += 1000) {
    const batch = rows.slice(start, start + 1000);
    const response = await post(batch);
    requests++;
    if (response.ok) count(await response.json());
    else {
      await response.arrayBuffer();
      for (const row of batch) {
        const single = await post([row]);
        requests++;
        if (single.ok) count(await single.json());
        else {
          await single.arrayBuffer();
          failed++;
        }
      }
    }
  }
  return { requests, written, failed };
}

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { ...result, ms: performance.now() - start };
}

export async function benchWriteRows() {
  const { rows, bad } = input();
  const results = {};
  const tableRows = [];
  for (const rowErrors of ["batch", "per-row"]) {
    const server = await serveMockDealCloud({ port: 0, rowErrors, seed: { sampleEntries: false } });
    try {
      const url = `${server.url}/api/rest/v4/data/entrydata/rows/company`;
      // After a reset the site has forgotten its tokens: each run starts with a fresh token and a fresh client.
      const token = async () => {
        const answer = await fetch(`${server.url}/api/rest/v1/oauth/token`, {
          method: "POST",
          body: new URLSearchParams({
            grant_type: "client_credentials",
            ...toForm(DEFAULT_MOCK_CLIENT),
            scope: "data",
          }),
        });
        return (await answer.json()).access_token;
      };
      const client = () => createDataClient({ baseUrl: server.url, ...DEFAULT_MOCK_CLIENT });
      // Warm-up: a small write of good rows each way, so neither pays the first connection or the JIT.
      const warm = rows.slice(0, 1000).filter((row) => !("NoSuchField" in row));
      await naive(url, await token(), warm);
      await writeRows(client(), "company", warm, { mode: "create" });
      const contenders = {
        naive: async () => {
          const access = await token();
          return timed(() => naive(url, access, rows));
        },
        ours: async () => {
          const dataApi = client();
          return timed(async () => summary(await writeRows(dataApi, "company", rows, { mode: "create" })));
        },
        oursConcurrency4: async () => {
          const dataApi = client();
          return timed(async () =>
            summary(await writeRows(dataApi, "company", rows, { mode: "create", concurrency: 4 })),
          );
        },
      };
      const measured = {};
      for (const [name, run] of Object.entries(contenders)) {
        server.mock.reset();
        const result = await run();
        const rowsPerSecond = ROWS / (result.ms / 1000);
        measured[name] = { ...result, rowsPerSecond };
        if (result.written !== ROWS - BAD || result.failed !== BAD)
          throw new Error(`${name} (${rowErrors}): ${result.written} written, ${result.failed} failed`);
      }
      if (measured.ours.failedIndexes.join() !== bad.join())
        throw new Error("writeRows reported other rows than the bad ones");
      results[rowErrors] = measured;
      for (const [name, label] of [
        ["naive", "naive loop (1,000 a request, one a request after a 400)"],
        ["ours", "writeRows"],
        ["oursConcurrency4", "writeRows, concurrency 4"],
      ]) {
        const m = measured[name];
        tableRows.push({
          rowErrors,
          approach: label,
          requests: fmt(m.requests),
          "rows/s": fmt(m.rowsPerSecond),
          "vs naive (rows/s)": ratio(m.rowsPerSecond, measured.naive.rowsPerSecond),
        });
      }
    } finally {
      await server.close();
    }
  }
  table(TITLE, tableRows, [
    `\`serveMockDealCloud\` in the same process, one site per \`rowErrors\` mode, reset before each run; ${fmt(ROWS)} new companies, ${BAD} of them (one in each stretch of 200) with an unknown field. Every approach wrote the ${fmt(ROWS - BAD)} good rows and found the ${BAD} bad ones (checked). \`batch\`: a request with a bad row is answered 400 and writes nothing; \`per-row\`: 200 with the bad rows carrying \`Errors\`. One run each after a warm-up of about 1,000 good rows each way.`,
  ]);
  return { rows: ROWS, badRows: BAD, ...stripIndexes(results) };
}

const toForm = ({ clientId, clientSecret }) => ({ client_id: clientId, client_secret: clientSecret });

function summary(report) {
  return {
    requests: report.requests,
    splitRequests: report.splitRequests,
    written: report.written.length,
    failed: report.failed.length,
    failedIndexes: report.failed.map((failure) => failure.index),
  };
}

function stripIndexes(results) {
  return Object.fromEntries(
    Object.entries(results).map(([mode, byName]) => [
      mode,
      Object.fromEntries(Object.entries(byName).map(([name, { failedIndexes: _, ...rest }]) => [name, rest])),
    ]),
  );
}

// Alone: merge into the last full run's results and page rather than rewriting them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  mergeAloneRun("writeRows", await benchWriteRows(), TITLE);
