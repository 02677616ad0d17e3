import { describe, expect, it } from "vitest";
import { API, testSite } from "./support/api.js";

const ROWS = `${API.data}/entrydata/rows`;

describe("Data API rows reads", () => {
  it("pages through an object by id or apiName with limit, skip and totalRecords", async () => {
    const { call } = testSite({ seed: { rows: { company: 25 } } });
    const first = await call("GET", `${ROWS}/company`, { query: { limit: 10 } });
    expect(first.status).toBe(200);
    expect(first.body.totalRecords).toBe(28);
    expect(first.body.rows).toHaveLength(10);
    const last = await call("GET", `${ROWS}/2011`, { query: { limit: 10, skip: 20 } });
    expect(last.body.rows).toHaveLength(8);
    const ids = [...first.body.rows, ...last.body.rows].map((row: { EntryId: number }) => row.EntryId);
    expect(new Set(ids).size).toBe(18);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it("answers the name field as a reference to the entry itself, and choice, user and reference values as objects", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${ROWS}/interaction`, { query: { wrapIntoArrays: true } });
    const row = body.rows[0];
    expect(row.Subject).toEqual({ type: 0, id: row.EntryId, name: "Test Interactions", entryListId: 2013 });
    expect(row.Type).toMatchObject({ name: "Meeting", entryListId: -6, isAutoPdf: false });
    expect(row.EnteredBy).toEqual({
      url: "mailto:firstname.lastname@mock.dealcloud.test",
      type: 0,
      id: 8278,
      name: "FirstName LastName",
      entryListId: -1,
    });
    expect(row.Companies).toEqual([expect.objectContaining({ type: 0, name: "Northwind Capital", entryListId: 2011 })]);
    expect(row.Date).toBe("2020-12-30T05:00:00Z");
  });

  it("unwraps single multi-values unless wrapIntoArrays, and adds urls with resolveReferenceUrls", async () => {
    const { call } = testSite();
    const bare = await call("GET", `${ROWS}/interaction`, { query: { wrapIntoArrays: false } });
    expect(Array.isArray(bare.body.rows[0].Companies)).toBe(false);
    const linked = await call("GET", `${ROWS}/interaction`, { query: { resolveReferenceUrls: true } });
    expect(linked.body.rows[0].Companies.url).toMatch(/^https:\/\/mock\.dealcloud\.test\//);
  });

  it("returns only the requested fields (repeated or comma-separated), and refuses unknown ones", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${ROWS}/company`, { query: { fields: ["CompanyName,City"] } });
    expect(Object.keys(body.rows[0]).sort()).toEqual(["City", "CompanyName", "EntryId"]);
    const bad = await call("GET", `${ROWS}/company`, { query: { fields: "Nope" } });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('Field with name "Nope" does not exist');
  });

  it.each([
    ['{"CompanyName": "Intapp"}', ["Intapp"]],
    ["{companyname: 'intapp'}", ["Intapp"]],
    ['{"CompanyType": {"$eq": "Portfolio Company"}}', ["Intapp", "Contoso Health"]],
    ['{"CompanyType": {"$not": "Portfolio Company"}}', ["Northwind Capital"]],
    ['{"CompanyName": {"$in": ["Intapp", "Contoso Health"]}}', ["Intapp", "Contoso Health"]],
    ['{"CompanyName": {"$nin": ["Intapp"]}}', ["Northwind Capital", "Contoso Health"]],
    ['{"EntryId": {"$in": [5000001, 5000003, 42]}}', ["Intapp", "Contoso Health"]],
    ['{"CompanyType": {"$in": [3197781]}}', ["Intapp", "Contoso Health"]],
    ['{"Revenue": {"$gt": 50000000}}', ["Northwind Capital"]],
    ['{"Revenue": {"$lt": 50000000}}', ["Contoso Health"]],
    ['{"Revenue": {"$between": [1, 50000000]}}', ["Contoso Health"]],
    ['{"CompanyName": {"$contains": "wind"}}', ["Northwind Capital"]],
    ['{"CompanyName": {"$startswith": "con"}}', ["Contoso Health"]],
    ['{"CompanyName": {"$endswith": "APP"}}', ["Intapp"]],
    ['{"Industries": "Technology"}', ["Intapp", "Contoso Health"]],
    ['{"FoundedDate": "2009-05-01T17:30:00Z"}', ["Contoso Health"]],
    ['{"$or": [{"City": "Boston"}, {"City": "Palo Alto"}]}', ["Intapp", "Contoso Health"]],
    ['{"$and": [{"CompanyType": "Portfolio Company"}, {"City": "Boston"}]}', ["Contoso Health"]],
    ['{"Revenue": null}', ["Intapp"]],
  ])("filters with %s", async (query, names) => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${ROWS}/company`, { query: { query } });
    expect(status).toBe(200);
    expect(body.rows.map((row: { CompanyName: { name: string } }) => row.CompanyName.name)).toEqual(names);
    expect(body.totalRecords).toBe(names.length);
  });

  it("filters reference values by id as well as by name, and EntryId case-insensitively", async () => {
    const { call, mock } = testSite();
    const northwind = mock
      .rows("company")
      .find((row) => (row.CompanyName as { name: string }).name === "Northwind Capital")!;
    const byId = await call("GET", `${ROWS}/contact`, {
      query: { query: JSON.stringify({ Company: northwind.EntryId }) },
    });
    expect(byId.body.totalRecords).toBe(1);
    const byEntryId = await call("GET", `${ROWS}/company`, {
      query: { query: `{entryid: ${northwind.EntryId as number}}` },
    });
    expect(byEntryId.body.rows[0].EntryId).toBe(northwind.EntryId);
  });

  it.each([
    ['{"CompanyName": {"$ne": "Intapp"}}', 'Unknown filter operator "$ne". DealCloud spells it "$not".'],
    ['{"Nope": 1}', 'Field with name "Nope" does not exist'],
    ['{"CompanyName": ', "The query filter is not valid"],
    ['{"CompanyName": {"$in": "Intapp"}}', "The $in operator takes an array"],
  ])("refuses the filter %s with a 400 that says what to fix", async (query, message) => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${ROWS}/company`, { query: { query } });
    expect(status).toBe(400);
    expect(body.message).toContain(message);
  });

  it("takes the same parameters as a JSON body on POST query", async () => {
    const { call } = testSite({ seed: { rows: { company: 5 } } });
    const { status, body } = await call("POST", `${ROWS}/query/company`, {
      body: { query: '{"CompanyName": {"$startswith": "Company 000000"}}', fields: ["CompanyName"], limit: 2, skip: 2 },
    });
    expect(status).toBe(200);
    expect(body.totalRecords).toBe(5);
    expect(body.rows.map((row: { CompanyName: { name: string } }) => row.CompanyName.name)).toEqual([
      "Company 0000003",
      "Company 0000004",
    ]);
  });

  it("refuses GET URLs over 2,040 characters and points at the POST query", async () => {
    const { call } = testSite();
    const names = Array.from({ length: 200 }, (_, n) => `Company ${n}`);
    const { status, body } = await call("GET", `${ROWS}/company`, {
      query: { query: JSON.stringify({ CompanyName: { $in: names } }) },
    });
    expect(status).toBe(400);
    expect(body.message).toContain("POST /entrydata/rows/query/{entryTypeId}");
    const viaPost = await call("POST", `${ROWS}/query/company`, {
      body: { query: JSON.stringify({ CompanyName: { $in: names } }) },
    });
    expect(viaPost.status).toBe(200);
  });

  it("answers date-times in the acting user's zone with dateTimeBehavior=1", async () => {
    const { call } = testSite();
    const utc = await call("GET", `${ROWS}/interaction`);
    expect(utc.body.rows[0].Date).toBe("2020-12-30T05:00:00Z");
    // User 106 (the default client) works in Eastern Standard Time.
    const local = await call("GET", `${ROWS}/interaction`, { query: { dateTimeBehavior: 1 } });
    expect(local.body.rows[0].Date).toBe("2020-12-30T00:00:00");
  });

  it("refuses an unknown object", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${ROWS}/planet`);
    expect(status).toBe(400);
    expect(body.message).toBe('Entry type "planet" does not exist.');
  });
});
