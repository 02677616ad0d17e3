#!/usr/bin/env node
// dealcloud-codegen <command>
//   generate [dir]   lint the spec(s) and write src/generated/ (one package when run in it or given a dir, else all)
//   check [dir]      lint, and fail if src/generated/ differs from what the spec produces
//   coverage         fail if an endpoint of the catalogue is missing from the specs, or a spec names none
//   compare <file>   compare a Swagger/OpenAPI document exported from a DealCloud site with our specs
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { parse } from "yaml";
import { checkCoverage, readCatalogue } from "./coverage.ts";
import { compareDocuments, formatComparison } from "./compare.ts";
import { generate, readApiPackage } from "./generate.ts";
import { lintSpec } from "./lint-spec.ts";
import { readSpec } from "./spec.ts";
import { apiPackageDirs, CATALOGUE, ROOT } from "./workspace.ts";

const [command, argument] = process.argv.slice(2);
const rel = (path: string) => relative(process.cwd(), path) || ".";

async function targetDirs(): Promise<string[]> {
  if (argument) return [resolve(argument)];
  const all = await apiPackageDirs();
  const here = resolve(".");
  return all.includes(here) ? [here] : all;
}

async function lintOrFail(dir: string): Promise<boolean> {
  const file = resolve(dir, "openapi.yaml");
  const problems = [
    ...(await lintSpec(file)).map((p) => `${p.severity} ${p.where} ${p.message}`),
    ...(await readSpec(file)).problems,
  ];
  for (const problem of problems) console.error(`${rel(file)}: ${problem}`);
  return problems.length === 0;
}

async function generateOrCheck(check: boolean): Promise<number> {
  let failed = 0;
  for (const dir of await targetDirs()) {
    if (!(await lintOrFail(dir))) {
      failed++;
      continue;
    }
    const pkg = await readApiPackage(dir);
    for (const file of await generate(pkg)) {
      const current = await readFile(file.path, "utf8").catch(() => undefined);
      if (current === file.contents) continue;
      if (check) {
        console.error(
          `${rel(file.path)} differs from what ${rel(resolve(dir, "openapi.yaml"))} produces: run \`pnpm generate\``,
        );
        failed++;
      } else {
        await mkdir(dirname(file.path), { recursive: true });
        await writeFile(file.path, file.contents);
        console.log(`wrote ${rel(file.path)}`);
      }
    }
    if (!failed) console.log(`${pkg.name}: spec lint clean, generated files ${check ? "up to date" : "written"}`);
  }
  return failed ? 1 : 0;
}

async function coverage(): Promise<number> {
  const catalogue = process.env.DEALCLOUD_CATALOGUE ?? CATALOGUE;
  const root = process.env.DEALCLOUD_SPECS_ROOT ?? ROOT;
  const specs = await Promise.all((await apiPackageDirs(root)).map((dir) => readSpec(resolve(dir, "openapi.yaml"))));
  const report = checkCoverage(await readCatalogue(catalogue), specs);
  const operations = specs.reduce((sum, spec) => sum + spec.operations.length, 0);
  console.log(
    `coverage: ${report.entries.length} catalogue entries, ${report.covered} path readings covered by ${operations} operations in ${specs.length} specs`,
  );
  for (const entry of report.unplaceable)
    console.log(`  not modelled (the catalogue does not know its method or path): ${entry.id}`);
  for (const line of report.missing) console.error(`  missing from the specs: ${line}`);
  for (const line of report.uncatalogued) console.error(`  not in the catalogue: ${line}`);
  return report.missing.length || report.uncatalogued.length ? 1 : 0;
}

async function compare(): Promise<number> {
  if (!argument) {
    console.error("usage: pnpm specs:compare <swagger.json|openapi.yaml exported from your DealCloud site>");
    return 2;
  }
  const site = parse(await readFile(resolve(process.env.INIT_CWD ?? ".", argument), "utf8"));
  const specs = await Promise.all((await apiPackageDirs()).map((dir) => readSpec(resolve(dir, "openapi.yaml"))));
  const report = compareDocuments(site, specs);
  console.log(formatComparison(report));
  return report.onlyInSite.length + report.onlyInOurs.length + report.differences.length ? 1 : 0;
}

const commands: Record<string, () => Promise<number>> = {
  generate: () => generateOrCheck(false),
  check: () => generateOrCheck(true),
  coverage,
  compare,
};
const run = command ? commands[command] : undefined;
if (!run) {
  console.error(`usage: dealcloud-codegen <${Object.keys(commands).join("|")}> [argument]`);
  process.exitCode = 2;
} else {
  process.exitCode = await run();
}
