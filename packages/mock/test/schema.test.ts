import { describe, expect, it } from "vitest";
import { API, testSite } from "./support/api.js";

/** A clock that stands still unless moved, so the 5-per-second window is exact. */
function clock() {
  let time = Date.UTC(2026, 10, 1);
  return { now: () => time, advance: (ms: number) => void (time += ms) };
}

describe("Schema API", () => {
  it("lists the objects, and finds one by id or apiName", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${API.schema}/entrytypes`);
    expect(body.map((type: { apiName: string }) => type.apiName)).toEqual([
      "company",
      "contact",
      "interaction",
      "deal",
    ]);
    expect(body[0]).toEqual({
      id: 2011,
      name: "Companies",
      apiName: "company",
      singularName: "Company",
      pluralName: "Companies",
      entryListId: -5,
      entryListType: 12,
      entryListSubType: 0,
    });
    expect((await call("GET", `${API.schema}/entrytypes/Interaction`)).body.id).toBe(2013);
    expect((await call("GET", `${API.schema}/entrytypes/2014`)).body.apiName).toBe("deal");
    expect((await call("GET", `${API.schema}/entrytypes/planet`)).status).toBe(400);
  });

  it("lists an object's fields with every key of the vendor's sample, and refuses editable=false with entryForm=true", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${API.schema}/entrytypes/company/fields`);
    expect(body[0]).toEqual({
      id: 100001,
      name: "Company Name",
      apiName: "CompanyName",
      entryListId: 2011,
      fieldType: 1,
      isRequired: true,
      allowDuplicates: false,
      warnOnNearDuplicates: true,
      isMoney: false,
      isMultiSelect: false,
      entryLists: [],
      systemFieldType: 9,
      isKey: true,
      isCalculated: false,
      isAttachment: false,
      isStoreRequestSupported: true,
    });
    expect(body.find((field: { apiName: string }) => field.apiName === "ParentCompany").entryLists).toEqual([2011]);
    const refused = await call("GET", `${API.schema}/entrytypes/company/fields`, {
      query: { editable: false, entryForm: true },
    });
    expect(refused).toMatchObject({ status: 400, body: { message: "Entry form can only have editable fields." } });
  });

  it("reads fields by id, one or several, and every field of the site", async () => {
    const { call } = testSite();
    expect((await call("GET", `${API.schema}/fields/100005`)).body.apiName).toBe("City");
    const several = await call("GET", `${API.schema}/fields`, { query: { fieldIds: [100001, 100011] } });
    expect(several.body.map((field: { apiName: string }) => field.apiName)).toEqual(["CompanyName", "FullName"]);
    expect((await call("GET", `${API.schema}/fields/2302`)).body.message).toBe('Field with Id "2302" does not exist');
    const all = await call("GET", `${API.schema}/allfields`);
    expect(new Set(all.body.map((field: { entryListId: number }) => field.entryListId))).toEqual(
      new Set([2011, 2012, 2013, 2014]),
    );
  });

  it("lists the 14 filter operations, currencies, users and the other metadata", async () => {
    const { call } = testSite({ ...clock() });
    const operations = await call("GET", `${API.schema}/filteroperations`);
    expect(operations.body).toHaveLength(14);
    expect(operations.body[0]).toEqual({ id: 0, name: "Equals", entryListId: 0 });
    expect(operations.body[13]).toEqual({ id: 13, name: "NotNoData", entryListId: 0 });
    expect((await call("GET", `${API.schema}/currencies`)).body).toEqual(["USD", "GBP", "EUR"]);
    const users = await call("GET", `${API.schema}/users`, { query: { activeOnly: true } });
    expect(users.body.map((user: { email: string }) => user.email)).not.toContain(
      "former.employee@mock.dealcloud.test",
    );
    expect(users.body[0]).toMatchObject({ name: "API User", email: "api.user@mock.dealcloud.test" });
  });

  it("appends choice values by either path, and the Data API accepts them at once", async () => {
    const { call, mock } = testSite({ ...clock() });
    const appended = await call("POST", `${API.schema}/100002/choiceFieldValues`, { body: ["Family Office"] });
    expect(appended.status).toBe(200);
    const familyOffice = appended.body.find((value: { name: string }) => value.name === "Family Office");
    await call("POST", `${API.schema}/choiceFieldValues/100002`, { body: ["Family Office", "Sovereign Fund"] });
    const after = await call("POST", `${API.schema}/100002/choiceFieldValues`, { body: [] });
    expect(after.body.map((value: { name: string }) => value.name).slice(-2)).toEqual([
      "Family Office",
      "Sovereign Fund",
    ]);
    const written = await call("POST", `${API.data}/entrydata/rows/company`, {
      body: [{ EntryId: -1, CompanyName: "Family Co", CompanyType: familyOffice.id }],
    });
    expect(written.status).toBe(200);
    expect((mock.rows("company").at(-1)!.CompanyType as { name: string }).name).toBe("Family Office");
    expect((await call("POST", `${API.schema}/100001/choiceFieldValues`, { body: ["x"] })).body.message).toContain(
      "not a choice field",
    );
  });

  it("allows 5 calls per second per user, then answers 429 with Retry-After", async () => {
    const time = clock();
    const { call } = testSite({ now: time.now });
    for (let n = 0; n < 5; n++) expect((await call("GET", `${API.schema}/currencies`)).status).toBe(200);
    const limited = await call("GET", `${API.schema}/currencies`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("1");
    expect(limited.body.message).toContain("5 calls per second");
    // The Data API shares the scope but not the limit.
    expect((await call("GET", `${API.data}/entrydata/company/entries`)).status).toBe(200);
    time.advance(1000);
    expect((await call("GET", `${API.schema}/currencies`)).status).toBe(200);
  });
});

describe("API areas: authentication and scope", () => {
  it("answers 401 without a token, with an unknown token and with an expired one", async () => {
    const time = clock();
    const { call, token } = testSite({ now: time.now });
    expect((await call("GET", `${API.data}/entrydata/company/entries`, { authorization: "" })).status).toBe(401);
    expect((await call("GET", `${API.data}/entrydata/company/entries`, { authorization: "Bearer nope" })).status).toBe(
      401,
    );
    const value = await token("data");
    time.advance(900_000);
    const expired = await call("GET", `${API.data}/entrydata/company/entries`, { authorization: `Bearer ${value}` });
    expect(expired.status).toBe(401);
    expect(expired.body.message).toContain("expired");
    expect(expired.body.message).not.toContain(value);
  });

  it("answers 403 with DealCloud's hint when the token lacks the area's scope", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${API.schema}/entrytypes`, { scope: "publish" });
    expect(status).toBe(403);
    expect(body.message).toContain('lacks the "data" scope');
    expect(body.message).toContain("API capability");
    expect(
      (await call("POST", `${API.backups}/request`, { scope: "data", body: { apiNames: ["company"] } })).status,
    ).toBe(403);
  });

  it("routes paths case-insensitively and answers 405 for a known path with the wrong method", async () => {
    const { call } = testSite();
    expect((await call("GET", `${API.schema}/EntryTypes`)).status).toBe(200);
    const wrong = await call("DELETE", `${API.schema}/entrytypes`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET");
  });
});
