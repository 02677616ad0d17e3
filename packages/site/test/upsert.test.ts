import { writeRows } from "@dealcloud-ts/data";
import { beforeAll, describe, expect, it } from "vitest";
import { AmbiguousKeyError, createSite, UnknownNameError } from "../src/index.js";
import { mockSite } from "./support/site.js";

const companyName = (n: number) => `Company ${String(n).padStart(7, "0")}`;
const email = (n: number) => `person${n}@example.test`;
const UNKNOWN = [3, 400, 801, 1202, 1299].map((n) => 1199 + n);
const INVALID = 2499;

/** 1,199 rows for existing contacts (new Title), 1,300 new ones (5 naming unknown companies), 1 without FullName. */
function input() {
  const rows: Record<string, unknown>[] = [];
  for (let n = 0; n < 2500; n++)
    rows.push({ FullName: `Person ${n}`, Email: email(n), Title: "Partner", Company: companyName(1 + (n % 400)) });
  for (const index of UNKNOWN) rows[index]!["Company"] = `Compnay ${String(index).padStart(7, "0")}`;
  rows[INVALID] = { Email: email(INVALID), Title: "Partner" };
  return rows;
}

describe("site.upsert by email, 2,500 contacts on a site of 200,000 contacts and 50,000 companies", () => {
  const site = mockSite({ seed: { rows: { company: 50_000, contact: 200_000 } } });
  const dc = createSite(site.dc);
  let first: Awaited<ReturnType<typeof dc.upsert>>;

  beforeAll(async () => {
    // 1,199 existing contacts, the first 1,199 emails of the input.
    const existing = Array.from({ length: 1199 }, (_, n) => ({
      FullName: `Person ${n}`,
      Email: email(n),
      Title: "Analyst",
    }));
    const report = await writeRows(site.dc.data, "contact", existing, { mode: "create" });
    expect(report.failed).toEqual([]);
    await dc.model();
    site.clear();
    first = await dc.upsert("contact", input(), { key: "Email" });
  }, 60_000);

  it("creates 1,295, updates 1,199 and fails the 6 rows it cannot resolve", () => {
    expect(first.created).toHaveLength(1295);
    expect(first.updated).toHaveLength(1199);
    expect(first.unchanged).toHaveLength(0);
    expect(first.failed.map((failure) => failure.index)).toEqual([...UNKNOWN, INVALID]);
    expect(first.updated.map((entry) => entry.index)).toEqual(Array.from({ length: 1199 }, (_, n) => n));
  });

  it("reports each unknown company name with the closest existing names", () => {
    const failure = first.failed[0]!;
    expect(failure.error).toBeInstanceOf(UnknownNameError);
    const error = failure.error as UnknownNameError;
    expect(error.code).toBe("UNKNOWN_NAME");
    expect(error.unknown).toEqual([
      { field: "Company", value: "Compnay 0001202", suggestions: expect.arrayContaining(["Company 0001202"]) },
    ]);
    expect(error.unknown[0]!.suggestions[0]).toBe("Company 0001202");
    expect(error.message).toContain('Company: no "Compnay 0001202" (closest: "Company 0001202"');
    expect(first.failed.at(-1)!.error.message).toContain("FullName");
  });

  it("writes nothing for the rows that failed, and the written rows hold the resolved company", () => {
    const rows = site.mock.rows("contact");
    const emails = new Set(rows.map((row) => row["Email"]));
    for (const index of [...UNKNOWN, INVALID]) expect(emails.has(email(index))).toBe(false);
    const ada = rows.find((row) => row["Email"] === email(1500))!;
    expect((ada["Company"] as { name: string }).name).toBe(companyName(1 + (1500 % 400)));
    expect(rows.find((row) => row["Email"] === email(7))!["Title"]).toBe("Partner");
  }, 30_000); // renders all 200,000 contacts: seconds on a loaded 2-core machine

  it("uses ceil(2,500 / 500) key lookups + ceil(400 distinct companies / 500) name lookups, plus the writes", () => {
    const bound = Math.ceil(2500 / 500) + Math.ceil(400 / 500);
    expect(first.requests.lookups).toBe(6);
    expect(first.requests.lookups).toBeLessThanOrEqual(bound);
    // One suggestion query per unknown name, only because those names matched nothing.
    expect(first.requests.suggestions).toBe(5);
    // 1,295 creates in 2 requests, 1,199 updates in 2.
    expect(first.requests.writes).toBe(4);
    expect(site.lookups()).toBe(first.requests.lookups + first.requests.suggestions);
    expect(site.writes()).toBe(4);
    expect(site.schemaCalls()).toBe(0);
  });

  it("a second identical upsert creates nothing and writes nothing", async () => {
    site.clear();
    const again = await dc.upsert("contact", input(), { key: "Email" });
    expect(again.created).toEqual([]);
    expect(again.updated).toEqual([]);
    expect(again.unchanged).toHaveLength(2494);
    expect(again.failed).toHaveLength(6);
    expect(site.writes()).toBe(0);
  });
});

