// What the transport retries, how long it waits, what it refuses: per operation, per call and per option.
import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTokenManager } from "@dealcloud-ts/auth";
import { type ApiDescriptor, createApiClient, createAuthFetch } from "../src/index.js";
import { BASE_URL, type DataPaths, dataApi } from "./apis.js";
import { CREDENTIALS, mockSite } from "./site.js";

afterEach(() => {
  vi.useRealTimers();
});

const busy = () => HttpResponse.json({ message: "busy" }, { status: 503 });

describe("retries are decided per operation, from the descriptor", () => {
  const declared: ApiDescriptor<DataPaths> = {
    ...dataApi,
    // As the Data spec marks them: the query is a read sent as POST; the GET is a read.
    idempotentOperations: ["POST /things"],
  };
  const otherListed: ApiDescriptor<DataPaths> = { ...dataApi, idempotentOperations: ["POST /other"] };

  it("retries a POST the descriptor declares idempotent (a query)", async () => {
    const { calls } = mockSite((_call, n) => (n < 2 ? busy() : HttpResponse.json({ ok: true })));
    const client = createApiClient(declared, { ...CREDENTIALS, retry: { baseDelayMs: 1 } });
    const { data } = await client.POST("/things", { body: {} });
    expect(data).toEqual({ ok: true });
    expect(calls).toHaveLength(3);
  });

  it("never replays an operation the descriptor does not list as idempotent", async () => {
    // Before: PUT was retried by method, and one upsert with negative ids created 3 entries after two 503s.
    const { calls } = mockSite(busy);
    const client = createApiClient(otherListed, { ...CREDENTIALS, retry: { baseDelayMs: 1 } });
    const { response } = await client.POST("/things", { body: {} });
    expect(response.status).toBe(503);
    expect(calls).toHaveLength(1);
  });

  it("retries every operation with retryWrites", async () => {
    const { calls } = mockSite((_call, n) => (n < 1 ? busy() : HttpResponse.json({ ok: true })));
    const client = createApiClient(otherListed, { ...CREDENTIALS, retry: { baseDelayMs: 1, retryWrites: true } });
    expect((await client.POST("/things", { body: {} })).data).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });
});

describe("transport options are validated at creation", () => {
  const tokens = createTokenManager({ ...CREDENTIALS });
  const cases: [string, object][] = [
    ["maxConcurrency", { maxConcurrency: -1 }],
    ["maxConcurrency", { maxConcurrency: 1.5 }],
    ["timeoutMs", { timeoutMs: "abc" }],
    ["timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }],
    ["timeoutMs", { timeoutMs: -5 }],
    ["retry.maxRetries", { retry: { maxRetries: -5 } }],
    ["retry.baseDelayMs", { retry: { baseDelayMs: Number.NaN } }],
  ];
  it.each(cases)("refuses a bad %s with INVALID_OPTION, saying what to pass", (name, bad) => {
    // Before: maxConcurrency -1 hung every request; timeoutMs "abc", Infinity or -5 timed out every attempt in ~1 ms.
    expect(() => createAuthFetch({ tokens, scopes: ["data"], ...bad })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringContaining(`${name} must be`) }),
    );
    expect(() => createApiClient(dataApi, { ...CREDENTIALS, ...bad })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION" }),
    );
  });

  it("refuses a per-call timeoutMs that is not a positive number", async () => {
    mockSite();
    const client = createApiClient(dataApi, CREDENTIALS);
    await expect(client.GET("/things", { timeoutMs: -1 } as never)).rejects.toMatchObject({ code: "INVALID_OPTION" });
  });

  it("refuses a basePath that would move the token to another origin", () => {
    for (const basePath of [":8443/api", "//evil.example/api", "api", "/api?x=1"]) {
      expect(() => createApiClient(dataApi, { ...CREDENTIALS, basePath }), basePath).toThrow(/basePath must be a path/);
    }
  });

  it("refuses shared tokens of one site with another site's baseUrl", () => {
    // Before: the other site received this site's bearer token.
    expect(() => createApiClient(dataApi, { tokens, baseUrl: "https://other.dealcloud.com" })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringContaining("another site") }),
    );
  });
});

describe("a 401 for a request's own As-User", () => {
  it("does not drop the token every other caller shares", async () => {
    // Before: 100 such calls made 51 token requests.
    const { mock } = mockSite((call) =>
      call.asUser === "999"
        ? HttpResponse.json({ message: "Proxy access denied" }, { status: 401 })
        : HttpResponse.json({ ok: true }),
    );
    const client = createApiClient(dataApi, CREDENTIALS);
    await client.GET("/things");
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, n) =>
        n % 2 ? client.GET("/things", { headers: { "As-User": "999" } }) : client.GET("/things"),
      ),
    );
    expect(answers.filter((answer) => answer.response.status === 401)).toHaveLength(50);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("still replays once with a fresh token when the token itself was never proven", async () => {
    const { mock } = mockSite((call) =>
      call.asUser ? HttpResponse.json({ message: "Proxy access denied" }, { status: 401 }) : HttpResponse.json({}),
    );
    const client = createApiClient(dataApi, CREDENTIALS);
    const answers = await Promise.all(
      Array.from({ length: 100 }, () => client.GET("/things", { headers: { "As-User": "999" } })),
    );
    expect(answers.every((answer) => answer.response.status === 401)).toBe(true);
    expect(mock.tokenRequests.length).toBeLessThanOrEqual(2);
    await Promise.all(Array.from({ length: 20 }, () => client.GET("/things", { headers: { "As-User": "999" } })));
    expect(mock.tokenRequests.length).toBeLessThanOrEqual(2);
  });
});

describe("redirects", () => {
  it("refuses one to another origin, sending it nothing", async () => {
    // Before: a 307 forwarded the POST body to the other origin and its answer came back as data.
    const { calls } = mockSite((call) =>
      call.path.endsWith("/things")
        ? new HttpResponse(null, { status: 307, headers: { location: "https://collector.example/steal" } })
        : HttpResponse.json({}),
    );
    const client = createApiClient(dataApi, CREDENTIALS);
    const call = client.POST("/things", { body: { secret: 1 } });
    await expect(call).rejects.toMatchObject({
      name: "InvalidResponseError",
      code: "REDIRECT_REFUSED",
      message: expect.stringContaining("https://collector.example/steal"),
    });
    expect(calls).toHaveLength(1);
  });

  it("refuses one within the site too: DealCloud's API does not redirect, so the address is wrong", async () => {
    const { calls } = mockSite(
      () => new HttpResponse(null, { status: 302, headers: { location: `${BASE_URL}/api/rest/v4/data/moved` } }),
    );
    const client = createApiClient(dataApi, CREDENTIALS);
    await expect(client.GET("/things")).rejects.toMatchObject({ code: "REDIRECT_REFUSED" });
    expect(calls).toHaveLength(1);
  });
});
