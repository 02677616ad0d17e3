// `pnpm specs:compare <swagger.json>`: what a user with a DealCloud site runs to report how our specs differ.
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compareDocuments, normalize } from "../src/compare.ts";
import { readSpec } from "../src/spec.ts";
import { apiPackageDirs, ROOT } from "../src/workspace.ts";

const run = promisify(execFile);
const fixture = join(ROOT, "packages/codegen/test/fixtures/site-swagger.json");
const specs = await Promise.all((await apiPackageDirs()).map((dir) => readSpec(join(dir, "openapi.yaml"))));
const backups = specs.find((spec) => spec.basePath === "/api/rest/v4/backups")!;

describe("compareDocuments", () => {
  it("finds no difference between a spec and itself, and leaves areas the site's document lacks out", () => {
    const report = compareDocuments(backups.document, specs);
    expect(report).toMatchObject({ shared: 1, onlyInSite: [], onlyInOurs: [], differences: [] });
    expect(report.areasNotInSite.map((area) => area.basePath)).toHaveLength(specs.length - 1);
  });

  it("reads a Swagger 2.0 export: operations on either side, renamed and retyped fields, paths case-insensitively", async () => {
    const site = JSON.parse(await readFile(fixture, "utf8"));
    const report = compareDocuments(site, [backups]);
    expect(report.shared).toBe(1);
    expect(report.onlyInSite).toEqual(["GET /api/rest/v4/backups/list"]);
    expect(report.onlyInOurs).toEqual([]);
    expect([...report.differences].sort()).toEqual(
      [
        "POST /api/rest/v4/backups/request: body.apiNames is spelled body.ApiNames by the site",
        "POST /api/rest/v4/backups/request: body.apiNames[] is spelled body.ApiNames[] by the site",
        "POST /api/rest/v4/backups/request: body.fromDate (string) is not in the site's document",
        "POST /api/rest/v4/backups/request: body.ids[] is integer in ours, string in the site's",
        "POST /api/rest/v4/backups/request: the site has body.priority (integer), ours does not",
      ].sort(),
    );
  });

  it("flattens parameters, bodies and responses of an OpenAPI 3 document through $refs", () => {
    const [op] = normalize(backups.document);
    expect(op).toMatchObject({ method: "POST", path: "/api/rest/v4/backups/request" });
    expect(Object.fromEntries(op!.fields)).toMatchObject({
      body: "object",
      "body.ids[]": "integer",
      "body.apiNames[]": "string",
    });
  });
});

describe("pnpm specs:compare", () => {
  it("prints the report and exits 1 when the documents differ", async () => {
    const result = await run(process.execPath, [join(ROOT, "packages/codegen/src/cli.ts"), "compare", fixture]).catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect("code" in result && result.code).toBe(1);
    expect(result.stdout).toContain(
      "Operations in the site's document and not in ours (1):\n  GET /api/rest/v4/backups/list",
    );
    expect(result.stdout).toMatch(/\d+ difference\(s\)\./);
  });

  it("explains its usage when no file is given", async () => {
    const result = await run(process.execPath, [join(ROOT, "packages/codegen/src/cli.ts"), "compare"]).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(result).toMatchObject({ code: 2, stderr: expect.stringContaining("usage: pnpm specs:compare") });
  });
});
