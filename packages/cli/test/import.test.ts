import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDataClient, writeRows } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { byName, runBin, serveSite, tempDir } from "./support/cli.js";

const EXISTING = 2000;
const ROWS = 5000;
const companyName = (n: number) => `Company ${String(n).padStart(7, "0")}`;
const email = (n: number) => `person${n}@example.test`;
const TWIN = "twin@example.test";
const TWIN2 = "twin2@example.test";

/** Bad rows by index: what makes each fail and the code it must be reported with. */
const BAD = {
  2100: { code: "UNKNOWN_NAME", change: (row: string[]) => (row[3] = "Compnay 0000017") },
  2600: { code: "UNKNOWN_NAME", change: (row: string[]) => (row[3] = "Nowhere Holdings") },
  3100: { code: "UNKNOWN_NAME", change: (row: string[]) => (row[3] = "Compnay 0000020") },
  3600: { code: "UNKNOWN_NAME", change: (row: string[]) => (row[3] = "Compnay 0000031") },
  4100: { code: "UNKNOWN_NAME", change: (row: string[]) => (row[3] = "Compnay 0000042") },
  2200: { code: "INVALID_ARGUMENT", change: (row: string[]) => (row[0] = "") }, // a new contact without FullName
  4200: { code: "INVALID_ARGUMENT", change: (row: string[]) => (row[0] = "") },
  4300: { code: "INVALID_ARGUMENT", change: (row: string[]) => (row[1] = email(10)) }, // the email of row 10 again
  4400: { code: "AMBIGUOUS_KEY", change: (row: string[]) => (row[1] = TWIN) },
  4500: { code: "AMBIGUOUS_KEY", change: (row: string[]) => (row[1] = TWIN2.toUpperCase()) }, // keys ignore case
} as const;
const isBad = (n: number) => n in BAD;

/** 2,000 rows for existing contacts (a new Title), 3,000 new ones, 10 of them bad; display names as headers. */
function csv(): string {
  const rows: string[][] = [];
  for (let n = 0; n < ROWS; n++) {
    // A title with a comma and quotes checks the CSV quoting on the way in.
    const row = [`Person ${n}`, email(n), n % 7 === 0 ? 'Partner, "Senior"' : "Partner", companyName(1 + (n % 400))];
    BAD[n as keyof typeof BAD]?.change(row);
    rows.push(row);
  }
  return stringify(rows, { header: true, columns: ["Full Name", "Email", "Title", "Company"] });
}

/** A site with 1,000 companies, 2,000 contacts (Title "Analyst") and two contacts sharing one email. */
async function prepareSite() {
  const site = await serveSite({ seed: { rows: { company: 1000 } } });
  const dataApi = createDataClient({ baseUrl: site.url, ...DEFAULT_MOCK_CLIENT });
  const existing = Array.from({ length: EXISTING }, (_, n) => ({
    FullName: `Person ${n}`,
    Email: email(n),
    Title: "Analyst",
  }));
  for (const twin of [TWIN, TWIN2])
    existing.push(
      { FullName: "Twin A", Email: twin, Title: "Twin" },
      { FullName: "Twin B", Email: twin, Title: "Twin" },
    );
  const report = await writeRows(dataApi, "contact", existing, { mode: "create" });
  expect(report.failed).toEqual([]);
  return site;
}

const contactsByEmail = (site: Awaited<ReturnType<typeof serveSite>>) => {
  const map = new Map<string, Record<string, unknown>[]>();
  for (const row of site.mock.rows("contact")) {
    const key = String(row["Email"]);
    map.set(key, [...(map.get(key) ?? []), row]);
  }
  return map;
};

