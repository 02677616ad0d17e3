// Release hygiene for every public package (those without "private": true), checked on what npm would receive:
//   node scripts/release-check.mjs [--no-build] [--keep] [--verbose]
// For each package: builds it (turbo, cached; --no-build skips), `pnpm pack`s it into a temp dir, then checks
//   - metadata: package.json has repository (git, this repo, directory), homepage, bugs, license MIT, engines.node,
//     files listing README.md and LICENSE; LICENSE is the root LICENSE. Each package keeps a committed copy of it
//     (npm packs only the package folder) rather than a prepack copy step: a copy made at prepack is missed by
//     whatever packs without lifecycle scripts (publint's own packing does) and by readers of the folder on GitHub;
//     this check keeps the copies identical;
//   - contents: the tarball holds package.json, README.md, LICENSE and every file package.json points at
//     (exports, types, bin), and its package.json has no "workspace:" ranges left;
//   - publint on the tarball (errors and warnings fail, suggestions are printed);
//   - attw on the tarball with --profile esm-only: the packages are ESM-only on purpose ("type": "module", exports
//     with "types" + "default", no "require"), so the node10 and node16-from-CJS resolutions are not checked. A CJS
//     caller loads them with import() (or require(esm) on Node >= 22.12); every ESM and bundler resolution must be clean;
//   - readme: the README's ```ts examples type-check against the built packages (one tsc run for all packages).
// Prints a table package × check, then "N passed, N failed"; exits 1 when anything fails.
// publint and attw come from apps/docs' devDependencies.
import { execFile, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DOCS = join(ROOT, "apps", "docs");
const REPO_URL = "git+https://github.com/dealcloud-ts/dealcloud-ts.git";
const args = new Set(process.argv.slice(2));
const started = performance.now();

// pnpm's launcher needs Node >= 22 on PATH (this Node first, then the project's pinned one), and turbo needs pnpm
// on PATH: the pinned pnpm ./pnpmw installs, else the machine's.
const toolsPnpm = join(ROOT, ".tools", "pnpm", "node_modules", ".bin");
const env = {
  ...process.env,
  PATH: [dirname(process.execPath), join(ROOT, ".tools", "node", "bin"), toolsPnpm, process.env.PATH].join(delimiter),
  TURBO_TELEMETRY_DISABLED: "1",
};
const pnpm = existsSync(join(toolsPnpm, "pnpm")) ? join(toolsPnpm, "pnpm") : "pnpm";
const attwBin = join(DOCS, "node_modules", ".bin", "attw");
const docsRequire = createRequire(join(DOCS, "package.json"));
if (!existsSync(attwBin) || !existsSync(join(DOCS, "node_modules", "publint"))) {
  console.error(
    "release-check: publint and @arethetypeswrong/cli are devDependencies of apps/docs: run ./pnpmw install first",
  );
  process.exit(1);
}
const { publint } = await import(pathToFileURL(docsRequire.resolve("publint")).href);
const { formatMessage } = await import(pathToFileURL(docsRequire.resolve("publint/utils")).href);
// publint's own tarball reader (a dependency of publint, so resolved from publint's real location).
const { unpack } = await import(
  pathToFileURL(createRequire(docsRequire.resolve("publint")).resolve("@publint/pack")).href
);

const run = (command, argv, options = {}) =>
  spawnSync(command, argv, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });

const packages = readdirSync(join(ROOT, "packages"))
  .filter((dir) => existsSync(join(ROOT, "packages", dir, "package.json")))
  .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(ROOT, "packages", dir, "package.json"), "utf8")) }))
  .filter(({ pkg }) => !pkg.private)
  .sort((a, b) => a.dir.localeCompare(b.dir));
const rootLicense = readFileSync(join(ROOT, "LICENSE"), "utf8");

if (!args.has("--no-build")) {
  const t = performance.now();
  const turbo = join(ROOT, "node_modules", ".bin", "turbo");
  const filters = packages.map(({ pkg }) => `--filter=${pkg.name}`);
  const build = run(turbo, ["run", "build", ...filters, "--output-logs=errors-only"], { stdio: "inherit" });
  if (build.status !== 0) {
    console.error("release-check: the build failed");
    process.exit(1);
  }
  console.log(`built ${packages.length} packages in ${((performance.now() - t) / 1000).toFixed(1)}s`);
}

const work = mkdtempSync(join(tmpdir(), "release-check-"));
const CHECKS = ["metadata", "contents", "publint", "attw", "readme"];
const results = new Map(packages.map(({ dir }) => [dir, {}]));
const details = [];
const record = (dir, check, problems, notes = []) => {
  results.get(dir)[check] = problems.length === 0 ? "ok" : "FAIL";
  for (const p of problems) details.push({ dir, check, text: `${dir} ${check}: ${p}` });
  for (const n of notes) details.push({ dir, check, text: `${dir} ${check} (note): ${n}` });
};

