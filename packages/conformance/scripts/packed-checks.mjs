// Checks of the packed-and-installed packages that are not the suite: the manifests as published, the .d.ts files
// under Deno's checker and under tsc in four environments, resolution staying inside the fixture, and publint.
// Each check gives { name, status: "ok" | "fail" | "skip", detail, ms }; scripts/runtimes/50-packed.mjs prints them.
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { exec } from "./packed-fixture.mjs";

const pkg = join(import.meta.dirname, "..");
export const node24 = join(pkg, "node_modules/node24/bin/node");
export const deno = join(pkg, "node_modules/.bin/deno");
export const tsc = join(pkg, "node_modules/.bin/tsc");
const typescriptLib = realpathSync(join(pkg, "node_modules/typescript/lib"));

/**
 * @typedef {import("./packed-fixture.mjs").Fixture} Fixture
 * @typedef {import("./packed-fixture.mjs").Entry} Entry
 * @typedef {{ name: string, status: "ok" | "fail" | "skip", detail?: string, ms?: number }} Check
 */

const timed = async (name, run) => {
  const started = Date.now();
  try {
    return { name, ...(await run()), ms: Date.now() - started };
  } catch (error) {
    return {
      name,
      status: "fail",
      detail: error instanceof Error ? error.message : String(error),
      ms: Date.now() - started,
    };
  }
};

/** Every file the installed package.json points at: exports targets, types, main, module, bin. */
function manifestTargets(manifest) {
  const targets = [];
  const walk = (value) => {
    if (typeof value === "string") targets.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === "object") Object.values(value).forEach(walk);
  };
  walk(manifest.exports);
  for (const field of ["main", "module", "types", "typings"])
    if (typeof manifest[field] === "string") targets.push(manifest[field]);
  walk(typeof manifest.bin === "string" ? [manifest.bin] : manifest.bin);
  return [...new Set(targets.filter((target) => !target.includes("*")))];
}

/** The installed copy of each package: the tarball's manifest is published as is, and everything it points at is there. */
export function manifestChecks(fixture) {
  return fixture.packages.map(({ name }) => {
    const started = Date.now();
    const dir = realpathSync(join(fixture.fixture, "node_modules", name));
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    const problems = [];
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies", "devDependencies"]) {
      for (const [dep, spec] of Object.entries(manifest[field] ?? {}))
        if (/^(workspace|catalog):/.test(spec)) problems.push(`${field}.${dep} is still "${spec}"`);
    }
    for (const target of manifestTargets(manifest))
      if (!existsSync(join(dir, target))) problems.push(`points at ${target}, which is not in the tarball`);
    // Declaration and source maps: their sources must ship too, or "go to definition" lands nowhere.
    const maps = walkFiles(join(dir, "dist")).filter((file) => file.endsWith(".map"));
    const missingSources = new Set();
    for (const map of maps) {
      const { sources = [], sourceRoot = "" } = JSON.parse(readFileSync(map, "utf8"));
      for (const source of sources) {
        const path = join(dirname(map), sourceRoot, source);
        if (!existsSync(path)) missingSources.add(relative(dir, path));
      }
    }
    if (missingSources.size)
      problems.push(
        `maps name sources that are not shipped: ${[...missingSources].slice(0, 5).join(", ")}${missingSources.size > 5 ? ", ..." : ""}`,
      );
    return {
      name: `manifest ${name}`,
      status: problems.length ? "fail" : "ok",
      detail: problems.length
        ? problems.join("; ")
        : `${manifestTargets(manifest).length} targets, ${maps.length} maps`,
      ms: Date.now() - started,
    };
  });
}

function walkFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walkFiles(path) : [path];
  });
}

/**
 * Imports every installed entry in Node 24 under the guard (`surface.mjs` in the fixture): one check per entry, and
 * the runtime export names of each, which the type checks compare with the declared ones.
 */
