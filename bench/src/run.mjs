// `pnpm bench`: every measurement in one run; prints tables, writes bench/results.json and docs/guides/performance.md.
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { benchBundles } from "./bundle.mjs";
import { benchCliExport } from "./cli-export.mjs";
import { benchEndToEnd } from "./e2e.mjs";
import { benchExport } from "./export.mjs";
import { benchPerRequest } from "./per-request.mjs";
import { profileOurs } from "./profile.mjs";
import { benchPublicationsConsume } from "./publications-consume.mjs";
import { fmt, sections, table } from "./report.mjs";
import { benchSharedStores } from "./shared-stores.mjs";
import { benchSiteUpsert } from "./site-upsert.mjs";
import { benchSync } from "./sync.mjs";
import { benchTokenCalls } from "./token-calls.mjs";
import { benchTokenHotPath } from "./token-hot.mjs";
import { benchWriteRows } from "./write-rows.mjs";

const started = performance.now();
const date = new Date().toISOString();
const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
table("Machine", [
  {
    date,
    CPU: machine.cpu,
    cores: machine.cores,
    memory: `${machine.memoryGiB} GiB`,
    Node: machine.node,
    platform: machine.platform,
  },
]);

const results = { date, machine };
results.bundle = await benchBundles();
results.perRequest = await benchPerRequest();
results.endToEnd = await benchEndToEnd();
results.tokenHotPath = await benchTokenHotPath();
results.tokenCalls = await benchTokenCalls();
results.profile = await profileOurs();
results.writeRows = await benchWriteRows();
results.export = await benchExport();
results.siteUpsert = await benchSiteUpsert();
results.sync = await benchSync();
results.sharedStores = await benchSharedStores();
results.cliExport = await benchCliExport();
results.publicationsConsume = await benchPublicationsConsume();
results.totalSeconds = (performance.now() - started) / 1000;
console.log(`\nTotal run time: ${fmt(results.totalSeconds, 1)} s`);

writeFileSync(new URL("../results.json", import.meta.url), `${JSON.stringify(results, null, 2)}\n`);
const page = [
  "---",
  "title: Performance",
  "group: Guides",
  "---",
  "",
  "# Performance",
  "",
  `Figures of one run of the benchmark package (\`bench/\`) on ${date.slice(0, 10)}: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}. The whole run took ${fmt(results.totalSeconds, 0)} s. Absolute numbers depend on the machine; compare the ratios.`,
  "",
  "Reproduce with `./pnpmw bench` from the repository root (it builds the packages first, through turbo). It prints these tables, writes every figure to `bench/results.json` and rewrites this page.",
  "",
  ...sections.map((s) => s.replace(/^## /, "## ")),
].join("\n");
writeFileSync(new URL("../../docs/guides/performance.md", import.meta.url), page);
console.log("Wrote bench/results.json and docs/guides/performance.md");
