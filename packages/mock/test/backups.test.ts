import { describe, expect, it } from "vitest";
import { API, testSite } from "./support/api.js";

const B = API.backups;

describe("Backups: requesting an ad hoc backup (POST /request)", () => {
  it("accepts objects by id with 204 and no body", async () => {
    const { call } = testSite();
    const { status, body, headers } = await call("POST", `${B}/request`, { body: { ids: [2011, 2012] } });
    expect(status).toBe(204);
    expect(body).toBeUndefined();
    expect(headers.get("content-type")).toBeNull();
  });

  it("accepts objects by apiName, case-insensitively, with the deprecated fromDate", async () => {
    const { call } = testSite();
    expect((await call("POST", `${B}/request`, { body: { apiNames: ["Company", "deal"] } })).status).toBe(204);
    expect(
      (await call("POST", `${B}/request`, { body: { apiNames: ["contact"], fromDate: "2024-01-01T00:00:00Z" } }))
        .status,
    ).toBe(204);
  });

  it("refuses unknown ids and apiNames with 400 naming them", async () => {
    const { call } = testSite();
    const byId = await call("POST", `${B}/request`, { body: { ids: [2011, 9999] } });
    expect(byId.status).toBe(400);
    expect(byId.body.message).toContain("9999");
    const byName = await call("POST", `${B}/request`, { body: { apiNames: ["company", "fund", "2011"] } });
    expect(byName.status).toBe(400);
    expect(byName.body.message).toContain("fund, 2011");
  });

  it.each([
    ["both ids and apiNames", { ids: [2011], apiNames: ["company"] }],
    ["neither", {}],
    ["an empty ids array", { ids: [] }],
    ["string ids", { ids: ["2011"] }],
    ["numeric apiNames", { apiNames: [2011] }],
    ["an unreadable fromDate", { ids: [2011], fromDate: "soon" }],
    ["an array body", [2011]],
  ])("refuses %s with 400", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", `${B}/request`, { body })).status).toBe(400);
  });

  it("answers 403 to a token without the backup scope", async () => {
    const { call } = testSite();
    expect((await call("POST", `${B}/request`, { body: { ids: [2011] }, scope: "data" })).status).toBe(403);
  });

  it("serves no other operation (listing and downloading are undocumented)", async () => {
    const { call } = testSite();
    expect((await call("GET", `${B}/request`)).status).toBe(405);
    expect((await call("GET", `${B}/list`)).status).toBe(404);
  });
});