export async function runtimeSurface(fixture) {
  const started = Date.now();
  const { code, output } = await exec(
    node24,
    ["--import", "./guard.mjs", "surface.mjs", ...fixture.entries.map((entry) => entry.specifier)],
    { cwd: fixture.fixture },
  );
  const last = output.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !last.startsWith("{")) {
    return {
      surface: {},
      checks: [
        {
          name: "import every installed entry (Node 24)",
          status: "fail",
          detail: output.trim(),
          ms: Date.now() - started,
        },
      ],
    };
  }
  const found = JSON.parse(last);
  const ms = Math.round((Date.now() - started) / fixture.entries.length);
  const checks = fixture.entries.map(({ specifier }) => {
    const result = found[specifier];
    return result?.exports
      ? {
          name: `import ${specifier} (Node 24, resolved inside the fixture)`,
          status: "ok",
          detail: `${result.exports.length} runtime export${result.exports.length === 1 ? "" : "s"}`,
          ms,
        }
      : {
          name: `import ${specifier} (Node 24, resolved inside the fixture)`,
          status: "fail",
          detail: result?.error ?? "not imported",
          ms,
        };
  });
  const surface = Object.fromEntries(
    Object.entries(found).flatMap(([specifier, result]) => (result.exports ? [[specifier, result.exports]] : [])),
  );
  return { surface, checks };
}

const identifier = (specifier) =>
  specifier.replace(/^@dealcloud-ts\//, "").replace(/[^a-zA-Z0-9]+(.)/g, (_, c) => c.toUpperCase());

/**
 * A TypeScript file importing each entry and checking its declared surface against the runtime one: every runtime
 * export is declared and is not `any` (a broken .d.ts often degrades to `any` silently), and nothing is declared as
 * a value that the module does not export at run time.
 */
function surfaceFile(entries, surface) {
  const lines = [
    "// Generated by scripts/packed-checks.mjs from the installed packages' runtime exports.",
    "type IsAny<T> = 0 extends 1 & T ? true : false;",
    "type NotAny<T> = IsAny<T> extends true ? never : T;",
    "type NoExtra<Declared, Runtime> = [Exclude<Declared, Runtime>] extends [never] ? true : Exclude<Declared, Runtime>;",
  ];
  for (const { specifier } of entries) lines.push(`import * as ${identifier(specifier)} from "${specifier}";`);
  for (const { specifier } of entries) {
    const id = identifier(specifier);
    const names = surface[specifier];
    if (!names) continue; // its import failed at run time (reported by its own check); only its types are read
    const union = names.length ? names.map((name) => JSON.stringify(name)).join(" | ") : "never";
    lines.push(`export const ${id}Declared: { [K in ${union}]: NotAny<(typeof ${id})[K]> } = ${id};`);
    lines.push(`export const ${id}NoExtra: NoExtra<keyof typeof ${id}, ${union}> = true;`);
  }
  return `${lines.join("\n")}\n`;
}

/** `deno check` of every entry in the fixture, where Deno resolves the npm packages from its node_modules. */
export async function denoCheck(fixture, surface) {
  return timed("deno check: every entry (Deno's checker, installed .d.ts)", async () => {
    const file = join(fixture.fixture, "check/deno.ts");
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, surfaceFile(fixture.entries, surface));
    const leaks = await denoLeaks(fixture.fixture, "check/deno.ts");
    if (leaks.length) return { status: "fail", detail: `resolves outside the fixture: ${leaks.join(", ")}` };
    const { code, output } = await exec(deno, ["check", "--quiet", "check/deno.ts"], {
      cwd: fixture.fixture,
      env: { DENO_NO_UPDATE_CHECK: "1" },
    });
    return code === 0
      ? { status: "ok", detail: `${fixture.entries.length} entries` }
      : { status: "fail", detail: output.trim() };
  });
}

