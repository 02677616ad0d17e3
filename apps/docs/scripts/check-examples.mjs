#!/usr/bin/env node
// Type-checks every TypeScript example of the documentation against the built packages, so that no example a
// user copies is wrong. Examples are the ```ts / ```typescript blocks of README.md, packages/*/README.md and
// docs/**/*.md (not docs/sources/), and the ```ts blocks inside TSDoc comments (`@example`) of
// packages/*/src/**/*.ts (not src/generated/). Each block becomes its own module in apps/docs/.examples/ (so
// top-level await works and names never clash), and one tsc run checks them all with strict options
// (scripts/examples.tsconfig.json), resolving `@dealcloud-ts/*` to the built packages through apps/docs's
// node_modules. Diagnostics are printed at the example's own source line.
//
// A block opts out only with a visible first line `// not-checked: <reason>`; those are counted and listed.
// Exit status 1 when any example fails (or tsc cannot run). Build the packages first (`pnpm build`).
//
// Usage: node scripts/check-examples.mjs   (from apps/docs)
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const docsApp = join(dirname(fileURLToPath(import.meta.url)), "..");
const root = join(docsApp, "..", "..");
const work = join(docsApp, ".examples");
const rel = (file) => relative(root, file).split(sep).join("/");

// ---------------------------------------------------------------------------------------------- sources

/** Files under `dir` (recursively) that `keep` accepts, sorted, so the run is deterministic. */
function walk(dir, keep) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...walk(path, keep));
    } else if (keep(path)) out.push(path);
  }
  return out;
}

const packageDirs = readdirSync(join(root, "packages"))
  .sort()
  .map((name) => join(root, "packages", name))
  .filter((dir) => statSync(dir).isDirectory());

const markdownFiles = [
  join(root, "README.md"),
  ...packageDirs.map((dir) => join(dir, "README.md")).filter(existsSync),
  ...walk(join(root, "docs"), (path) => path.endsWith(".md") && !rel(path).startsWith("docs/sources/")),
];
const sourceFiles = packageDirs.flatMap((dir) =>
  walk(
    join(dir, "src"),
    (path) => path.endsWith(".ts") && !path.endsWith(".d.ts") && !rel(path).includes("/src/generated/"),
  ),
);

// ---------------------------------------------------------------------------------------------- extraction

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const TS_LANGS = new Set(["ts", "typescript", "mts", "cts"]);

/**
 * The TypeScript fenced blocks of `lines` (Markdown), each with the 1-based source line of its first code line.
 * `lineOf(i)` gives the source line of `lines[i]`.
 */
function fencedBlocks(lines, lineOf) {
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const closing = new RegExp(`^\\s*${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end])) end++;
    if (TS_LANGS.has(info.toLowerCase())) {
      const code = lines
        .slice(i + 1, end)
        .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line.trimStart()));
      blocks.push({ line: lineOf(i + 1), code });
    }
    i = end;
  }
  return blocks;
}

/** The ```ts blocks inside the `/** … *\/` comments of a TypeScript source. */
function tsdocBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\/\*\*/.test(lines[i]) || /\*\/\s*$/.test(lines[i].replace(/^\s*\/\*\*/, ""))) continue; // one-line comments hold no blocks
    let end = i;
    while (end < lines.length && !lines[end].includes("*/")) end++;
    const body = lines.slice(i + 1, end).map((line) => line.replace(/^\s*\*( |$)/, ""));
    const first = i + 2; // 1-based line of body[0]
    blocks.push(...fencedBlocks(body, (index) => first + index));
    i = end;
  }
  return blocks;
}

const examples = [];
for (const file of markdownFiles) {
  for (const block of fencedBlocks(readFileSync(file, "utf8").split("\n"), (index) => index + 1))
    examples.push({ source: rel(file), ...block });
}
for (const file of sourceFiles) {
  for (const block of tsdocBlocks(readFileSync(file, "utf8"))) examples.push({ source: rel(file), ...block });
}

// ---------------------------------------------------------------------------------------------- the check

