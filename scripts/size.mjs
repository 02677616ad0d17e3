// Runtime size of each public entry point as a user's bundler sees it: esbuild --bundle --minify (ESM), then gzip.
// Prints figures only; budgets are judged by the bench task and the issue notes, never asserted in tests.
import { build } from "esbuild";
import { gzipSync } from "node:zlib";

const entries = [{ name: "@dealcloud-ts/auth", file: "packages/auth/dist/index.js", budget: 2560 }];
const rows = [];
for (const { name, file, budget } of entries) {
  const out = await build({ entryPoints: [file], bundle: true, minify: true, format: "esm", write: false, platform: "neutral", metafile: true });
  const [output] = Object.values(out.metafile.outputs);
  const modules = Object.entries(output.inputs).map(([path, { bytesInOutput }]) => ({ module: path.replace(/^.*packages\//, ""), "min (B)": bytesInOutput }));
  console.log(`${name}: where the minified bytes go`);
  console.table(modules.filter((m) => m["min (B)"] > 0).sort((a, b) => b["min (B)"] - a["min (B)"]));
  const code = out.outputFiles[0].contents;
  const gzip = gzipSync(code, { level: 9 }).length;
  rows.push({ entry: name, "min (B)": code.length, "min+gzip (B)": gzip, "budget (B)": budget, "within": gzip <= budget ? "yes" : "NO" });
}
console.table(rows);
