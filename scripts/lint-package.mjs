// Lint for one workspace package (run from its folder by `turbo run lint`):
// - runtime sources use web-standard APIs only (no Node built-ins, process, Buffer, require), except the files a
//   package declares Node-only (the mock's loopback server and bin), and their TSDoc examples import no Node
//   built-in;
// - package.json is shaped for publishing: ESM, sideEffects false, exports with "types" first, engines.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const NODE_ONLY_FILES = {
  "@dealcloud-ts/mock": ["src/server.ts", "src/bin.ts"],
};
// Build-time tools that never ship to a runtime, and the `dealcloud` CLI (a Node program by nature).
const NODE_ONLY_PACKAGES = new Set(["@dealcloud-ts/codegen", "@dealcloud-ts/cli"]);
const FORBIDDEN = [
  [/\bfrom\s+["']node:|import\(\s*["']node:|\brequire\(/, "imports a Node built-in"],
  [/\bprocess\.|\bprocess\b\s*\)/, "uses process"],
  [/\bBuffer\b/, "uses Buffer"],
  [/\b__dirname\b|\b__filename\b/, "uses CommonJS globals"],
];

const pkg = JSON.parse(readFileSync("package.json", "utf8"));
const problems = [];
const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });

const isApp = process.cwd().includes(`${"/"}apps${"/"}`);
if (!isApp && !NODE_ONLY_PACKAGES.has(pkg.name)) {
  const nodeOnly = new Set(NODE_ONLY_FILES[pkg.name] ?? []);
  for (const file of files("src")) {
    const rel = relative(".", file);
    if (nodeOnly.has(rel)) continue;
    const lines = readFileSync(file, "utf8").split("\n");
    lines.forEach((line, index) => {
      const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      for (const [pattern, what] of FORBIDDEN) {
        if (pattern.test(code))
          problems.push(`${rel}:${index + 1} ${what}: runtime code must use web-standard APIs only`);
      }
      // A TSDoc example is copied as it stands: in a package for every runtime it must run in every runtime
      // (Node-only examples belong in the guides).
      if (code !== line && FORBIDDEN[0][0].test(line))
        problems.push(`${rel}:${index + 1} a comment's example imports a Node built-in: show a runtime-neutral one`);
    });
  }
}

// Publishing shape, for the packages that are published.
if (!isApp && !pkg.private) {
  if (pkg.type !== "module") problems.push('package.json: "type" must be "module"');
  if (pkg.sideEffects !== false) problems.push('package.json: "sideEffects" must be false');
  if (!pkg.engines?.node) problems.push('package.json: "engines.node" is missing');
  if (!pkg.license) problems.push('package.json: "license" is missing');
  for (const [entry, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target === "string") continue;
    const keys = Object.keys(target);
    if (keys[0] !== "types") problems.push(`package.json: exports["${entry}"] must list "types" first`);
    if (!keys.includes("default")) problems.push(`package.json: exports["${entry}"] needs a "default" condition`);
  }
  if (!pkg.exports?.["."]) problems.push('package.json: exports["."] is missing');
}

if (problems.length) {
  console.error(`${pkg.name}: ${problems.length} lint problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log(`${pkg.name}: lint clean`);
