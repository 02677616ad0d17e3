// Runtime size of the entry points as a user's bundler sees them: a one-line consumer bundled by esbuild
// (--bundle --minify, ESM), then gzip. `--check` fails when an entry grows past its ceiling in size-budgets.json:
// the ceilings hold today's sizes so nothing grows unnoticed, while the targets (from the benchmarks issue) are
// what the sizes must come down to; lower a ceiling whenever a change shrinks its entry.
import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const budgets = JSON.parse(readFileSync("size-budgets.json", "utf8")).entries;
const check = process.argv.includes("--check");

/** One-line consumers: the code, and the folder whose node_modules resolve its imports. */
const consumers = {
  "@dealcloud-ts/auth": {
    dir: "packages/auth",
    code: 'import { createTokenManager } from "./dist/index.js"; globalThis.used = createTokenManager;',
  },
  "auth + client + data": {
    dir: "packages/data",
    code: 'import { createDataClient } from "./dist/index.js"; globalThis.used = createDataClient;',
  },
  // What a createDealCloud user imports: each API's descriptor. (Whole namespaces would also count the helpers
  // an API package exports beside it, e.g. data's writeRows, which such a user does not import.)
  "createDealCloud, all six APIs": {
    dir: "bench",
    code: [
      'import { createDealCloud } from "@dealcloud-ts/client";',
      ...[
        ["data", "data"],
        ["schema", "schema"],
        ["userManagement", "user-management"],
        ["publications", "publications"],
        ["riImport", "ri-import"],
        ["backups", "backups"],
      ].map(([name, pkg]) => `import { ${name} } from "@dealcloud-ts/${pkg}";`),
      "globalThis.used = [createDealCloud, data, schema, userManagement, publications, riImport, backups];",
    ].join("\n"),
  },
  "auth + client + schema": {
    dir: "packages/schema",
    code: 'import { createSchemaClient } from "./dist/index.js"; globalThis.used = createSchemaClient;',
  },
  "auth + client + publications": {
    dir: "packages/publications",
    code: 'import { createPublicationsClient } from "./dist/index.js"; globalThis.used = createPublicationsClient;',
  },
  "auth + client + ri-import": {
    dir: "packages/ri-import",
    code: 'import { createRiImportClient } from "./dist/index.js"; globalThis.used = createRiImportClient;',
  },
  "auth + client + backups": {
    dir: "packages/backups",
    code: 'import { createBackupsClient } from "./dist/index.js"; globalThis.used = createBackupsClient;',
  },
  "writeRows (data)": {
    dir: "packages/data",
    code: 'import { writeRows } from "./dist/index.js"; globalThis.used = writeRows;',
  },
  "data: iterateRows + paginateRows": {
    dir: "packages/data",
    code: 'import { createDataClient, iterateRows, paginateRows } from "./dist/index.js"; globalThis.used = [createDataClient, iterateRows, paginateRows];',
  },
  "data: syncEntries": {
    dir: "packages/data",
    code: 'import { createDataClient, syncEntries } from "./dist/index.js"; globalThis.used = [createDataClient, syncEntries];',
  },
  "user-management: paginateUsers": {
    dir: "packages/user-management",
    code: 'import { createUserManagementClient, paginateUsers } from "./dist/index.js"; globalThis.used = [createUserManagementClient, paginateUsers];',
  },
  "consumePublications (publications/consumer)": {
    dir: "packages/publications",
    code: 'import { consumePublications } from "./dist/consumer/index.js"; globalThis.used = consumePublications;',
  },
  "createSite (site)": {
    dir: "packages/site",
    code: 'import { createSite } from "./dist/index.js"; globalThis.used = createSite;',
  },
};

const rows = [];
let over = 0;
for (const [name, { dir, code }] of Object.entries(consumers)) {
  const out = await build({
    stdin: { contents: code, resolveDir: dir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    write: false,
    platform: "neutral",
    mainFields: ["module", "main"],
  });
  const bytes = out.outputFiles[0].contents;
  const gzip = gzipSync(bytes, { level: 9 }).length;
  const { target, ceiling } = budgets[name] ?? {};
  if (ceiling === undefined) throw new Error(`size-budgets.json has no entry for "${name}".`);
  if (gzip > ceiling) over++;
  rows.push({
    entry: name,
    "min (B)": bytes.length,
    "min+gzip (B)": gzip,
    "ceiling (B)": ceiling,
    "target (B)": target ?? "",
    "vs ceiling": gzip > ceiling ? "OVER" : "ok",
    "vs target": target === undefined ? "" : gzip <= target ? "met" : `${(gzip / target).toFixed(2)}x`,
  });
}
console.table(rows);
if (check && over > 0) {
  console.error(
    `size: ${over} entry point(s) grew past their ceiling in size-budgets.json. Shrink them, or raise the ceiling in the same change and say why.`,
  );
  process.exit(1);
}
