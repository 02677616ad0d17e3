// Writes the runtime table of the last conformance run (results/conformance.json) into the README between the
// conformance markers: `node scripts/readme-table.mjs` after `pnpm conformance`. `--check` fails instead when
// the README's table differs from the results, so a stale table cannot land.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const readmePath = join(import.meta.dirname, "../../../README.md");
const rows = JSON.parse(readFileSync(join(import.meta.dirname, "../results/conformance.json"), "utf8"));
const start = "<!-- conformance:start -->";
const end = "<!-- conformance:end -->";
const table = [
  start,
  "| runtime | version | result |",
  "|---|---|---|",
  // Debian updates Chromium on its own schedule: the table names its major version only, so it stays stable.
  ...rows.map(
    (row) =>
      `| ${row.runtime} | ${row.runtime === "Chromium" ? row.version.split(".")[0] : row.version} | ${row.result === "pass" ? `pass (${row.passed}/${row.passed + row.failed})` : `FAIL (${row.failed} of ${row.passed + row.failed})`} |`,
  ),
  end,
].join("\n");

const readme = readFileSync(readmePath, "utf8");
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < 0) throw new Error(`README.md needs the markers ${start} and ${end}.`);
const updated = readme.slice(0, from) + table + readme.slice(to + end.length);
if (process.argv.includes("--check")) {
  if (updated !== readme) {
    console.error(
      "README.md: the runtime table differs from the last conformance run; run `node packages/conformance/scripts/readme-table.mjs`.",
    );
    process.exit(1);
  }
  console.log("README.md: the runtime table matches the conformance run");
} else {
  writeFileSync(readmePath, updated);
  console.log(`README.md: runtime table written (${rows.length} runtimes)`);
}
