#!/usr/bin/env node
// Counts, per package, the symbols the reference documents and how many of them carry documentation, from
// typedoc's JSON model (dist/docs.json, written by the same `typedoc --options typedoc.json` run as the HTML).
// "Exports" are what a package's entry points export (the mock's three entries together); "members" are
// everything beneath them that typedoc's notDocumented validation covers: properties, methods, accessors and
// enum members, inside interfaces, classes and the object types of type aliases, unions and return types, but
// not inside parameters. Only symbols declared in the package itself count: members inherited from
// dependencies (openapi-fetch's `Client`, for one) are documented by their own package. Also reports the number
// of HTML pages in dist/.
//
// Exit status 1 when any counted symbol is undocumented (they are listed), or when the JSON is missing.
//
// Usage: node scripts/count-symbols.mjs [--json dist/docs.json] [--dist dist]   (from apps/docs, after `pnpm docs`)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const docsApp = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index === -1 ? fallback : resolve(args[index + 1] ?? "");
};
const jsonPath = option("--json", join(docsApp, "dist", "docs.json"));
const distDir = option("--dist", join(docsApp, "dist"));

// typedoc's ReflectionKind values (stable across 0.2x; see typedoc's models/kind.ts).
const Kind = {
  Module: 2,
  Namespace: 4,
  Enum: 8,
  EnumMember: 16,
  Variable: 32,
  Function: 64,
  Class: 128,
  Interface: 256,
  Constructor: 512,
  Property: 1024,
  Method: 2048,
  Parameter: 32768,
  TypeLiteral: 65536,
  Accessor: 262144,
  TypeAlias: 2097152,
  Reference: 4194304,
  Document: 8388608,
};
const EXPORT_KINDS =
  Kind.Namespace | Kind.Enum | Kind.Variable | Kind.Function | Kind.Class | Kind.Interface | Kind.TypeAlias;
// The kinds typedoc's `requiredToBeDocumented` lists by default (constructors and signatures are judged by
// their owner), below the top level.
const MEMBER_KINDS = EXPORT_KINDS | Kind.EnumMember | Kind.Property | Kind.Method | Kind.Accessor;

if (!existsSync(jsonPath)) {
  console.error(
    `count-symbols: ${jsonPath} is missing: build the docs first (pnpm docs), with "json" set in typedoc.json.`,
  );
  process.exit(1);
}
const project = JSON.parse(readFileSync(jsonPath, "utf8"));
const symbolOf = (reflection) => project.symbolIdMap?.[String(reflection.id)];

/** typedoc's `Comment.hasVisibleComponent`: some summary text, or a block tag. */
const hasComment = (comment) =>
  Boolean(comment) &&
  ((comment.summary ?? []).some((part) => part.text.trim() !== "") || (comment.blockTags ?? []).length > 0);

/** Documented as typedoc's validation judges it: signatures on their own or through their owner's comment. */
function isDocumented(reflection) {
  if (hasComment(reflection.comment)) return true;
  const signatures = [...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature].filter(
    Boolean,
  );
  return signatures.length > 0 && signatures.every((signature) => hasComment(signature.comment));
}

/** Where a member sits, for the list of undocumented ones, e.g. `MockDealCloud.seedRows.firstId`. */
const labels = new Map();

/** Every reflection beneath `reflection` that notDocumented would check (parameters and their types aside). */
function members(reflection, out = [], label = reflection.name) {
  for (const child of reflection.children ?? []) {
    if (child.kind & Kind.Parameter) continue;
    const childLabel = `${label}.${child.name}`;
    if (child.kind & MEMBER_KINDS) {
      out.push(child);
      labels.set(child, childLabel);
    }
    members(child, out, childLabel);
  }
  for (const signature of [...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature]) {
    if (signature?.type) typeMembers(signature.type, out, label);
  }
  if (reflection.type) typeMembers(reflection.type, out, label);
  return out;
}

/** The reflections declared inside a type: the members of object types, wherever they sit in it. */
function typeMembers(type, out, label) {
  if (!type || typeof type !== "object") return;
  if (type.type === "reflection") {
    members(type.declaration, out, label);
    return;
  }
  for (const value of Object.values(type)) {
    if (Array.isArray(value)) for (const item of value) typeMembers(item, out, label);
    else if (value && typeof value === "object") typeMembers(value, out, label);
  }
}

/** The exports of a package: the children of its module, or of each of its entry-point modules. */
function exportsOf(pkg) {
  const modules = (pkg.children ?? []).filter((child) => child.kind === Kind.Module);
  const containers = [pkg, ...modules];
  return containers.flatMap((container) => (container.children ?? []).filter((child) => child.kind & EXPORT_KINDS));
}

const rows = [];
const undocumented = [];
for (const pkg of (project.children ?? []).filter((child) => child.kind === Kind.Module)) {
  const own = (reflection) => symbolOf(reflection)?.packageName === pkg.name;
  const exported = exportsOf(pkg).filter(own);
  const nested = [...new Set(exported.flatMap((reflection) => members(reflection)))].filter(own);
  const count = (list) => {
    const missing = list.filter((reflection) => !isDocumented(reflection));
    for (const reflection of missing) {
      const symbol = symbolOf(reflection);
      undocumented.push(`${pkg.name}: ${labels.get(reflection) ?? reflection.name} (${symbol?.packagePath ?? "?"})`);
    }
    return { total: list.length, documented: list.length - missing.length };
  };
  rows.push({ name: pkg.name, exports: count(exported), members: count(nested) });
}

function htmlPages(dir) {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) =>
      sum + (entry.isDirectory() ? htmlPages(join(dir, entry.name)) : entry.name.endsWith(".html") ? 1 : 0),
    0,
  );
}

const width = Math.max(...rows.map((row) => row.name.length), "package".length);
const cell = ({ documented, total }) => `${documented}/${total}`.padStart(11);
console.log(`${"package".padEnd(width)}  exports (documented/all)  members (documented/all)`);
for (const row of rows)
  console.log(`${row.name.padEnd(width)}  ${cell(row.exports).padStart(24)}  ${cell(row.members).padStart(24)}`);
const sum = (key) =>
  rows.reduce((acc, row) => ({ total: acc.total + row[key].total, documented: acc.documented + row[key].documented }), {
    total: 0,
    documented: 0,
  });
console.log(`${"total".padEnd(width)}  ${cell(sum("exports")).padStart(24)}  ${cell(sum("members")).padStart(24)}`);
console.log(`HTML pages in ${distDir}: ${htmlPages(distDir)}`);

if (rows.length === 0) {
  console.error("count-symbols: the JSON holds no packages.");
  process.exit(1);
}
if (undocumented.length) {
  console.error(`\n${undocumented.length} exported symbol(s) without documentation:\n  ${undocumented.join("\n  ")}`);
  process.exit(1);
}
console.log("Every exported symbol is documented.");
