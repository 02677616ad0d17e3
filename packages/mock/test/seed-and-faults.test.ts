import { describe, expect, it, vi } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { API, testSite } from "./support/api.js";

describe("seeded sites", () => {
  it("generates the same rows for the same random seed, and different rows for another", () => {
    const a = createMockDealCloud({ seed: { rows: { deal: 50 }, random: 7 } }).rows("deal");
    const b = createMockDealCloud({ seed: { rows: { deal: 50 }, random: 7 } }).rows("deal");
    const c = createMockDealCloud({ seed: { rows: { deal: 50 }, random: 8 } }).rows("deal");
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("starts empty of sample entries on request, and seeds more rows later with seedRows", async () => {
    const { mock, call } = testSite({ seed: { sampleEntries: false } });
    expect(mock.rows("company")).toEqual([]);
    const { firstId, lastId } = mock.seedRows("company", 1000);
    expect(lastId - firstId).toBe(999);
    const page = await call("GET", `${API.data}/entrydata/rows/company`, { query: { limit: 1, skip: 999 } });
    expect(page.body).toMatchObject({ totalRecords: 1000, rows: [{ EntryId: lastId }] });
    expect(() => mock.seedRows("planet", 1)).toThrow(/no object "planet"; it has company, contact, interaction, deal/);
    expect(() => mock.seedRows("company", -1)).toThrow(RangeError);
  });

  it("holds a large seeded object and pages to its end", async () => {
    const { call } = testSite({ seed: { rows: { company: 100_000 }, sampleEntries: false } });
    const last = await call("GET", `${API.data}/entrydata/rows/company`, {
      query: { limit: 1000, skip: 99_000, fields: "CompanyName" },
    });
    expect(last.body.totalRecords).toBe(100_000);
    expect(last.body.rows).toHaveLength(1000);
    expect(last.body.rows.at(-1).CompanyName.name).toBe("Company 0100000");
  });

  it("reset forgets writes and plants the seed again", async () => {
    const { mock, call } = testSite({ seed: { rows: { contact: 10 } } });
    await call("POST", `${API.data}/entrydata/rows/company`, { body: [{ EntryId: -1, CompanyName: "Temporary" }] });
    mock.reset();
    expect(mock.rows("company")).toHaveLength(3);
    expect(mock.rows("contact")).toHaveLength(11);
  });
});

describe("faults on API routes", () => {
  it("targets one operation of an area, leaving its other operations alone", async () => {
    const { mock, call } = testSite();
    mock.faults.add({ route: "data", operation: "POST /entrydata/rows/{entryTypeId}", status: 503, times: 2 });
    const read = await call("GET", `${API.data}/entrydata/rows/company`);
    expect(read.status).toBe(200);
    const write = () =>
      mock.handle(
        new Request(`https://mock.dealcloud.test${API.data}/entrydata/rows/company`, { method: "POST", body: "[]" }),
      );
    expect((await write()).status).toBe(503);
    expect((await write()).status).toBe(503);
    expect((await write()).status).toBe(401);
  });

  it("answers 429 with Retry-After, or drops the connection, on any area", async () => {
    const { mock } = testSite();
    const get = () => mock.handle(new Request(`https://mock.dealcloud.test${API.schema}/entrytypes`));
    mock.faults.add({ route: "schema", retryAfter: "2" });
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    mock.faults.add({ route: "schema", dropConnection: true });
    expect((await get()).type).toBe("error");
  });

  it("delays an answer by delayMs on the site's timers", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const { mock } = testSite();
      mock.faults.add({ route: "schema", delayMs: 30_000 });
      let status = 0;
      const answered = mock
        .handle(new Request(`https://mock.dealcloud.test${API.schema}/entrytypes`))
        .then((response) => (status = response.status));
      await vi.advanceTimersByTimeAsync(29_999);
      expect(status).toBe(0);
      await vi.advanceTimersByTimeAsync(1);
      await answered;
      expect(status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it("lists every operation it serves, named as the descriptors key operations", () => {
    const { operations } = createMockDealCloud();
    expect(operations).toContainEqual({
      route: "data",
      basePath: "/api/rest/v4/data",
      operation: "GET /entrydata/rows/{entryTypeId}",
    });
    expect(operations).toContainEqual({
      route: "schema",
      basePath: "/api/rest/v4/schema",
      operation: "POST /{fieldId}/choiceFieldValues",
    });
  });
});