/** The modules of `deno info` for `file` that are outside the fixture (Deno walks up node_modules like Node does). */
export async function denoLeaks(fixtureDir, file) {
  const { code, output } = await exec(deno, ["info", "--json", file], {
    cwd: fixtureDir,
    env: { DENO_NO_UPDATE_CHECK: "1" },
  });
  if (code !== 0) throw new Error(`deno info ${file} failed:\n${output}`);
  const inside = `${realpathSync(fixtureDir)}${sep}`;
  const files = JSON.parse(output)
    .modules.map((module) => module.specifier)
    .filter((specifier) => specifier.startsWith("file:"));
  if (files.length < 2) throw new Error(`deno info listed ${files.length} module(s) for ${file}`);
  return files.map((url) => realpathSync(fileURLToPath(url))).filter((path) => !path.startsWith(inside));
}

/**
 * The tsc environments. `entries` filters which entries the program imports; `mswOnly` programs check the msw
 * adapter on its own, where errors in msw's own .d.ts (which need lib "dom") are msw's, not ours.
 */
const TSC_CONFIGS = [
  { id: "browser", title: 'browser: lib ["es2022", "dom"], types []', lib: ["es2022", "dom"], types: [] },
  {
    id: "workers",
    title: 'Workers: lib ["es2022"], types ["@cloudflare/workers-types"]',
    lib: ["es2022"],
    types: ["@cloudflare/workers-types"],
    noMsw: true,
  },
  { id: "node", title: 'Node: lib ["es2022"], types ["node"]', lib: ["es2022"], types: ["node"], noMsw: true },
  {
    id: "bare",
    title: 'bare: lib ["es2022"], types [] (no DOM, no Node types)',
    lib: ["es2022"],
    types: [],
    noMsw: true,
    bare: true,
  },
  {
    id: "workers-msw",
    title: "Workers + @dealcloud-ts/mock/msw alone",
    lib: ["es2022"],
    types: ["@cloudflare/workers-types"],
    mswOnly: true,
  },
  { id: "node-msw", title: "Node + @dealcloud-ts/mock/msw alone", lib: ["es2022"], types: ["node"], mswOnly: true },
];
const MSW_ENTRY = "@dealcloud-ts/mock/msw";
/** Packages for Node only (the CLI imports node: modules); only the Node program imports them. */
const NODE_ONLY_PACKAGES = ["@dealcloud-ts/cli"];
const isNodeOnly = (specifier) =>
  NODE_ONLY_PACKAGES.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** Parses tsc's `file(line,col): error TSnnnn: message` lines (continuation lines are folded into the message). */
function parseDiagnostics(output) {
  const diagnostics = [];
  for (const line of output.split("\n")) {
    const match = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/.exec(line);
    if (match) diagnostics.push({ file: match[1], line: Number(match[2]), code: match[4], message: match[5] });
    else if (/^error (TS\d+): /.test(line))
      diagnostics.push({ file: "", line: 0, code: /TS\d+/.exec(line)[0], message: line });
  }
  return diagnostics;
}

const isOurs = (file) =>
  file === "" ||
  file.startsWith("check/") ||
  /[\\/]@dealcloud-ts[\\/]/.test(file.replace(/node_modules[\\/]\.pnpm[\\/][^\\/]+/, ""));
const owner = (file) => {
  if (file.startsWith("check/")) return "the check file";
  const match = /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
  return match ? match[1].replace("\\", "/") : file;
};

/** Groups "Cannot find name" errors by the missing name and the packages that use it. */
function missingNames(diagnostics) {
  const names = new Map();
  for (const { file, code, message } of diagnostics) {
    if (code !== "TS2304" && code !== "TS2552") continue;
    const name = /Cannot find name '([^']+)'/.exec(message)?.[1];
    if (!name) continue;
    if (!names.has(name)) names.set(name, new Set());
    names.get(name).add(owner(file));
  }
  return names;
}

