// 1. Bundle size of one-line consumers, as a user's bundler sees them: esbuild (minified ESM, neutral platform),
// then gzip level 9 and brotli at maximum quality.
import { build } from "esbuild";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import ts from "typescript";
import { fmt, ratio, table } from "./report.mjs";

const API_PACKAGES = [
  ["data", "createDataClient", "data"],
  ["schema", "createSchemaClient", "schema"],
  ["user-management", "createUserManagementClient", "userManagement"],
  ["publications", "createPublicationsClient", "publications"],
  ["ri-import", "createRiImportClient", "riImport"],
  ["backups", "createBackupsClient", "backups"],
];

// The hardening issue's allowances (its measured ceilings + 150 B), which replaced the benchmarks issue's budgets.
const AUTH_BUDGET = 4950;
const DATA_BUDGET = 9650;
const ALL_SIX_BUDGET = 10450;

const consumers = [
  {
    name: "@dealcloud-ts/auth (createTokenManager)",
    code: `import { createTokenManager } from "@dealcloud-ts/auth";\nglobalThis.x = createTokenManager;`,
    budget: AUTH_BUDGET,
    ours: true,
  },
  {
    name: "@dealcloud-ts/client (createDealCloud)",
    code: `import { createDealCloud } from "@dealcloud-ts/client";\nglobalThis.x = createDealCloud;`,
    ours: true,
  },
  ...API_PACKAGES.map(([pkg, fn]) => ({
    name: `@dealcloud-ts/${pkg} (${fn})`,
    code: `import { ${fn} } from "@dealcloud-ts/${pkg}";\nglobalThis.x = ${fn};`,
    budget: pkg === "data" ? DATA_BUDGET : undefined,
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
    budget: ALL_SIX_BUDGET,
  },
  {
    name: "openapi-fetch (createClient)",
    code: `import createClient from "openapi-fetch";\nglobalThis.x = createClient;`,
  },
  {
    name: "@badgateway/oauth2-client (OAuth2Client + OAuth2Fetch)",
    code: `import { OAuth2Client, OAuth2Fetch } from "@badgateway/oauth2-client";\nglobalThis.x = [OAuth2Client, OAuth2Fetch];`,
  },
  {
    name: "oauth4webapi (client-credentials functions)",
    code: `import { ClientSecretPost, clientCredentialsGrantRequest, processClientCredentialsResponse } from "oauth4webapi";\nglobalThis.x = [ClientSecretPost, clientCredentialsGrantRequest, processClientCredentialsResponse];`,
  },
  { name: "ky", code: `import ky from "ky";\nglobalThis.x = ky;` },
  { name: "axios", code: `import axios from "axios";\nglobalThis.x = axios;` },
];

const options = {
  bundle: true,
  minify: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  conditions: ["import", "default"],
  write: false,
  logLevel: "silent",
};

/** The neutral build; a peer whose neutral build needs Node built-ins is built again as its browser bundle. */
async function bundle(file) {
  try {
    return { code: (await build({ ...options, entryPoints: [file] })).outputFiles[0].contents, browser: false };
  } catch (error) {
    if (!/Could not resolve "[a-z:]+"/.test(error.errors?.[0]?.text ?? "")) throw error;
    const browser = {
      ...options,
      platform: "browser",
      mainFields: ["browser", "module", "main"],
      conditions: ["browser", "import", "default"],
    };
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
      writeFileSync(file, `${consumer.code}\n`);
      try {
        const { code, browser } = await bundle(file);
        results.push({
          ...consumer,
          name: browser ? `${consumer.name} [browser build]` : consumer.name,
          min: code.length,
          gzip: gzipSync(code, { level: 9 }).length,
          brotli: brotliCompressSync(code, {
            params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY },
          }).length,
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
    budget: r.budget
      ? `≤ ${fmt(r.budget)} gzip: ${r.gzip <= r.budget ? "within" : "OVER"}`
      : r.error
        ? `build failed: ${r.error}`
        : "",
  }));
  const apis = results.filter((r) => r.api && !r.error);
  const combined = results.find((r) => r.combined);
  const sum = apis.reduce(
    (acc, r) => ({ min: acc.min + r.min, gzip: acc.gzip + r.gzip, brotli: acc.brotli + r.brotli }),
    { min: 0, gzip: 0, brotli: 0 },
  );
  table("Bundle size", rows, [
    "esbuild `bundle, minify, format: esm, platform: neutral`, main fields `module, main`, conditions `import, default`; gzip level 9, brotli quality 11.",
    "Peers marked [browser build] need Node built-ins in the neutral build (`crypto`, `events`), so they are measured as esbuild's browser platform with the `browser` field and condition, as a web bundler would.",
    `Budgets from the hardening issue: auth alone ≤ ${fmt(AUTH_BUDGET)} B gzip, \`createDataClient\` ≤ ${fmt(DATA_BUDGET)} B, \`createDealCloud\` with all six descriptors ≤ ${fmt(ALL_SIX_BUDGET)} B. \`./pnpmw test\` also holds every entry of \`scripts/size.mjs\` to its ceiling in \`size-budgets.json\` (today's size), so nothing grows unnoticed.`,
  ]);
  table(
    "Shared runtime: six API clients bundled separately vs together",
    [
      {
        bundle: "sum of the six createXClient bundles",
        "min (B)": fmt(sum.min),
        "gzip (B)": fmt(sum.gzip),
        "brotli (B)": fmt(sum.brotli),
        "vs combined": ratio(sum.gzip, combined.gzip),
      },
      {
        bundle: "createDealCloud with all six descriptors",
        "min (B)": fmt(combined.min),
        "gzip (B)": fmt(combined.gzip),
        "brotli (B)": fmt(combined.brotli),
        "vs combined": "1.00×",
      },
    ],
    [
      "The combined bundle holds the shared runtime (auth, client and its request core) once: it is far below the sum of six separate bundles.",
    ],
  );
  const breakdown = await whereTheBytesGo();
  return {
    consumers: results.map(({ code, ours, api, combined, ...r }) => r),
    sumOfSix: sum,
    combined: { min: combined.min, gzip: combined.gzip, brotli: combined.brotli },
    breakdown,
  };
}

/** The package (or, for auth, the module) a bundled input file belongs to. */
function partOf(path) {
  const auth = path.match(/packages\/auth\/dist\/([\w-]+)\.js$/);
  if (auth) return `@dealcloud-ts/auth: ${auth[1]}.js`;
  const ours = path.match(/packages\/([\w-]+)\/dist\//);
  if (ours) return `@dealcloud-ts/${ours[1]}`;
  return path.match(/node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/)?.[1] ?? path;
}

/**
 * Message text: string and template literals of at least 12 characters, property names aside (error messages, log
 * lines and a few constants such as media types). Returns their length and the code with their text cut out, to
 * measure what the text costs after gzip.
 */
function messageText(code) {
  const source = ts.createSourceFile("bundle.js", code, ts.ScriptTarget.Latest, true);
  const cuts = [];
  const literal = (node, text, closer) =>
    void cuts.push({ from: node.getStart(source) + 1, to: node.end - closer, chars: text.length });
  const visit = (node) => {
    // Property names (the descriptor's "METHOD /path" keys) are data, not messages.
    const isKey = node.parent !== undefined && ts.isPropertyAssignment(node.parent) && node.parent.name === node;
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text.length >= 12 && !isKey)
      literal(node, node.text, 1);
    else if (ts.isTemplateExpression(node)) {
      const pieces = [node.head, ...node.templateSpans.map((span) => span.literal)];
      if (pieces.reduce((n, piece) => n + piece.text.length, 0) >= 12) {
        for (const piece of pieces) literal(piece, piece.text, ts.isTemplateTail(piece) ? 1 : 2);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let stripped = code;
  for (const cut of cuts.sort((a, b) => b.from - a.from))
    stripped = stripped.slice(0, cut.from) + stripped.slice(cut.to);
  return { chars: cuts.reduce((n, cut) => n + cut.chars, 0), stripped };
}

/** Where the minified bytes of the Data client's bundle go, by package and, in auth, by module. */
async function whereTheBytesGo() {
  const out = await build({
    ...options,
    stdin: {
      contents: `import { createDataClient } from "@dealcloud-ts/data";\nglobalThis.x = createDataClient;`,
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "js",
    },
    metafile: true,
  });
  const code = out.outputFiles[0].contents;
  const text = new TextDecoder().decode(code);
  const parts = new Map();
  for (const [path, input] of Object.entries(Object.values(out.metafile.outputs)[0].inputs)) {
    parts.set(partOf(path), (parts.get(partOf(path)) ?? 0) + input.bytesInOutput);
  }
  const rows = [...parts].filter(([part, bytes]) => bytes > 0 && part !== "<stdin>").sort((a, b) => b[1] - a[1]);
  const messages = messageText(text);
  const gzip = gzipSync(code, { level: 9 }).length;
  const gzipWithoutMessages = gzipSync(messages.stripped, { level: 9 }).length;
  table(
    "Where the bytes of createDataClient go",
    [
      ...rows.map(([part, bytes]) => ({
        part,
        "min (B)": fmt(bytes),
        share: `${((100 * bytes) / code.length).toFixed(1)} %`,
      })),
      {
        part: "of which: message text (literals of 12+ characters, keys aside)",
        "min (B)": fmt(messages.chars),
        share: `${((100 * messages.chars) / code.length).toFixed(1)} %`,
      },
    ],
    [
      `Minified bytes of each part in the bundle of \`import { createDataClient } from "@dealcloud-ts/data"\` (${fmt(code.length)} B min, ${fmt(gzip)} B gzip; esbuild metafile). The last row is the text of error messages that say what to fix, and of log lines: without it the bundle would be ${fmt(gzipWithoutMessages)} B gzip, so the text costs ${fmt(gzip - gzipWithoutMessages)} B gzip.`,
    ],
  );
  // The same question for auth alone, against its budget: how far would dropping every message get it?
  const auth = await build({
    ...options,
    stdin: {
      contents: `import { createTokenManager } from "@dealcloud-ts/auth";\nglobalThis.x = createTokenManager;`,
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "js",
    },
  });
  const authCode = auth.outputFiles[0].contents;
  const authGzip = gzipSync(authCode, { level: 9 }).length;
  const authWithoutMessages = gzipSync(messageText(new TextDecoder().decode(authCode)).stripped, { level: 9 }).length;
  table(
    "Budgets against the bundles without their message text",
    [
      {
        consumer: "@dealcloud-ts/auth (createTokenManager)",
        "gzip (B)": fmt(authGzip),
        "gzip without message text (B)": fmt(authWithoutMessages),
        "budget (B)": fmt(AUTH_BUDGET),
      },
      {
        consumer: "@dealcloud-ts/data (createDataClient)",
        "gzip (B)": fmt(gzip),
        "gzip without message text (B)": fmt(gzipWithoutMessages),
        "budget (B)": fmt(DATA_BUDGET),
      },
    ],
    [
      authWithoutMessages > AUTH_BUDGET && gzipWithoutMessages > DATA_BUDGET
        ? "Even with every message cut out, both bundles stay above the issue's budgets: what remains is code (in the Data client, its request core included)."
        : authGzip <= AUTH_BUDGET && gzip <= DATA_BUDGET
          ? "Both bundles are within their budgets."
          : "The message text is what a bundle would have to lose (or shorten) to come within its budget here; without any, each would be.",
    ],
  );
  return {
    totalMin: code.length,
    gzip,
    parts: Object.fromEntries(rows),
    messageChars: messages.chars,
    gzipWithoutMessages,
    auth: { gzip: authGzip, gzipWithoutMessages: authWithoutMessages },
  };
}
