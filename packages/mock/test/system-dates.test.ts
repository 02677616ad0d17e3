import { describe, expect, it } from "vitest";
import { manualClock } from "./helpers.js";
import { API, testSite } from "./support/api.js";

const ROWS = `${API.data}/entrydata/rows`;
const DAY = 86_400_000;

describe("CreatedDate and ModifiedDate system fields", () => {
  it("are set on create, ModifiedDate is bumped on update, and both are readable", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 10, 12));
    const { call } = testSite({ now: clock.now });
    const created = await call("POST", `${ROWS}/company`, { body: [{ EntryId: -1, CompanyName: "Stamped" }] });
    const id = created.body[0].EntryId;
    clock.advance(3 * DAY);
    await call("PATCH", `${ROWS}/company`, { body: [{ EntryId: id, City: "Oslo" }] });
    const read = await call("GET", `${ROWS}/company`, { query: { query: `{EntryId: ${id}}` } });
    expect(read.body.rows[0]).toMatchObject({
      EntryId: id,
      City: "Oslo",
      CreatedDate: "2026-01-10T12:00:00Z",
      ModifiedDate: "2026-01-13T12:00:00Z",
    });
  });

  it("are on seeded and sample entries and can be asked for by `fields`", async () => {
    const { call } = testSite({ seed: { rows: { company: 5 } } });
    const read = await call("GET", `${ROWS}/company`, { query: { fields: ["CreatedDate", "ModifiedDate"] } });
    expect(read.body.rows).toHaveLength(8);
    for (const row of read.body.rows) {
      expect(Object.keys(row).sort()).toEqual(["CreatedDate", "EntryId", "ModifiedDate"]);
      expect(row.CreatedDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
  });

  it("filter with $gt and $lt like other dates", async () => {
    const clock = manualClock(Date.UTC(2026, 0, 1));
    const { call } = testSite({ now: clock.now });
    clock.advance(10 * DAY);
    const created = await call("POST", `${ROWS}/company`, { body: [{ EntryId: -1, CompanyName: "Later" }] });
    const query = (filter: string) => call("GET", `${ROWS}/company`, { query: { query: filter } });
    const newer = await query('{"CreatedDate": {"$gt": "2026-01-05T00:00:00Z"}}');
    expect(newer.body.rows.map((row: { EntryId: number }) => row.EntryId)).toEqual([created.body[0].EntryId]);
    const older = await query('{"ModifiedDate": {"$lt": "2026-01-05T00:00:00Z"}}');
    // The three sample companies, created at site start.
    expect(older.body.totalRecords).toBe(3);
  });

  it("cannot be written", async () => {
    const { call } = testSite();
    const refused = await call("POST", `${ROWS}/company`, {
      body: [{ EntryId: -1, CompanyName: "Backdated", CreatedDate: "2001-01-01T00:00:00Z" }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('Field "CreatedDate" is a system field and cannot be written.');
  });

  it("are listed by the Schema API and left out of the editable fields", async () => {
    const { call } = testSite();
    const all = await call("GET", `${API.schema}/entrytypes/company/fields`);
    const editable = await call("GET", `${API.schema}/entrytypes/company/fields`, { query: { editable: true } });
    const names = (fields: { apiName: string }[]) => fields.map((field) => field.apiName);
    expect(names(all.body)).toEqual(expect.arrayContaining(["CreatedDate", "ModifiedDate"]));
    expect(names(editable.body)).not.toContain("CreatedDate");
    expect(all.body.find((field: { apiName: string }) => field.apiName === "CreatedDate")).toMatchObject({
      fieldType: 4,
      isStoreRequestSupported: false,
    });
  });
});

describe("seeded data", () => {
  it("gives every generated contact a unique email", async () => {
    const { mock } = testSite({ seed: { rows: { contact: 2_000 } } });
    mock.seedRows("contact", 500);
    const emails = mock.rows("contact").map((row) => row.Email as string);
    expect(emails).toHaveLength(2_501);
    expect(new Set(emails).size).toBe(2_501);
    expect(emails.every((email) => /^[^@\s]+@[^@\s]+\.[a-z]+$/.test(email))).toBe(true);
  });
});
