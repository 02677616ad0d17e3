// The real packages against the real mock, over msw: what a user of the combined client sees.
import { createDealCloud, MissingScopeError, PermissionDeniedError } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { publications } from "@dealcloud-ts/publications";
import { createSchemaClient, schema } from "@dealcloud-ts/schema";
import { userManagement } from "@dealcloud-ts/user-management";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

const baseUrl = "https://e2e.dealcloud.test";
const mock = createMockDealCloud();
const server = setupServer(...mswHandlers(mock, { baseUrl }));
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const credentials = { baseUrl, ...DEFAULT_MOCK_CLIENT };

describe("createDealCloud with the generated packages", () => {
  it("asks for one token with exactly the union of the chosen APIs' scopes", async () => {
    const dc = createDealCloud({ ...credentials, apis: { data, publications, userManagement } });
    const [rows, users, poll] = await Promise.all([
      dc.data.GET("/entrydata/rows/{entryTypeId}", { params: { path: { entryTypeId: "company" } } }),
      dc.userManagement.GET("/user"),
      dc.publications.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 10, Count: 1 } }),
    ]);
    expect(rows.data?.totalRecords).toBe(3);
    expect(users.data?.length).toBeGreaterThan(0);
    expect(poll.error).toBeUndefined();
    expect(mock.tokenCallsByScope()).toEqual({ "data publish user_management": 1 });
  });

  it("asks for one token per API with scopeStrategy per-api", async () => {
    const dc = createDealCloud({ ...credentials, apis: { data, schema, userManagement }, scopeStrategy: "per-api" });
    await Promise.all([
      dc.data.GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "deal" } } }),
      dc.schema.GET("/entrytypes"),
      dc.userManagement.GET("/user"),
    ]);
    expect(mock.tokenCallsByScope()).toEqual({ data: 1, user_management: 1 });
  });

  it("paces Schema calls to the declared 5 a second, so the site never answers 429", async () => {
    // One virtual clock for the client and the site: on real time, how late each request reaches the site on a
    // busy machine would decide the outcome, not the pacing.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const client = createSchemaClient({ ...credentials, retry: false });
      const pending = Promise.all(Array.from({ length: 7 }, () => client.GET("/currencies")));
      await vi.advanceTimersByTimeAsync(2_000);
      const answers = await pending;
      expect(answers.map((answer) => answer.response.status)).toEqual(Array(7).fill(200));
    } finally {
      vi.useRealTimers();
    }
  });

  it("writes through Data, and a Publications poll sees the created entries", async () => {
    const dc = createDealCloud({ ...credentials, apis: { data, publications } });
    const written = await dc.data.POST("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: "company" } },
      body: [{ EntryId: -1, CompanyName: "Evented" }],
    });
    const id = written.data![0]!.EntryId;
    const { data: events } = await dc.publications.POST("/poll", {
      body: { Topics: ["default-data"], TimeOut: 100, Count: 10 },
    });
    expect(JSON.stringify(events)).toContain(String(id));
  });

  it("fails before sending when the token was built for other scopes, and types the site's 403", async () => {
    const dc = createDealCloud({ ...credentials, apis: { data }, scopes: ["data"], throwOnError: true });
    await expect(
      dc.data.GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } }),
    ).resolves.toBeDefined();

    const narrow = createDealCloud({ ...credentials, apis: { userManagement }, scopes: ["data"], throwOnError: true });
    const before = mock.tokenRequests.length;
    await expect(narrow.userManagement.GET("/user")).rejects.toBeInstanceOf(MissingScopeError);
    expect(mock.tokenRequests.length).toBe(before);

    mock.faults.add({ route: "data", status: 403 });
    const error = await dc.data
      .GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(JSON.stringify(error)).not.toContain(DEFAULT_MOCK_CLIENT.clientSecret);
  });

  it("replays once with a new token when the site stops accepting the old one", async () => {
    let time = Date.now();
    const local = createMockDealCloud({ now: () => time });
    server.use(...mswHandlers(local, { baseUrl: "https://expiry.dealcloud.test" }));
    const dc = createDealCloud({ ...credentials, baseUrl: "https://expiry.dealcloud.test", apis: { data } });
    await dc.data.GET("/entrydata/{entryTypeId}/entries", { params: { path: { entryTypeId: "company" } } });
    // The site's clock jumps past the token's life while the client's cache still holds it.
    time += 901_000;
    const again = await dc.data.GET("/entrydata/{entryTypeId}/entries", {
      params: { path: { entryTypeId: "company" } },
    });
    expect(again.response.status).toBe(200);
    expect(local.tokenRequests).toHaveLength(2);
  });
});
