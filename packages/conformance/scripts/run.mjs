// Runs the conformance suite in every runtime against one mock DealCloud on loopback, then prints a table of
// runtime × version × result. `node scripts/run.mjs [name ...]` runs only the runtimes whose names contain one
// of the words given (e.g. `deno bun`). Exit status 1 when any runtime fails.
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";

/**
 * @typedef {{ mockUrl: string, log: (line: string) => void }} RunContext
 * @typedef {{ name: string, version: () => Promise<string>, run: (context: RunContext) => Promise<{ code: number, output: string }> }} Runtime
 */

// Every module in runtimes/ exports `runtimes`, an array of Runtime; they run in file-name order.
/** @type {Runtime[]} */
const runtimes = [];
const folder = join(import.meta.dirname, "runtimes");
for (const file of readdirSync(folder)
  .filter((name) => name.endsWith(".mjs"))
  .sort()) {
  runtimes.push(...(await import(pathToFileURL(join(folder, file)).href)).runtimes);
}

const wanted = process.argv.slice(2).map((word) => word.toLowerCase());
const chosen =
  wanted.length === 0
    ? runtimes
    : runtimes.filter((runtime) => wanted.some((word) => runtime.name.toLowerCase().includes(word)));
if (chosen.length === 0) {
  console.error(
    `No runtime matches ${wanted.join(", ")}; there are: ${runtimes.map((runtime) => runtime.name).join(", ")}.`,
  );
  process.exit(2);
}

const site = await serveMockDealCloud({ port: 0, controlApi: true });
const rows = [];
try {
  for (const runtime of chosen) {
    const started = Date.now();
    const log = (line) => console.log(`[${runtime.name}] ${line}`);
    let version = "?";
    let outcome;
    try {
      version = await runtime.version();
      outcome = await runtime.run({ mockUrl: site.url, log });
    } catch (error) {
      outcome = { code: 1, output: `could not run: ${error.message}` };
      log(outcome.output);
    }
    const summary = /(\d+) passed, (\d+) failed/.exec(
      outcome.output
        .trim()
        .split("\n")
        .reverse()
        .find((line) => /passed, \d+ failed/.test(line)) ?? "",
    );
    const passed = summary ? Number(summary[1]) : 0;
    const failed = summary ? Number(summary[2]) : 1;
    const ok = outcome.code === 0 && summary !== null && failed === 0 && passed > 0;
    rows.push({
      runtime: runtime.name,
      version,
      passed,
      failed,
      result: ok ? "pass" : "FAIL",
      seconds: Number(((Date.now() - started) / 1000).toFixed(1)),
    });
  }
} finally {
  await site.close();
}

console.log("\n| runtime | version | result | passed | failed | seconds |\n|---|---|---|---|---|---|");
for (const row of rows)
  console.log(`| ${row.runtime} | ${row.version} | ${row.result} | ${row.passed} | ${row.failed} | ${row.seconds} |`);
const results = join(import.meta.dirname, "../results");
mkdirSync(results, { recursive: true });
writeFileSync(join(results, "conformance.json"), `${JSON.stringify(rows, null, 2)}\n`);
const bad = rows.filter((row) => row.result !== "pass");
console.log(
  bad.length === 0
    ? `\nconformance: every runtime passed (${rows.length})`
    : `\nconformance: ${bad.length} of ${rows.length} runtimes failed`,
);
process.exitCode = bad.length === 0 ? 0 : 1;
