import { describe, expect, it } from "vitest";
import { createSite, flattenRow, UnknownNameError } from "../src/index.js";
import { mockSite } from "./support/site.js";

const collect = async <T>(items: AsyncIterable<T>) => {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
};

describe("writes and reads by name", () => {
  it("multi-value choice and reference fields round-trip by name, as arrays", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    const companies = await dc.insert("company", [
      {
        CompanyName: "Acme",
        CompanyType: "Lender",
        Industries: ["Technology", "Healthcare"],
        CoveragePerson: "Dana Analyst",
      },
    ]);
    expect(companies.failed).toEqual([]);
    const interaction = await dc.insert("interaction", [
      {
        Subject: "Kick-off",
        Type: "Call",
        Companies: ["Acme", "Intapp"],
        Contacts: ["Joe Smith"],
        EnteredBy: "firstname.lastname@mock.dealcloud.test",
      },
    ]);
    expect(interaction.failed).toEqual([]);
    const [acme] = await collect(dc.rows("company", { query: { CompanyName: "Acme" } }));
    expect(acme).toMatchObject({
      CompanyName: "Acme",
      CompanyType: "Lender",
      Industries: ["Technology", "Healthcare"],
      CoveragePerson: "Dana Analyst",
    });
    const [kickOff] = await collect(dc.rows("interaction", { query: { Subject: "Kick-off" }, keys: "name" }));
    expect(kickOff).toMatchObject({
      Subject: "Kick-off",
      Type: "Call",
      Companies: ["Acme", "Intapp"],
      Contacts: ["Joe Smith"],
      "Entered By": "FirstName LastName",
    });
    const [byId] = await collect(
      dc.rows("interaction", { query: { Subject: "Kick-off" }, resolve: "id", fields: ["Companies"] }),
    );
    expect(byId!["Companies"]).toEqual([expect.any(Number), expect.any(Number)]);
  });

  it("a name with & round-trips: written as text, answered escaped, resolved unescaped", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    await dc.insert("company", [{ CompanyName: "Smith & Sons <UK>" }]);
    const raw = await site.dc.data.POST("/entrydata/rows/query/{entryTypeId}", {
      params: { path: { entryTypeId: "company" } },
      body: { query: JSON.stringify({ CompanyName: "Smith & Sons <UK>" }) },
    });
    expect((raw.data!.rows[0] as any).CompanyName.name).toBe("Smith &amp; Sons &lt;UK&gt;");
    const report = await dc.insert("contact", [{ FullName: "Jo", Company: "Smith & Sons <UK>" }]);
    expect(report.failed).toEqual([]);
    const [jo] = await collect(dc.rows("contact", { query: { FullName: "Jo" } }));
    expect(jo!["Company"]).toBe("Smith & Sons <UK>");
  });

  it("an unknown choice name reloads the model once, then fails with the closest names; nothing is written", async () => {
    const site = mockSite();
    const dc = createSite(site.dc);
    await dc.model();
    const before = site.schemaCalls();
    const report = await dc.insert("company", [{ CompanyName: "Typo", CompanyType: "Lendr" }]);
    expect(site.schemaCalls() - before).toBe(before);
    const error = report.failed[0]!.error as UnknownNameError;
    expect(error).toBeInstanceOf(UnknownNameError);
    expect(error.unknown[0]).toMatchObject({ field: "CompanyType", value: "Lendr" });
    expect(error.unknown[0]!.suggestions[0]).toBe("Lender");
    expect(site.writes()).toBe(0);
  });

  it("rows reports progress once per page with the total", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 2500 } } });
    const progress: [number, number | undefined][] = [];
    const rows = await collect(
      createSite(site.dc).rows("company", { onProgress: ({ done, total }) => progress.push([done, total]) }),
    );
    expect(rows).toHaveLength(2500);
    expect(progress).toEqual([
      [1000, 2500],
      [2000, 2500],
      [2500, 2500],
    ]);
  });

  it("flattenRow flattens a raw Data API row as rows does", async () => {
    const site = mockSite({ seed: { sampleEntries: false, rows: { company: 20 } } });
    const dc = createSite(site.dc);
    const company = (await dc.model()).entryType("company")!;
    const raw = site.mock.rows("company");
    const flat = await collect(dc.rows("company"));
    expect(raw.map((row) => flattenRow(company, row))).toEqual(flat);
    expect(flattenRow(company, { EntryId: 1, CompanyType: [{ id: 7, name: "Law &amp; Co" }] })).toEqual({
      EntryId: 1,
      CompanyType: "Law & Co",
    });
    expect(flattenRow(company, { EntryId: 1, CompanyType: [{ id: 7, name: "x" }] }, { resolve: "id" })).toEqual({
      EntryId: 1,
      CompanyType: 7,
    });
  });

  it("the model is loaded once and cached for modelTtlMs", async () => {
    const site = mockSite();
    const dc = createSite(site.dc, { modelTtlMs: 60_000 });
    const [a, b] = await Promise.all([dc.model(), dc.model()]);
    expect(a).toBe(b);
    expect(await dc.model()).toBe(a);
    expect(site.schemaCalls()).toBe(4);
    const company = a.entryType("Companies")!;
    expect(company.nameField?.apiName).toBe("CompanyName");
    expect(a.field(company, "Company Type")).toMatchObject({ kind: "choice", multi: false, required: false });
    expect(a.field(company, "Industries")!.choices.map((choice) => choice.name)).toContain("Technology");
    expect(a.field(company, "ParentCompany")!.targets).toEqual([2011]);
    expect(a.users.map((user) => user.id)).toContain(8278);
    expect(await dc.refresh()).not.toBe(a);
  });
});

describe("mock fidelity", () => {
  it("the fields answer carries choiceValues with { id, name, parentID, seqNumber, entryListId }", async () => {
    const site = mockSite();
    const { data: fields } = await site.dc.schema.GET("/entrytypes/{entryTypeId}/fields", {
      params: { path: { entryTypeId: "company" } },
    });
    const type = fields!.find((field) => field.apiName === "CompanyType")!;
    expect(type.choiceValues![0]).toEqual({
      id: 3197780,
      name: "Limited Partner",
      parentID: 0,
      seqNumber: 1,
      entryListId: -6,
    });
  });

  it("refuses a new contact without its required FullName", async () => {
    const site = mockSite();
    const { response, error } = await site.dc.data.POST("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: "contact" } },
      body: [{ EntryId: -1, Email: "nobody@example.test" }],
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(error)).toContain("FullName");
  });
});
