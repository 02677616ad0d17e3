import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byName, runBin, serveSite, tempDir } from "./support/cli.js";

const ROWS = 100_000;
const MULTI = new Set(["Industries"]);
const COLUMNS = [
  "EntryId",
  "CompanyName",
  "CompanyType",
  "Industries",
  "Website",
  "City",
  "Revenue",
  "Employees",
  "FoundedDate",
  "ParentCompany",
  "CoveragePerson",
  "CreatedDate",
  "ModifiedDate",
];

/** The site's rows as the CLI should write them: values by name, multi-value fields as arrays. */
function expectedRows(rows: Record<string, unknown>[]) {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, byName(value, MULTI.has(key))])),
  );
}

const csvCell = (value: unknown) =>
  value === null || value === undefined ? "" : Array.isArray(value) ? value.join("; ") : String(value);

describe(`dealcloud export of ${ROWS.toLocaleString("en-US")} companies from the mock`, () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  const temp = tempDir();
  let expected: Record<string, unknown>[];

  beforeAll(async () => {
    site = await serveSite({ seed: { sampleEntries: false, rows: { company: ROWS } } });
    expected = expectedRows(site.mock.rows("company"));
  });
  afterAll(async () => {
    await site.close();
    temp.remove();
  });

  it("writes every row to NDJSON on stdout, in the site's order, values by name, nothing else on stdout", async () => {
    const run = await runBin(["export", "company", "--format", "ndjson", "--quiet"], { env: site.env });
    expect(run.stderr).toBe("");
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(ROWS);
    // Compared as text, line by line (a deep equality of 100,000 objects takes vitest seconds).
    const wanted = expected.map((row) => JSON.stringify(row));
    expect(lines.filter((line, n) => line !== wanted[n])).toEqual([]);
  });

  it("writes every row to a CSV file with --out, EntryId then the fields in the site's order, and summarises on stderr", async () => {
    const out = join(temp.dir, "companies.csv");
    const run = await runBin(["export", "company", "--format", "csv", "--out", out], { env: site.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/Exported 100,000 company rows to .*companies\.csv in [\d.]+ s/);
    const records = parse(readFileSync(out, "utf8"), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual(COLUMNS);
    expect(records).toHaveLength(ROWS);
    const wanted = expected.map((row) => JSON.stringify(COLUMNS.map((c) => csvCell(row[c]))));
    expect(records.filter((record, n) => JSON.stringify(COLUMNS.map((c) => record[c])) !== wanted[n])).toEqual([]);
    expect(readdirSync(temp.dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("exports only the filtered rows and the named fields, with a JSON summary on stdout", async () => {
    const out = join(temp.dir, "lenders.json");
    const run = await runBin(
      [
        "export",
        "Companies",
        "--format",
        "json",
        "--fields",
        "Company Name,CompanyType",
        "--filter",
        '{"CompanyType": "Lender"}',
        "--out",
        out,
        "--json",
      ],
      { env: site.env },
    );
    expect(run.code, run.stderr).toBe(0);
    const lenders = expected.filter((row) => row["CompanyType"] === "Lender");
    expect(lenders.length).toBeGreaterThan(1000);
    const rows = JSON.parse(readFileSync(out, "utf8")) as Record<string, unknown>[];
    expect(rows).toEqual(
      lenders.map((row) => ({ EntryId: row["EntryId"], CompanyName: row["CompanyName"], CompanyType: "Lender" })),
    );
    expect(JSON.parse(run.stdout)).toMatchObject({ entryType: "company", rows: lenders.length, format: "json", out });
  });

  it("--resolve id writes choice values as ids", async () => {
    const run = await runBin(
      [
        "export",
        "company",
        "--fields",
        "CompanyType",
        "--filter",
        '{"CompanyType": "Lender"}',
        "--resolve",
        "id",
        "-q",
      ],
      {
        env: site.env,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const first = JSON.parse(run.stdout.split("\n")[0]!);
    expect(typeof first.CompanyType).toBe("number");
  });

  it("Ctrl-C during --out exits 130 and leaves the old file as it was, with no temp file behind", async () => {
    const out = join(temp.dir, "keep.ndjson");
    writeFileSync(out, "old\n");
    // Every page waits 200 ms, so the export is surely running when the signal comes.
    site.mock.faults.add({ route: "data", delayMs: 200, times: 1000 });
    const { spawn } = await import("node:child_process");
    const { BIN } = await import("./support/cli.js");
    const child = spawn(process.execPath, [BIN, "export", "company", "--concurrency", "1", "--out", out], {
      env: site.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // Wait until the temp file exists (the export has started writing), at most 20 s.
    for (let i = 0; i < 200 && !readdirSync(temp.dir).some((name) => name.startsWith(".keep.ndjson.")); i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    child.kill("SIGINT");
    const code = await new Promise((resolve) => child.on("close", resolve));
    site.mock.faults.clear();
    expect(code).toBe(130);
    expect(stderr).toContain("interrupted");
    expect(readFileSync(out, "utf8")).toBe("old\n");
    expect(readdirSync(temp.dir).filter((name) => name.startsWith(".keep"))).toEqual([]);
    expect(existsSync(out)).toBe(true);
  });
});
