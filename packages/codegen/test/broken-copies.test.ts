// The checks fail when they should: each is run against a deliberately broken copy of a real spec.
import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { parse, stringify } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { checkCoverage, parseCatalogue, readCatalogue } from "../src/coverage.ts";
import { lintSpec } from "../src/lint-spec.ts";
import { readSpec } from "../src/spec.ts";
import { CATALOGUE, ROOT } from "../src/workspace.ts";

const run = promisify(execFile);
const cli = join(ROOT, "packages/codegen/src/cli.ts");
const temps: string[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A copy of packages/<area> (spec, package.json, generated files) in a temporary workspace. */
async function copyPackage(area: string) {
  const root = await mkdtemp(join(tmpdir(), "dealcloud-codegen-"));
  temps.push(root);
  const dir = join(root, "packages", area);
  for (const part of ["openapi.yaml", "package.json", "src/generated"]) {
    await cp(join(ROOT, "packages", area, part), join(dir, part), { recursive: true });
  }
  const spec = parse(await readFile(join(dir, "openapi.yaml"), "utf8"));
  const save = (document: unknown) => writeFile(join(dir, "openapi.yaml"), stringify(document));
  return { root, dir, spec, save };
}

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 0, stdout: "", stderr: "" }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe("the drift check", () => {
  it("passes on an untouched copy", async () => {
    const { dir } = await copyPackage("backups");
    const { stdout } = await run(process.execPath, [cli, "check", dir]);
    expect(stdout).toContain("generated files up to date");
  });

  it("fails, naming the file, when the spec changed but src/generated did not", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    spec.paths["/request"].post.summary = "Request a backup, reworded";
    await save(spec);
    const result = await failure(run(process.execPath, [cli, "check", dir]));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /src\/generated\/openapi\.ts differs from what .*openapi\.yaml produces: run `pnpm generate`/,
    );
  });

  it("fails when a generated file was edited by hand", async () => {
    const { dir } = await copyPackage("backups");
    const file = join(dir, "src/generated/api.ts");
    await writeFile(file, (await readFile(file, "utf8")).replace('["backup"]', '["backup", "data"]'));
    const result = await failure(run(process.execPath, [cli, "check", dir]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("src/generated/api.ts differs");
  });

  it("fails when an operation has no scope, or two", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    spec.paths["/request"].post.security = [{ dealcloud: ["backup", "data"] }];
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "POST /request: the requirement must name exactly one scope",
    ]);
    delete spec.paths["/request"].post.security;
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "POST /request: needs exactly one security requirement, has 0",
    ]);
    const result = await failure(run(process.execPath, [cli, "check", dir]));
    expect(result.code).toBe(1);
  });

  it("fails when an operation lacks its idempotency mark, or a write says not why", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    const operation = spec.paths["/request"].post;
    delete operation["x-dealcloud-idempotent"];
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "POST /request: x-dealcloud-idempotent must be true or false",
    ]);
    const result = await failure(run(process.execPath, [cli, "check", dir]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("POST /request: x-dealcloud-idempotent must be true or false");

    operation["x-dealcloud-idempotent"] = "no";
    delete operation["x-dealcloud-idempotent-why"];
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "POST /request: x-dealcloud-idempotent must be true or false",
      "POST /request: x-dealcloud-idempotent-why must say why a POST is or is not idempotent",
    ]);
  });

  it("fails when a GET is marked not idempotent (the descriptor cannot say so: GETs are always retried)", async () => {
    const { dir, spec, save } = await copyPackage("ri-import");
    spec.paths["/status"].get["x-dealcloud-idempotent"] = false;
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "GET /status: a GET is a read, so x-dealcloud-idempotent must be true",
    ]);
  });

  it("fails when x-dealcloud-wait-field names no integer field of the request body", async () => {
    const { dir, spec, save } = await copyPackage("publications");
    spec.paths["/poll"].post["x-dealcloud-wait-field"] = "Timeout";
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toEqual([
      "POST /poll: x-dealcloud-wait-field must name an integer property of the JSON request body",
    ]);
    spec.paths["/poll"].post["x-dealcloud-wait-field"] = "Topics";
    await save(spec);
    expect((await readSpec(join(dir, "openapi.yaml"))).problems).toHaveLength(1);
  });

  it("fails when the spec does not lint (no responses)", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    delete spec.paths["/request"].post.responses;
    await save(spec);
    const problems = await lintSpec(join(dir, "openapi.yaml"));
    expect(problems.some((problem) => problem.severity === "error")).toBe(true);
    const result = await failure(run(process.execPath, [cli, "check", dir]));
    expect(result.code).toBe(1);
  });
});

describe("the coverage check", () => {
  it("fails, naming the catalogue entry, when an operation is missing", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    delete spec.paths["/request"];
    await save(spec);
    const report = checkCoverage(await readCatalogue(CATALOGUE), [await readSpec(join(dir, "openapi.yaml"))]);
    expect(report.missing).toContain(
      `B1 POST /api/rest/v4/backups/request (catalogue line ${report.entries.find((e) => e.id === "B1")!.line})`,
    );
  });

  it("fails when an operation names no catalogue entry (an invented endpoint)", async () => {
    const { dir, spec, save } = await copyPackage("backups");
    spec.paths["/list"] = {
      get: { ...spec.paths["/request"].post, operationId: "listBackups", "x-dealcloud-catalogue": "B99" },
    };
    await save(spec);
    const report = checkCoverage(await readCatalogue(CATALOGUE), [await readSpec(join(dir, "openapi.yaml"))]);
    expect(report.uncatalogued).toEqual([expect.stringContaining("GET /api/rest/v4/backups/list in")]);
  });

  it("fails when the path or the method differs from the catalogue's", async () => {
    const catalogue = parseCatalogue(
      "## 8. Site Backups\n| B1 | POST | `/api/rest/v4/backups/request` | x | y | z |\n",
    );
    const { dir, spec, save } = await copyPackage("backups");
    spec.paths["/requests"] = spec.paths["/request"];
    delete spec.paths["/request"];
    await save(spec);
    expect(checkCoverage(catalogue, [await readSpec(join(dir, "openapi.yaml"))]).missing).toHaveLength(1);
  });

  it("reads both readings of a path the sources disagree on, and resolves relative paths against the section's base", () => {
    const [entry] = parseCatalogue(
      "## 4. Schema\nBase `/api/rest/v4/schema`.\n| S14 | POST | `/{fieldId}/choiceFieldValues` **or** `/choiceFieldValues/{fieldId}` | b | r | s | c |\n",
    );
    expect(entry).toMatchObject({
      id: "S14",
      method: "POST",
      paths: ["/api/rest/v4/schema/{fieldId}/choiceFieldValues", "/api/rest/v4/schema/choiceFieldValues/{fieldId}"],
    });
  });

  it("runs as a command that exits 1 on a broken workspace", async () => {
    const { root, spec, save } = await copyPackage("backups");
    delete spec.paths["/request"];
    await save(spec);
    const result = await failure(
      run(process.execPath, [cli, "coverage"], { env: { ...process.env, DEALCLOUD_SPECS_ROOT: root } }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("missing from the specs: B1 POST /api/rest/v4/backups/request");
  });
});
