// 1. Bundle size of one-line consumers, as a user's bundler sees them: esbuild (minified ESM, neutral platform),
// then gzip level 9 and brotli at maximum quality.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { fmt, ratio, table } from "./report.mjs";

const API_PACKAGES = [
  ["data", "createDataClient", "data"],
  ["schema", "createSchemaClient", "schema"],
  ["user-management", "createUserManagementClient", "userManagement"],
  ["publications", "createPublicationsClient", "publications"],
  ["ri-import", "createRiImportClient", "riImport"],
  ["backups", "createBackupsClient", "backups"],
];

const AUTH_BUDGET = 2560;
const CLIENT_BUDGET = 6144;

const consumers = [
  { name: "@dealcloud-ts/auth (createTokenManager)", code: `import { createTokenManager } from "@dealcloud-ts/auth";\nglobalThis.x = createTokenManager;`, budget: AUTH_BUDGET, ours: true },
  { name: "@dealcloud-ts/client (createDealCloud)", code: `import { createDealCloud } from "@dealcloud-ts/client";\nglobalThis.x = createDealCloud;`, ours: true },
  ...API_PACKAGES.map(([pkg, fn]) => ({
    name: `@dealcloud-ts/${pkg} (${fn})`,
    code: `import { ${fn} } from "@dealcloud-ts/${pkg}";\nglobalThis.x = ${fn};`,
    budget: CLIENT_BUDGET,
    ours: true,
    api: true,
  })),
  {
    name: "createDealCloud + all six descriptors",
    code: [
      `import { createDealCloud } from "@dealcloud-ts/client";`,
      ...API_PACKAGES.map(([pkg, , d]) => `import { ${d} } from "@dealcloud-ts/${pkg}";`),
      `globalThis.x = (o) => createDealCloud({ ...o, apis: { ${API_PACKAGES.map(([, , d]) => d).join(", ")} } });`,
    ].join("\n"),
    ours: true,
    combined: true,
  },
  { name: "openapi-fetch (createClient)", code: `import createClient from "openapi-fetch";\nglobalThis.x = createClient;` },
  { name: "@badgateway/oauth2-client (OAuth2Client + OAuth2Fetch)", code: `import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";\nglobalThis.x = [OAuth2Client, OAuth2Fetch];` },
  {
    name: "oauth4webapi (client-credentials functions)",
    code: `import { ClientSecretPost, clientCredentialsGrantRequest, processClientCredentialsResponse } from "oauth4webapi";\nglobalThis.x = [ClientSecretPost, clientCredentialsGrantRequest, processClientCredentialsResponse];`,
  },
  { name: "ky", code: `import ky from "ky";\nglobalThis.x = ky;` },
  { name: "axios", code: `import axios from "axios";\nglobalThis.x = axios;` },
];

const options = { bundle: true, minify: true, format: "esm", platform: "neutral", mainFields: ["module", "main"], conditions: ["import", "default"], write: false, logLevel: "silent" };

/** The neutral build; a peer whose neutral build needs Node built-ins is built again as its browser bundle. */
async function bundle(file) {
  try {
    return { code: (await build({ ...options, entryPoints: [file] })).outputFiles[0].contents, browser: false };
  } catch (error) {
    if (!/Could not resolve "[a-z:]+"/.test(error.errors?.[0]?.text ?? "")) throw error;
    const browser = { ...options, platform: "browser", mainFields: ["browser", "module", "main"], conditions: ["browser", "import", "default"] };
    return { code: (await build({ ...browser, entryPoints: [file] })).outputFiles[0].contents, browser: true };
  }
}

export async function benchBundles() {
  const dir = fileURLToPath(new URL("../.bundle-tmp/", import.meta.url)); // inside bench/, so bare imports resolve
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const results = [];
  try {
    for (const [i, consumer] of consumers.entries()) {
      const file = `${dir}consumer-${i}.mjs`;
      writeFileSync(file, consumer.code + "\n");
      try {
        const { code, browser } = await bundle(file);
        results.push({
          ...consumer,
          name: browser ? `${consumer.name} [browser build]` : consumer.name,
          min: code.length,
          gzip: gzipSync(code, { level: 9 }).length,
          brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }).length,
        });
      } catch (error) {
        results.push({ ...consumer, error: String(error.errors?.[0]?.text ?? error.message).split("\n")[0] });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const auth = results[0];
  const rows = results.map((r) => ({
    consumer: r.name,
    "min (B)": r.error ? "n/a" : fmt(r.min),
    "gzip (B)": r.error ? "n/a" : fmt(r.gzip),
    "brotli (B)": r.error ? "n/a" : fmt(r.brotli),
    "gzip vs auth": r.error ? "n/a" : ratio(r.gzip, auth.gzip),
    budget: r.budget ? `≤ ${fmt(r.budget)} gzip: ${r.gzip <= r.budget ? "within" : "OVER"}` : r.error ? `build failed: ${r.error}` : "",
  }));
  const apis = results.filter((r) => r.api && !r.error);
  const combined = results.find((r) => r.combined);
  const sum = apis.reduce((acc, r) => ({ min: acc.min + r.min, gzip: acc.gzip + r.gzip, brotli: acc.brotli + r.brotli }), { min: 0, gzip: 0, brotli: 0 });
  table("Bundle size", rows, [
    "esbuild `bundle, minify, format: esm, platform: neutral`, main fields `module, main`, conditions `import, default`; gzip level 9, brotli quality 11.",
    "Peers marked [browser build] need Node built-ins in the neutral build (`crypto`, `events`), so they are measured as esbuild's browser platform with the `browser` field and condition, as a web bundler would.",
    `Budgets from the issue: auth alone ≤ ${fmt(AUTH_BUDGET)} B gzip; auth + client + one API ≤ ${fmt(CLIENT_BUDGET)} B gzip (each createXClient row). Reported, never enforced.`,
  ]);
  table("Shared runtime: six API clients bundled separately vs together", [
    { bundle: "sum of the six createXClient bundles", "min (B)": fmt(sum.min), "gzip (B)": fmt(sum.gzip), "brotli (B)": fmt(sum.brotli), "vs combined": ratio(sum.gzip, combined.gzip) },
    { bundle: "createDealCloud with all six descriptors", "min (B)": fmt(combined.min), "gzip (B)": fmt(combined.gzip), "brotli (B)": fmt(combined.brotli), "vs combined": "1.00×" },
  ], ["The combined bundle holds the shared runtime (auth, client, openapi-fetch) once: it is far below the sum of six separate bundles."]);
  return { consumers: results.map(({ code, ours, api, combined, ...r }) => r), sumOfSix: sum, combined: { min: combined.min, gzip: combined.gzip, brotli: combined.brotli } };
}
