// Child process of the export benchmark: exports every company of the mock at `argv[3]` to an NDJSON file
// (`argv[4]`) one way (`argv[2]`), then prints `{ rows, ms, maxRssMiB }`. Each way runs in a fresh process, so
// the peak RSS is the export's own.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { iterateRows, createDataClient } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";

const [way, site, file] = process.argv.slice(2);
const PAGE = 1000;

/** Rows as NDJSON lines, flushed in 64 KiB chunks, waiting for the file when it asks (backpressure). */
function ndjson(path) {
  const out = createWriteStream(path);
  let buffer = "";
  return {
    async write(row) {
      buffer += `${JSON.stringify(row)}\n`;
      if (buffer.length < 65_536) return;
      const full = !out.write(buffer);
      buffer = "";
      if (full) await once(out, "drain");
    },
    async close() {
      out.end(buffer);
      await once(out, "finish");
    },
  };
}

async function rawToken() {
  const response = await fetch(`${site}/api/rest/v1/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: DEFAULT_MOCK_CLIENT.clientId,
      client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
      scope: "data",
    }),
  });
  return (await response.json()).access_token;
}

/** The hand-written loop an integrator writes today: skip/limit, one page at a time, stop on total or short page. */
async function rawSequential(writer) {
  const token = await rawToken();
  let rows = 0;
  for (let skip = 0; ; skip += PAGE) {
    const response = await fetch(`${site}/api/rest/v4/data/entrydata/rows/company?limit=${PAGE}&skip=${skip}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`raw: ${response.status}`);
    const page = await response.json();
    for (const row of page.rows) await writer.write(row);
    rows += page.rows.length;
    if (page.rows.length < PAGE || skip + PAGE >= page.totalRecords) return rows;
  }
}

/** The same loop with 4 pages in flight, written in order: what the machine allows. */
async function rawFourInFlight(writer) {
  const token = await rawToken();
  const read = async (skip) => {
    const response = await fetch(`${site}/api/rest/v4/data/entrydata/rows/company?limit=${PAGE}&skip=${skip}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    if (!response.ok) throw new Error(`raw: ${response.status}`);
    return response.json();
  };
  const first = await read(0);
  const pages = Math.ceil(first.totalRecords / PAGE);
  let next = 1;
  const ahead = [];
  while (ahead.length < 4 && next < pages) ahead.push(read(next++ * PAGE));
  let rows = 0;
  for (let page = first; ; ) {
    for (const row of page.rows) await writer.write(row);
    rows += page.rows.length;
    if (ahead.length === 0) return rows;
    page = await ahead.shift();
    if (next < pages) ahead.push(read(next++ * PAGE));
  }
}

async function ours(writer, concurrency) {
  const client = createDataClient({ baseUrl: site, ...DEFAULT_MOCK_CLIENT });
  let rows = 0;
  for await (const row of iterateRows(client, { entryTypeId: "company", concurrency })) {
    await writer.write(row);
    rows++;
  }
  return rows;
}

const writer = ndjson(file);
const started = performance.now();
const rows =
  way === "raw-sequential"
    ? await rawSequential(writer)
    : way === "raw-4"
      ? await rawFourInFlight(writer)
      : await ours(writer, way === "ours-4" ? 4 : 1);
await writer.close();
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ rows, ms, maxRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