const NOT_CHECKED = /^\s*\/\/\s*not-checked:(.*)$/;
const notChecked = [];
const checked = [];
const invalid = [];
for (const example of examples) {
  const marker = NOT_CHECKED.exec(example.code[0] ?? "");
  if (!marker) checked.push(example);
  else if (marker[1].trim()) notChecked.push({ ...example, reason: marker[1].trim() });
  else invalid.push({ ...example, message: "`// not-checked:` needs a reason after the colon" });
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
writeFileSync(join(work, "package.json"), `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n`);

const byFile = new Map();
checked.forEach((example, index) => {
  const slug = `${example.source.replace(/[^A-Za-z0-9]+/g, "_")}_L${example.line}`;
  example.file = `${String(index + 1).padStart(3, "0")}-${slug}.ts`;
  // `export {}` makes every block a module: top-level await works and no two examples share a scope.
  writeFileSync(join(work, example.file), `${example.code.join("\n")}\nexport {};\n`);
  byFile.set(example.file, example);
});

// Packages the examples import that apps/docs does not depend on (openapi-fetch, msw, …) are linked from the
// workspace package that does, so that a missing devDependency is a note rather than a failure of every example.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'./][^"']*)["']/g;
const linked = [];
const wanted = new Set();
for (const example of checked) for (const match of example.code.join("\n").matchAll(IMPORT)) wanted.add(match[1]);
for (const specifier of [...wanted].sort()) {
  if (specifier.startsWith("node:")) continue;
  const parts = specifier.split("/");
  const name = specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  const reachable = [work, docsApp, join(docsApp, ".."), root].some((dir) =>
    existsSync(join(dir, "node_modules", name)),
  );
  if (reachable || linked.some((link) => link.name === name)) continue;
  const holder = [
    ...packageDirs,
    ...readdirSync(join(root, "apps"))
      .sort()
      .map((app) => join(root, "apps", app)),
  ].find((dir) => existsSync(join(dir, "node_modules", name, "package.json")));
  if (!holder) continue; // tsc reports it as an unresolvable import
  const target = join(work, "node_modules", name);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(join(holder, "node_modules", name)), target, "dir");
  linked.push({ name, from: rel(holder) });
}

writeFileSync(
  join(work, "tsconfig.json"),
  `${JSON.stringify({ extends: "../scripts/examples.tsconfig.json", files: checked.map((example) => example.file) }, null, 2)}\n`,
);

const tsc = createRequire(join(docsApp, "package.json")).resolve("typescript/lib/tsc.js");
const run = checked.length
  ? spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], { cwd: work, encoding: "utf8" })
  : undefined;
if (run?.error) throw run.error;

// tsc prints `file(line,col): error TSnnnn: message`, continuation lines indented beneath.
const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): (error|warning) (TS\d+): (.*)$/;
const general = [];
let last;
for (const line of (run?.stdout ?? "").split("\n")) {
  const match = DIAGNOSTIC.exec(line);
  if (match) {
    const [, file, lineNo, column, , tsCode, message] = match;
    const example = byFile.get(file);
    if (example) {
      const at = example.line + Math.min(Number(lineNo), example.code.length) - 1;
      (example.errors ??= []).push((last = { text: `${example.source}:${at}:${column} ${tsCode}: ${message}` }));
    } else general.push((last = { text: line }));
  } else if (/^\s+\S/.test(line) && last) last.text += `\n      ${line.trim()}`;
  else if (line.trim()) general.push((last = { text: line.trim() }));
}
if (run && run.status !== 0 && !checked.some((example) => example.errors) && general.length === 0) {
  general.push({ text: `tsc exited with ${run.status}: ${(run.stderr || run.stdout).trim()}` });
}

const failed = checked.filter((example) => example.errors);
for (const example of failed) {
  console.log(`✗ ${example.source}:${example.line} (${example.file})`);
  for (const error of example.errors) console.log(`    ${error.text}`);
}
for (const example of invalid) console.log(`✗ ${example.source}:${example.line}: ${example.message}`);
for (const error of general) console.log(`✗ ${error.text}`);
if (notChecked.length) {
  console.log(`not checked (${notChecked.length}):`);
  for (const example of notChecked) console.log(`  - ${example.source}:${example.line}: ${example.reason}`);
}
for (const link of linked) {
  console.log(
    `note: "${link.name}" is not a dependency of apps/docs; linked from ${link.from} (add it to apps/docs devDependencies)`,
  );
}
const failures = failed.length + invalid.length;
console.log(
  `${checked.length + invalid.length} examples checked, ${failures} failed, ${notChecked.length} not checked`,
);
process.exitCode = failures > 0 || general.length > 0 ? 1 : 0;
