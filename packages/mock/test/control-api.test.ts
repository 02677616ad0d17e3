import { describe, expect, it } from "vitest";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "../src/index.js";

const BASE = "https://mock.dealcloud.test";
const tokenRequest = () =>
  new Request(`${BASE}/api/rest/v1/oauth/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: DEFAULT_MOCK_CLIENT.clientId,
      client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
      scope: "data",
    }),
  });
const entries = (token: string) =>
  new Request(`${BASE}/api/rest/v4/data/entrydata/company/entries`, { headers: { authorization: `Bearer ${token}` } });

describe("the control API for tests in other processes and runtimes", () => {
  it("is absent unless asked for, as on a real site", async () => {
    const mock = createMockDealCloud();
    expect((await mock.handle(new Request(`${BASE}/__mock/token-requests`))).status).toBe(404);
  });

  it("lists token requests, adds faults, revokes tokens and resets, with CORS headers for browsers", async () => {
    const mock = createMockDealCloud({ controlApi: true });
    const { access_token } = (await (await mock.handle(tokenRequest())).json()) as { access_token: string };
    const listed = await mock.handle(new Request(`${BASE}/__mock/token-requests`));
    expect(listed.headers.get("access-control-allow-origin")).toBe("*");
    expect(await listed.json()).toEqual([expect.objectContaining({ scope: "data", status: 200, clientId: "106" })]);

    const added = await mock.handle(
      new Request(`${BASE}/__mock/faults`, { method: "POST", body: JSON.stringify({ route: "data", status: 503 }) }),
    );
    expect(added.status).toBe(200);
    expect((await mock.handle(entries(access_token))).status).toBe(503);

    const revoked = await mock.handle(new Request(`${BASE}/__mock/revoke-tokens`, { method: "POST" }));
    expect(await revoked.json()).toEqual({ revoked: 1 });
    const refused = await mock.handle(entries(access_token));
    expect(refused.status).toBe(401);
    expect(await refused.text()).not.toContain(access_token);

    await mock.handle(new Request(`${BASE}/__mock/reset`, { method: "POST" }));
    expect(mock.tokenRequests).toEqual([]);
  });

  it("refuses an impossible fault with a 400 that says why", async () => {
    const mock = createMockDealCloud({ controlApi: true });
    const refused = await mock.handle(
      new Request(`${BASE}/__mock/faults`, { method: "POST", body: JSON.stringify({ route: "data", times: 0 }) }),
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain("times must be a positive integer");
  });
});