describe("dealcloud import of a 5,000-row CSV of contacts by names, upsert by Email", () => {
  let site: Awaited<ReturnType<typeof prepareSite>>;
  const temp = tempDir();
  const file = join(temp.dir, "contacts.csv");
  const report = join(temp.dir, "failed.ndjson");
  let run: Awaited<ReturnType<typeof runBin>>;

  beforeAll(async () => {
    site = await prepareSite();
    writeFileSync(file, csv());
    run = await runBin(["import", "contact", file, "--mode", "upsert", "--key", "Email", "--report", report], {
      env: site.env,
    });
  });
  afterAll(async () => {
    await site.close();
    temp.remove();
  });

  it("exits 3 (some rows failed) and says what it did on stdout", () => {
    expect(run.code, run.stderr).toBe(3);
    expect(run.stdout).toBe("contact: 5,000 rows, 2,990 created, 2,000 updated, 0 unchanged, 10 failed.\n");
    expect(run.stderr).toContain(`Failed rows and their reasons: ${report}`);
  });

  it("reports each failed row once with its file line, code and reason, and the closest names for unknown ones", () => {
    const lines = readFileSync(report, "utf8")
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(lines.map((line) => [line.line, line.code])).toEqual(
      Object.entries(BAD).map(([n, bad]) => [Number(n) + 2, bad.code]),
    );
    const unknown = lines.find((line) => line.line === 2102);
    expect(unknown.reason).toBe('Company: no "Compnay 0000017" (closest: "Company 0000017")');
    expect(unknown.unknown[0]).toMatchObject({ field: "Company", value: "Compnay 0000017" });
    expect(unknown.row).toEqual({
      "Full Name": "Person 2100",
      Email: email(2100),
      Title: 'Partner, "Senior"',
      Company: "Compnay 0000017",
    });
    expect(lines.find((line) => line.line === 2202).reason).toBe("a new contact needs FullName.");
    expect(lines.find((line) => line.line === 4302).reason).toBe(
      "same Email as line 12: the file names this entry twice",
    );
    expect(lines.find((line) => line.line === 4402).entryIds).toHaveLength(2);
  });

  it("wrote the good rows with their companies resolved by name, and nothing for the bad ones", () => {
    const byEmail = contactsByEmail(site);
    for (let n = 0; n < ROWS; n++) {
      const found = byEmail.get(email(n)) ?? [];
      if (isBad(n)) {
        // Every bad row is a new contact: none was created (4300 carried row 10's email, 4400/4500 the twins').
        expect(found, `row ${n}`).toHaveLength(0);
        continue;
      }
      expect(found, `row ${n}`).toHaveLength(1);
      const row = found[0]!;
      expect(row["Title"]).toBe(n % 7 === 0 ? 'Partner, "Senior"' : "Partner");
      expect(byName(row["Company"], false)).toBe(companyName(1 + (n % 400)));
      expect(byName(row["FullName"], false)).toBe(`Person ${n}`);
    }
    for (const twin of [TWIN, TWIN2]) expect(byEmail.get(twin)!.map((row) => row["Title"])).toEqual(["Twin", "Twin"]);
    // Row 10 was written once, from line 12, not overwritten by line 4302.
    expect(byName(byEmail.get(email(10))![0]!["FullName"], false)).toBe("Person 10");
  });

  it("a second run of the same file creates nothing and writes nothing: every good row is unchanged", async () => {
    const before = site.writes();
    const again = await runBin(["import", "contact", file, "--key", "Email", "--json"], { env: site.env });
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 4990,
      failed: 10,
      dryRun: false,
    });
    expect(site.writes()).toBe(before);
  });
});

describe("dealcloud import --dry-run", () => {
  it("resolves and checks the same 5,000 rows, reports what it would do and the failed rows, and writes nothing", async () => {
    const site = await prepareSite();
    const temp = tempDir();
    try {
      const file = join(temp.dir, "contacts.csv");
      const report = join(temp.dir, "failed.ndjson");
      writeFileSync(file, csv());
      const before = JSON.stringify(site.mock.rows("contact"));
      const writes = site.writes();
      const run = await runBin(["import", "contact", file, "--key", "Email", "--dry-run", "--report", report], {
        env: site.env,
      });
      expect(run.stdout).toBe(
        "Dry run (nothing written): contact: 5,000 rows, 2,990 would be created, 2,000 would be updated, 0 unchanged, 10 failed.\n",
      );
      expect(run.code, run.stderr).toBe(3);
      expect(site.writes()).toBe(writes);
      expect(JSON.stringify(site.mock.rows("contact"))).toBe(before);
      expect(readFileSync(report, "utf8").trimEnd().split("\n")).toHaveLength(10);
    } finally {
      await site.close();
      temp.remove();
    }
  });
});

