import { afterEach, describe, expect, it, vi } from "vitest";
import { createMockDealCloud, type MockFault } from "../src/index.js";
import { body, BASE_URL, tokenRequest } from "./helpers.js";

describe("faults", () => {
  afterEach(() => vi.useRealTimers());

  it("answers with the given status and a small JSON error body, once by default", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500 });
    const faulted = await mock.handle(tokenRequest());
    expect(faulted.status).toBe(500);
    expect(faulted.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(await body(faulted)).toEqual({ message: expect.any(String) });
    expect((await mock.handle(tokenRequest())).status).toBe(200);
  });

  it("applies before normal processing: even a valid request gets the fault and no token", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 503 });
    expect((await mock.handle(tokenRequest())).status).toBe(503);
    expect(mock.issuedTokens.size).toBe(0);
  });

  it("applies to `times` requests, then stops", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 502, times: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await mock.handle(tokenRequest())).status);
    expect(statuses).toEqual([502, 502, 200]);
  });

  it("applies `times: Infinity` until cleared", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500, times: Infinity });
    for (let i = 0; i < 5; i++) expect((await mock.handle(tokenRequest())).status).toBe(500);
    mock.faults.clear();
    expect((await mock.handle(tokenRequest())).status).toBe(200);
  });

  it("applies queued faults in the order added", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500 });
    mock.faults.add({ route: "token", status: 429, retryAfter: "1" });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await mock.handle(tokenRequest())).status);
    expect(statuses).toEqual([500, 429, 200]);
  });

  it("answers 429 with the given Retry-After", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 429, retryAfter: "7" });
    const response = await mock.handle(tokenRequest());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
  });

  it("answers 429 when only retryAfter is given", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", retryAfter: "Wed, 21 Oct 2015 07:28:00 GMT" });
    const response = await mock.handle(tokenRequest());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("Wed, 21 Oct 2015 07:28:00 GMT");
  });

  it("sends a raw malformed body, with status 200 by default", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", body: "not json" });
    mock.faults.add({ route: "token", body: "<html>gateway</html>", status: 502 });
    const first = await mock.handle(tokenRequest());
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("not json");
    const second = await mock.handle(tokenRequest());
    expect(second.status).toBe(502);
    expect(await second.text()).toBe("<html>gateway</html>");
  });

  it("drops the connection: the handler answers Response.error()", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", dropConnection: true });
    const response = await mock.handle(tokenRequest());
    expect(response.type).toBe("error");
    expect((await mock.handle(tokenRequest())).status).toBe(200);
  });

  it("delays the normal answer by delayMs on the (fake) timers", async () => {
    vi.useFakeTimers();
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", delayMs: 5000 });
    let settled = false;
    const pending = mock.handle(tokenRequest()).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(4999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(true);
    expect((await pending).status).toBe(200);
  });

  it("delays a fault's own answer too", async () => {
    vi.useFakeTimers();
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", delayMs: 1000, status: 504 });
    let settled = false;
    const pending = mock.handle(tokenRequest()).finally(() => (settled = true));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await pending).status).toBe(504);
  });

  it("records faulted requests with their status (0 for a dropped connection), without the secret", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500 });
    mock.faults.add({ route: "token", dropConnection: true });
    await mock.handle(tokenRequest({ scope: "data publish" }));
    await mock.handle(tokenRequest());
    expect(mock.tokenRequests).toEqual([
      { scope: "data publish", grantedScopes: [], clientId: "106", status: 500, at: expect.any(Number) },
      { scope: "data", grantedScopes: [], clientId: "106", status: 0, at: expect.any(Number) },
    ]);
    expect(mock.tokenCallsByScope()).toEqual({ "data publish": 1, data: 1 });
    expect(JSON.stringify(mock.tokenRequests)).not.toContain("1356GYNU");
  });

  it("is not used up by unknown paths or CORS preflights", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500 });
    await mock.handle(new Request(`${BASE_URL}/unknown`));
    await mock.handle(new Request(`${BASE_URL}/api/rest/v1/oauth/token`, { method: "OPTIONS" }));
    expect((await mock.handle(tokenRequest())).status).toBe(500);
  });

  it("is forgotten by clear() and reset()", async () => {
    const mock = createMockDealCloud();
    mock.faults.add({ route: "token", status: 500 });
    mock.faults.clear();
    expect((await mock.handle(tokenRequest())).status).toBe(200);
    mock.faults.add({ route: "token", status: 500 });
    mock.reset();
    expect((await mock.handle(tokenRequest())).status).toBe(200);
  });

  it.each<[string, MockFault]>([
    ["times 0", { route: "token", status: 500, times: 0 }],
    ["times 1.5", { route: "token", status: 500, times: 1.5 }],
    ["status 99", { route: "token", status: 99 }],
    ["status 600", { route: "token", status: 600 }],
    ["a body with 204", { route: "token", status: 204, body: "x" }],
    ["a negative delay", { route: "token", delayMs: -1 }],
  ])("refuses an impossible fault (%s) with a RangeError", (_, fault) => {
    expect(() => createMockDealCloud().faults.add(fault)).toThrow(RangeError);
  });
});
