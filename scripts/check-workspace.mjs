// Workspace-level rules that no single package can check:
// - .ci/run runs exactly the commands the README gives, so the README cannot drift from CI;
// - every publishable package is under the @dealcloud-ts/ scope and pins Node >= 22;
// - TypeScript stays on 5.9.x (typedoc 0.28 and openapi-typescript 7 refuse 7.x).
import { existsSync, readFileSync, readdirSync } from "node:fs";

const problems = [];
const readme = readFileSync("README.md", "utf8");
const ciCommands = readFileSync(".ci/run", "utf8")
  .split("\n")
  .filter((line) => line.startsWith("./pnpmw"));
if (ciCommands.length !== 2)
  problems.push(`.ci/run should run exactly the README's two commands (found ${ciCommands.length})`);
for (const command of ciCommands) {
  if (!readme.includes(command)) problems.push(`README.md does not show the command .ci/run runs: ${command}`);
}
const catalog = readFileSync("pnpm-workspace.yaml", "utf8");
if (!/^\s+typescript: 5\.9\.\d+$/m.test(catalog))
  problems.push("pnpm-workspace.yaml: the catalog must pin typescript to 5.9.x");
for (const name of readdirSync("packages")) {
  const file = `packages/${name}/package.json`;
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, "utf8"));
  if (!pkg.name?.startsWith("@dealcloud-ts/")) problems.push(`${file}: name must be in the @dealcloud-ts/ scope`);
  // Private build-time packages run TypeScript directly, which needs Node 22.18+.
  const engines = pkg.private ? [">=22", ">=22.18"] : [">=22"];
  if (!engines.includes(pkg.engines?.node))
    problems.push(`${file}: engines.node must be ${engines.map((e) => `"${e}"`).join(" or ")}`);
}
if (problems.length) {
  console.error(`workspace check: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
console.log("workspace check: clean");