describe("dealcloud import of NDJSON", () => {
  it("creates companies with multi-value choices given as arrays of names, and exits 0", async () => {
    const site = await serveSite();
    const temp = tempDir();
    try {
      const file = join(temp.dir, "companies.ndjson");
      writeFileSync(
        file,
        `${JSON.stringify({ CompanyName: "Acme", Industries: ["Technology", "Healthcare"], CompanyType: "Lender" })}\n\n${JSON.stringify({ CompanyName: "Globex", Revenue: 5 })}\n`,
      );
      const run = await runBin(["import", "company", file, "--mode", "create"], { env: site.env });
      expect(run.stdout).toBe("company: 2 rows, 2 created, 0 updated, 0 unchanged, 0 failed.\n");
      expect(run.code, run.stderr).toBe(0);
      const acme = site.mock.rows("company").find((row) => byName(row["CompanyName"], false) === "Acme")!;
      expect(byName(acme["Industries"], true)).toEqual(["Technology", "Healthcare"]);
      expect(byName(acme["CompanyType"], false)).toBe("Lender");
    } finally {
      await site.close();
      temp.remove();
    }
  });
});

/**
 * `dealcloud import company <file> --mode create …args` against an empty site, the file holding `text`: the run
 * and how many companies the site holds after it.
 */
async function importCompanies(name: string, text: string, args: string[] = [], env: Record<string, string> = {}) {
  const site = await serveSite({ seed: { sampleEntries: false } });
  const temp = tempDir();
  try {
    const file = join(temp.dir, name);
    writeFileSync(file, text);
    const run = await runBin(["import", "company", file, "--mode", "create", ...args], {
      env: { ...site.env, ...env },
      timeoutMs: 120_000,
    });
    return { run, companies: site.mock.rows("company").length };
  } finally {
    await site.close();
    temp.remove();
  }
}

describe("dealcloud import streams its file", () => {
  // 100,000 rows held at once (parsed records, rows, rows ready to write) took more than a 48 MB heap: the bin
  // died of "JavaScript heap out of memory" after 0.5 s. Read twice from disk, it needs one chunk at a time.
  it("imports 100,000 CSV rows with the heap capped at 48 MB", async () => {
    const lines = ["CompanyName,City"];
    for (let n = 0; n < 100_000; n++) lines.push(`Company ${n},City ${n % 100}`);
    const { run, companies } = await importCompanies("companies.csv", `${lines.join("\n")}\n`, ["--quiet"], {
      NODE_OPTIONS: "--max-old-space-size=48",
    });
    expect(run.stderr).not.toMatch(/heap/i);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("company: 100,000 rows, 100,000 created, 0 updated, 0 unchanged, 0 failed.\n");
    expect(companies).toBe(100_000);
  }, 150_000);

  it("checks every row before writing: a bad value on the last line of an NDJSON file fails that row only", async () => {
    const rows = Array.from({ length: 2_500 }, (_, n) => JSON.stringify({ CompanyName: `Company ${n}` }));
    rows.push(JSON.stringify({ CompanyName: "Late", Revenue: "lots" }));
    const { run, companies } = await importCompanies("companies.ndjson", rows.join("\n"));
    expect(run.stdout).toBe("company: 2,501 rows, 2,500 created, 0 updated, 0 unchanged, 1 failed.\n");
    expect(run.stderr).toMatch(/line 2501: /);
    expect(companies).toBe(2_500);
  });

  it("stops before writing when a column names no field, even if it first appears on the last NDJSON line", async () => {
    const rows = Array.from({ length: 1_500 }, (_, n) => JSON.stringify({ CompanyName: `Company ${n}` }));
    rows.push(JSON.stringify({ CompanyName: "Late", Ctiy: "Boston" }));
    const { run, companies } = await importCompanies("companies.ndjson", `${rows.join("\n")}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/"Ctiy" \(did you mean "City"\?\)/);
    expect(companies).toBe(0);
  });
});
