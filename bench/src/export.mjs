// 7. Bulk export: every company of a mock site seeded with 1,000,000 (BENCH_EXPORT_ROWS overrides) written to an
// NDJSON file, four ways, each in a fresh child process, with the mock in another one on loopback.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fmt, ratio, table } from "./report.mjs";

const ROWS = Number(process.env.BENCH_EXPORT_ROWS ?? 1_000_000);
/** Interleaved rounds (a, b, c, d, a, b, …); the best rows/s of each way counts. One by default: 1M rows take long. */
const ROUNDS = Number(process.env.BENCH_EXPORT_ROUNDS ?? 1);
const SMALL = 100_000;
const here = new URL("./export/", import.meta.url);

/** Starts a child and resolves with its first stdout line, parsed. */
async function child(script, args) {
  const process_ = spawn(process.execPath, [new URL(script, here).pathname, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: process_.stdout });
  const [line] = await once(lines, "line");
  return { process: process_, answer: JSON.parse(line) };
}

async function serveMock(companies) {
  const { process: server, answer } = await child("serve-mock.mjs", [String(companies)]);
  return { url: answer.url, stop: () => server.kill() };
}

/** Exports with `way` in a fresh process: rows, ms, peak RSS. */
async function exportOnce(way, url, dir) {
  const { process: exporter, answer } = await child("exporter.mjs", [way, url, join(dir, `${way}.ndjson`)]);
  await once(exporter, "exit");
  return { ...answer, perSecond: answer.rows / (answer.ms / 1000) };
}

const WAYS = [
  ["raw-sequential", "(a) raw fetch, sequential skip/limit loop"],
  ["ours-1", "(b) iterateRows, concurrency 1"],
  ["ours-4", "(c) iterateRows, concurrency 4"],
  ["raw-4", "(d) raw fetch, 4 pages in flight, written in order"],
];

export async function benchExport() {
  const dir = mkdtempSync(join(tmpdir(), "dealcloud-export-"));
  const big = await serveMock(ROWS);
  const small = await serveMock(SMALL);
  try {
    const runs = {};
    for (let round = 0; round < ROUNDS; round++) {
      for (const [way] of WAYS) {
        const run = await exportOnce(way, big.url, dir);
        if (!runs[way] || run.perSecond > runs[way].perSecond) runs[way] = run;
      }
    }
    const smallRun = await exportOnce("ours-4", small.url, dir);
    const smallRaw = await exportOnce("raw-4", small.url, dir);
    const a = runs["raw-sequential"].perSecond;
    const d = runs["raw-4"].perSecond;
    table(
      "Bulk export to NDJSON",
      WAYS.map(([way, label]) => ({
        way: label,
        rows: fmt(runs[way].rows),
        "rows/s": fmt(runs[way].perSecond),
        "vs (a)": ratio(runs[way].perSecond, a),
        "peak RSS (MiB)": fmt(runs[way].maxRssMiB),
      })),
      [
        `The mock (\`serveMockDealCloud\`, seeded with ${fmt(ROWS)} companies) runs in its own process on loopback; each way exports every company to an NDJSON file from a fresh child process (pages of 1,000 rows, one JSON line per row, the same 64 KiB buffered writer with backpressure). ${ROUNDS === 1 ? "One run each" : `Best of ${ROUNDS} interleaved rounds`}; the machine is shared, so compare the ratios. Targets: (b) ≥ 0.95 × (a), (c) ≥ 0.9 × (d).`,
        `(b) / (a) = ${ratio(runs["ours-1"].perSecond, a)}; (c) / (d) = ${ratio(runs["ours-4"].perSecond, d)}.`,
      ],
    );
    const flat = runs["ours-4"].maxRssMiB / smallRun.maxRssMiB;
    table(
      "Export memory",
      [
        {
          rows: fmt(SMALL),
          "(c) iterateRows, concurrency 4 (MiB)": fmt(smallRun.maxRssMiB, 1),
          "(d) raw, 4 in flight (MiB)": fmt(smallRaw.maxRssMiB, 1),
        },
        {
          rows: fmt(ROWS),
          "(c) iterateRows, concurrency 4 (MiB)": fmt(runs["ours-4"].maxRssMiB, 1),
          "(d) raw, 4 in flight (MiB)": fmt(runs["raw-4"].maxRssMiB, 1),
        },
      ],
      [
        `Peak RSS (\`process.resourceUsage().maxRSS\`) of the exporting process, ${fmt(SMALL)} vs ${fmt(ROWS)} rows: ratio ${flat.toFixed(2)} for \`iterateRows\` (target ≤ 1.2), ${(runs["raw-4"].maxRssMiB / smallRaw.maxRssMiB).toFixed(2)} for the raw loop beside it.`,
      ],
    );
    return {
      rows: ROWS,
      ways: Object.fromEntries(WAYS.map(([way]) => [way, runs[way]])),
      oursOverRawSequential: runs["ours-1"].perSecond / a,
      oursFourOverRawFour: runs["ours-4"].perSecond / d,
      rss: {
        smallRows: SMALL,
        smallMiB: smallRun.maxRssMiB,
        bigRows: ROWS,
        bigMiB: runs["ours-4"].maxRssMiB,
        ratio: flat,
      },
    };
  } finally {
    big.stop();
    small.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