describe("site.upsert safety", () => {
  it("refuses a key that matches several entries, listing them, and writes nothing for that row", async () => {
    const site = mockSite();
    await writeRows(
      site.dc.data,
      "contact",
      [
        { FullName: "Twin A", Email: "twin@example.test" },
        { FullName: "Twin B", Email: "twin@example.test" },
      ],
      { mode: "create" },
    );
    const dc = createSite(site.dc);
    const report = await dc.upsert("contact", [{ FullName: "Twin", Email: "twin@example.test", Title: "X" }], {
      key: "Email",
    });
    expect(report.failed[0]!.error).toBeInstanceOf(AmbiguousKeyError);
    expect((report.failed[0]!.error as AmbiguousKeyError).entryIds).toHaveLength(2);
    expect(report.updated).toEqual([]);
    expect(site.mock.rows("contact").filter((row) => row["Title"] === "X")).toEqual([]);
  });

  it("skip-field leaves an unknown name out instead of writing null over the old value", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    await dc.insert("contact", [{ FullName: "Keep", Email: "keep@example.test", Company: "Intapp" }]);
    const report = await dc.upsert("contact", [{ Email: "keep@example.test", Company: "Nope Inc", Title: "CEO" }], {
      key: "Email",
      onUnknown: "skip-field",
    });
    expect(report.updated).toHaveLength(1);
    expect(report.skipped.map((skip) => skip.field)).toEqual(["Company"]);
    const row = site.mock.rows("contact").find((r) => r["Email"] === "keep@example.test")!;
    expect((row["Company"] as { name: string }).name).toBe("Intapp");
    expect(row["Title"]).toBe("CEO");
  });

  it("refuses an upsert with no key before sending anything", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    await expect(dc.upsert("contact", [{ FullName: "A" }], {})).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
    expect(site.writes()).toBe(0);
  });

  it("dryRun resolves, looks up keys and reports what it would do, and writes nothing", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    await dc.insert("contact", [{ FullName: "Old", Email: "old@example.test", Title: "Analyst" }]);
    const before = site.mock.rows("contact");
    site.clear();
    const rows = [
      { FullName: "Old", Email: "old@example.test", Title: "Partner" },
      { FullName: "New A", Email: "a@example.test", Company: "Intapp" },
      { FullName: "New B", Email: "b@example.test", Company: "Nope Inc" },
      { FullName: "New C", Email: "c@example.test" },
    ];
    const report = await dc.upsert("contact", rows, { key: "Email", dryRun: true });
    expect(report.updated).toEqual([
      { index: 0, entryId: before.find((r) => r["Email"] === "old@example.test")!.EntryId },
    ]);
    expect(report.created).toEqual([
      { index: 1, entryId: -1 },
      { index: 3, entryId: -2 },
    ]);
    expect(report.failed.map((f) => [f.index, f.error.code])).toEqual([[2, "UNKNOWN_NAME"]]);
    expect(report.requests.writes).toBe(0);
    expect(site.writes()).toBe(0);
    expect(site.mock.rows("contact")).toEqual(before);
  });

  it("refuses a dryRun that is not a boolean", async () => {
    const dc = createSite(mockSite().dc);
    await expect(
      dc.upsert("contact", [{ FullName: "A", Email: "a@example.test" }], { key: "Email", dryRun: "yes" as never }),
    ).rejects.toMatchObject({ code: "INVALID_ARGUMENT" });
  });
});