/** tsc --noEmit with skipLibCheck false in one environment, plus a check that every file it read is in the fixture. */
async function tscCheck(fixture, surface, config) {
  return timed(`tsc ${config.title}`, async () => {
    const entries = fixture.entries.filter((entry) =>
      config.mswOnly
        ? entry.specifier === MSW_ENTRY
        : !(config.noMsw && entry.specifier === MSW_ENTRY) && (config.id === "node" || !isNodeOnly(entry.specifier)),
    );
    const dir = join(fixture.fixture, "check");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${config.id}.ts`), surfaceFile(entries, surface));
    const tsconfig = {
      compilerOptions: {
        noEmit: true,
        strict: true,
        skipLibCheck: false,
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        lib: config.lib,
        types: config.types,
      },
      files: [`${config.id}.ts`],
    };
    writeFileSync(join(dir, `tsconfig.${config.id}.json`), `${JSON.stringify(tsconfig, null, 2)}\n`);
    const { output } = await exec(tsc, ["-p", `check/tsconfig.${config.id}.json`, "--listFiles", "--pretty", "false"], {
      cwd: fixture.fixture,
    });
    const inside = `${realpathSync(fixture.fixture)}${sep}`;
    const read = output.split("\n").filter((line) => line.startsWith("/"));
    const leaks = read.filter(
      (file) => !realpathSync(file).startsWith(inside) && !realpathSync(file).startsWith(typescriptLib + sep),
    );
    if (leaks.length) return { status: "fail", detail: `read files outside the fixture: ${leaks.join(", ")}` };
    const diagnostics = parseDiagnostics(output);
    const ours = diagnostics.filter((d) => isOurs(d.file));
    const summary = (list) =>
      list
        .slice(0, 12)
        .map((d) => `${owner(d.file)} ${d.file.split(/[\\/]/).at(-1)}:${d.line} ${d.code} ${d.message}`)
        .join("\n    ");
    const byOwner = (list) => [...new Set(list.map((d) => owner(d.file)))].join(", ");
    if (diagnostics.length === 0)
      return { status: "ok", detail: `${entries.length} entries, ${read.length} files read` };
    if (config.bare) {
      // Not expected to pass: fetch's types come from lib "dom" or @types/node. Report what is missing, and from whom.
      const names = missingNames(diagnostics);
      const listing = [...names].map(([name, users]) => `${name} (${[...users].join(", ")})`).join("; ");
      const other = diagnostics.filter((d) => d.code !== "TS2304" && d.code !== "TS2552");
      return {
        status: "skip",
        detail: `cannot pass: ${diagnostics.length} errors (${ours.length} in our packages). Missing globals: ${listing}${other.length ? `. Other errors: ${summary(other)}` : ""}`,
      };
    }
    if (config.mswOnly && ours.length === 0) {
      return {
        status: "skip",
        detail: `msw's own .d.ts need lib "dom" (${diagnostics.length} errors, all in ${byOwner(diagnostics)}); ours are clean`,
      };
    }
    return {
      status: "fail",
      detail: `${diagnostics.length} errors (${ours.length} in our packages or the check file):\n    ${summary(ours.length ? ours : diagnostics)}`,
    };
  });
}

export async function tscChecks(fixture, surface) {
  const checks = [];
  for (const config of TSC_CONFIGS) checks.push(await tscCheck(fixture, surface, config));
  return checks;
}

/** publint on each tarball as published; errors fail, warnings and suggestions are reported only. */
export async function publintChecks(fixture) {
  const started = Date.now();
  const tarballs = fixture.packages.map((p) => join(fixture.fixture, "../tarballs", p.tarball));
  const { code, output } = await exec(node24, ["publint.mjs", ...tarballs], { cwd: fixture.fixture });
  if (code !== 0) return [{ name: "publint", status: "fail", detail: output.trim(), ms: Date.now() - started }];
  const results = JSON.parse(output.trim().split("\n").at(-1));
  const ms = Math.round((Date.now() - started) / results.length);
  return results.map(({ name, messages }) => {
    const errors = messages.filter((m) => m.type === "error");
    const rest = messages.filter((m) => m.type !== "error");
    const text = (list) => list.map((m) => `${m.type} ${m.code}: ${m.text}`).join("; ");
    return {
      name: `publint ${name}`,
      status: errors.length ? "fail" : "ok",
      detail:
        messages.length === 0
          ? "no findings"
          : `${errors.length ? text(errors) : ""}${errors.length && rest.length ? "; " : ""}${rest.length ? `(not failing) ${text(rest)}` : ""}`,
      ms,
    };
  });
}