try {
  // Packing first (one at a time: pnpm reads the workspace), then the checks of all tarballs in parallel.
  const tarballs = new Map();
  for (const { dir, pkg } of packages) {
    record(dir, "metadata", metadataProblems(dir, pkg));
    const dest = join(work, dir);
    mkdirSync(dest);
    const packed = run(pnpm, ["--dir", join("packages", dir), "pack", "--pack-destination", dest]);
    const tgz = readdirSync(dest).find((name) => name.endsWith(".tgz"));
    if (packed.status !== 0 || !tgz) {
      for (const check of ["contents", "publint", "attw"])
        record(dir, check, [`pnpm pack failed: ${(packed.stderr || packed.stdout).trim()}`]);
      continue;
    }
    tarballs.set(dir, join(dest, tgz));
  }
  await Promise.all(
    [...tarballs].map(async ([dir, tgz]) => {
      const { pkg } = packages.find((p) => p.dir === dir);
      const buffer = readFileSync(tgz);
      const tarball = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
      await Promise.all([contents(dir, tgz, tarball), lint(dir, tarball), types(dir, pkg, tgz)]);
    }),
  );
  readmeExamples();
} finally {
  if (args.has("--keep")) console.log(`tarballs kept in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

// The table, the details, the count.
const rows = packages.map(({ dir, pkg }) => ({
  package: pkg.name,
  ...Object.fromEntries(CHECKS.map((c) => [c, results.get(dir)[c] ?? "-"])),
}));
console.table(rows);
details.sort((a, b) => a.dir.localeCompare(b.dir) || CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check));
if (details.length) console.log(details.map((d) => `  ${d.text}`).join("\n"));
const cells = rows.flatMap((row) => CHECKS.map((c) => row[c]));
const passed = cells.filter((c) => c === "ok").length;
const failed = cells.length - passed;
console.log(`release check took ${((performance.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);

function metadataProblems(dir, pkg) {
  const problems = [];
  const repo = pkg.repository;
  if (repo?.type !== "git" || repo?.url !== REPO_URL || repo?.directory !== `packages/${dir}`) {
    problems.push(`repository must be { type: "git", url: "${REPO_URL}", directory: "packages/${dir}" }`);
  }
  if (!pkg.homepage) problems.push("homepage is missing");
  if (!pkg.bugs?.url) problems.push("bugs.url is missing");
  if (pkg.license !== "MIT") problems.push('license must be "MIT"');
  if (!pkg.engines?.node) problems.push("engines.node is missing");
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) problems.push("keywords are missing");
  for (const file of ["README.md", "LICENSE"])
    if (!pkg.files?.includes(file)) problems.push(`files does not list ${file}`);
  if (!existsSync(join(ROOT, "packages", dir, "README.md"))) problems.push("README.md is missing");
  const license = join(ROOT, "packages", dir, "LICENSE");
  if (!existsSync(license)) problems.push("LICENSE is missing (copy the root LICENSE)");
  else if (readFileSync(license, "utf8") !== rootLicense) problems.push("LICENSE differs from the root LICENSE");
  return problems;
}

// Every file package.json points at, as "package/<path>".
function entryFiles(pkg) {
  const files = new Set();
  const walk = (target) => {
    if (typeof target === "string") files.add(target);
    else if (Array.isArray(target)) target.forEach(walk);
    else if (target && typeof target === "object") Object.values(target).forEach(walk);
  };
  walk(pkg.exports);
  walk(pkg.types);
  walk(pkg.main);
  walk(pkg.module);
  walk(pkg.bin);
  return [...files].filter((f) => !f.includes("*")).map((f) => `package/${f.replace(/^\.\//, "")}`);
}

async function contents(dir, tgz, tarball) {
  const problems = [];
  const { files } = await unpack(tarball);
  const byName = new Map(files.map((f) => [f.name, f.data]));
  const text = (name) => new TextDecoder().decode(byName.get(name));
  for (const required of ["package/package.json", "package/README.md", "package/LICENSE"]) {
    if (!byName.has(required)) problems.push(`${required.slice(8)} is not in the tarball`);
  }
  if (byName.has("package/LICENSE") && text("package/LICENSE") !== rootLicense)
    problems.push("the packed LICENSE differs from the root LICENSE");
  if (byName.has("package/package.json")) {
    const packedPkg = JSON.parse(text("package/package.json"));
    for (const file of entryFiles(packedPkg))
      if (!byName.has(file)) problems.push(`${file.slice(8)} (named in package.json) is not in the tarball`);
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(packedPkg[field] ?? {})) {
        if (String(range).startsWith("workspace:")) problems.push(`${field}.${name} is still "${range}"`);
      }
    }
  }
  const notes = args.has("--verbose")
    ? [`${files.length} files, ${(readFileSync(tgz).length / 1024).toFixed(1)} kB packed`]
    : [];
  record(dir, "contents", problems, notes);
}

async function lint(dir, tarball) {
  const { messages, pkg } = await publint({ pack: { tarball }, level: "suggestion", strict: false });
  const line = (m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false })}`;
  record(
    dir,
    "publint",
    messages.filter((m) => m.type !== "suggestion").map(line),
    messages.filter((m) => m.type === "suggestion").map(line),
  );
}

async function types(dir, pkg, tgz) {
  const profile = "esm-only";
  const ignoredResolutions = new Set(["node10", "node16-cjs"]); // what --profile esm-only leaves out
  // Subpaths that export a data file (the API packages' "./openapi.yaml", read with import.meta.resolve) are not
  // modules: attw would report them as NoResolution, so they are left out.
  const dataExports = Object.entries(typeof pkg.exports === "object" ? pkg.exports : {})
    .filter(([, target]) => typeof target === "string" && !/\.(c|m)?js$|\.d\.(c|m)?ts$|\.json$/.test(target))
    .map(([subpath]) => subpath);
  const exclude = dataExports.length ? ["--exclude-entrypoints", ...dataExports] : [];
  const result = await new Promise((done) =>
    execFile(
      attwBin,
      [tgz, "--profile", profile, "--format", "json", ...exclude],
      { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => done({ status: error ? (error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
  let report;
  try {
    report = JSON.parse(result.stdout);
  } catch {
    record(dir, "attw", [`attw did not run: ${(result.stderr || result.stdout).trim().slice(0, 500)}`]);
    return;
  }
  const all = Object.values(report.problems ?? report.analysis?.problems ?? {}).flat();
  const counted = all.filter((p) => !ignoredResolutions.has(p.resolutionKind));
  const ignored = all.filter((p) => ignoredResolutions.has(p.resolutionKind));
  const describe = (p) => `${p.kind} at "${p.entrypoint ?? "?"}" (${p.resolutionKind ?? "all resolutions"})`;
  const problems = counted.map(describe);
  if (result.status !== 0 && problems.length === 0) problems.push(`attw exited ${result.status}`);
  const notes = ignored.length
    ? [`ignored by --profile ${profile}: ${[...new Set(ignored.map(describe))].join("; ")}`]
    : [];
  if (dataExports.length) notes.push(`not modules, not checked: ${dataExports.join(", ")}`);
  record(dir, "attw", problems, args.has("--verbose") ? notes : []);
}

// The README's ```ts blocks, each as a module, type-checked together against the built packages.
function readmeExamples() {
  const dir = join(work, "readme-examples");
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  // Module resolution: the workspace packages and @types/node through apps/docs, msw through the mock's devDependencies.
  symlinkSync(join(DOCS, "node_modules", "@dealcloud-ts"), join(dir, "node_modules", "@dealcloud-ts"));
  symlinkSync(join(DOCS, "node_modules", "@types"), join(dir, "node_modules", "@types"));
  const msw = join(ROOT, "packages", "mock", "node_modules", "msw");
  if (existsSync(msw)) symlinkSync(msw, join(dir, "node_modules", "msw"));
  // The Redis clients the store-redis README connects with, through apps/docs's devDependencies.
  for (const client of ["redis", "ioredis"]) {
    const target = join(DOCS, "node_modules", client);
    if (existsSync(target)) symlinkSync(target, join(dir, "node_modules", client));
  }
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
  const owner = new Map();
  for (const { dir: pkgDir } of packages) {
    const readme = join(ROOT, "packages", pkgDir, "README.md");
    if (!existsSync(readme)) {
      record(pkgDir, "readme", ["README.md is missing"]);
      continue;
    }
    const blocks = [...readFileSync(readme, "utf8").matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    if (blocks.length === 0) record(pkgDir, "readme", ["README.md has no ```ts example"]);
    blocks.forEach((code, i) => {
      const file = `${pkgDir}-${i + 1}.ts`;
      writeFileSync(join(dir, file), `${code}\nexport {};\n`);
      owner.set(file, pkgDir);
    });
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022", "DOM"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ["node"],
        noUnusedLocals: false,
      },
      include: ["*.ts"],
    }),
  );
  const tsc = run(process.execPath, [
    docsRequire.resolve("typescript/bin/tsc"),
    "-p",
    join(dir, "tsconfig.json"),
    "--pretty",
    "false",
  ]);
  const errors = new Map();
  for (const line of tsc.stdout.split("\n")) {
    const m = /^([^(]+\.ts)\((\d+),(\d+)\): (error .*)$/.exec(line.trim());
    if (!m) continue;
    const pkgDir = owner.get(m[1].split("/").pop());
    if (!pkgDir) continue;
    errors.set(pkgDir, [...(errors.get(pkgDir) ?? []), `README example ${m[1].split("/").pop()}:${m[2]}: ${m[4]}`]);
  }
  if (tsc.status !== 0 && errors.size === 0) {
    for (const { dir: pkgDir } of packages)
      record(pkgDir, "readme", [`tsc failed: ${(tsc.stdout + tsc.stderr).trim().slice(0, 500)}`]);
    return;
  }
  for (const pkgDir of new Set(owner.values())) record(pkgDir, "readme", errors.get(pkgDir) ?? []);
}
