import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { DealCloudAuthError as AuthPackageError } from "@dealcloud-ts/auth";
import {
  createDealCloud,
  createApiClient,
  DealCloudAuthError,
  MissingScopeError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  AbortedError,
} from "../src/index.js";
import { dataApi, publishApi, schemaApi, usersApi } from "./apis.js";
import { CREDENTIALS, mockSite } from "./site.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("createDealCloud, union strategy (default)", () => {
  it("asks one token for exactly the union of the chosen APIs' scopes, and every request carries it", async () => {
    const { mock, calls } = mockSite();
    const dc = createDealCloud({
      ...CREDENTIALS,
      apis: { data: dataApi, publications: publishApi, userManagement: usersApi },
    });

    await Promise.all([
      dc.data.GET("/things"),
      dc.publications.POST("/poll", { body: {} }),
      dc.userManagement.GET("/user"),
    ]);

    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data publish user_management"]);
    expect(calls.map((call) => call.tokenScope)).toEqual(Array(3).fill("data publish user_management"));
  });

  it("serves 1,000 concurrent cold requests across 3 clients with one token request", async () => {
    const { mock, calls } = mockSite();
    const dc = createDealCloud({
      ...CREDENTIALS,
      apis: { data: dataApi, publications: publishApi, userManagement: usersApi },
    });

    const answers = await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 3 === 0
          ? dc.data.GET("/things")
          : i % 3 === 1
            ? dc.publications.POST("/poll", { body: {} })
            : dc.userManagement.GET("/user"),
      ),
    );

    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect(mock.tokenRequests).toHaveLength(1);
    expect(new Set(calls.map((call) => call.tokenScope))).toEqual(new Set(["data publish user_management"]));
  });

  it("never asks for a scope no chosen API declares: data + schema is scope data alone", async () => {
    const { mock } = mockSite();
    const dc = createDealCloud({ ...CREDENTIALS, apis: { data: dataApi, schema: schemaApi } });

    await Promise.all([dc.data.GET("/things"), dc.schema.GET("/entrytypes")]);

    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });
});

describe("token failures", () => {
  it("reach API calls as DealCloudAuthError, which the client package re-exports (the auth package's own class)", async () => {
    const { mock, calls } = mockSite();
    mock.faults.add({ route: "token", status: 401, body: JSON.stringify({ error: "invalid_client" }) });
    const dc = createDealCloud({ ...CREDENTIALS, apis: { data: dataApi } });

    const error = await dc.data.GET("/things").catch((caught: unknown) => caught);

    expect(DealCloudAuthError).toBe(AuthPackageError);
    expect(error).toBeInstanceOf(DealCloudAuthError);
    expect(error).toMatchObject({ code: "INVALID_CLIENT", status: 401 });
    expect(calls).toHaveLength(0);
  });
});

describe("createDealCloud, per-api strategy", () => {
  it("gives each client a token for its own scopes: one token request per distinct scope set", async () => {
    const { mock, calls } = mockSite();
    const dc = createDealCloud({
      ...CREDENTIALS,
      scopeStrategy: "per-api",
      apis: { data: dataApi, schema: schemaApi, publications: publishApi, userManagement: usersApi },
    });

    await Promise.all(
      Array.from({ length: 1000 }, (_, i) =>
        i % 3 === 0
          ? dc.data.GET("/things")
          : i % 3 === 1
            ? dc.publications.POST("/poll", { body: {} })
            : dc.userManagement.GET("/user"),
      ),
    );
    await dc.schema.GET("/entrytypes");

    expect(mock.tokenRequests.map((record) => record.scope).sort()).toEqual(["data", "publish", "user_management"]);
    for (const call of calls) {
      const expected = call.path.startsWith("/api/rest/v4/")
        ? "data"
        : call.path.includes("publication")
          ? "publish"
          : "user_management";
      expect(call.tokenScope).toBe(expected);
    }
  });

  it("rejects an unknown strategy and an empty API list with what to fix", () => {
    expect(() => createDealCloud({ ...CREDENTIALS, apis: {} })).toThrow(/pass at least one API/);
    expect(() => createDealCloud({ ...CREDENTIALS, apis: { data: dataApi }, scopeStrategy: "all" as never })).toThrow(
      /scopeStrategy must be "union" or "per-api"/,
    );
  });
});

describe("a token revoked server-side mid-run", () => {
  it("a 401 storm of 200 concurrent requests causes exactly one refresh; each request is replayed once and succeeds", async () => {
    const site = mockSite();
    const dc = createDealCloud({ ...CREDENTIALS, apis: { data: dataApi } });
    await dc.data.GET("/things");
    site.revoked.add([...site.mock.issuedTokens.keys()][0]!);

    const answers = await Promise.all(Array.from({ length: 200 }, () => dc.data.GET("/things")));

    expect(answers.every((answer) => answer.response.status === 200)).toBe(true);
    expect(site.mock.tokenRequests).toHaveLength(2);
    expect(site.calls).toHaveLength(1 + 200 * 2);
  });
});

describe("a 401 that names a missing capability (RI Import)", () => {
  it("is answered as is: no token dropped, no replay, so clients sharing the token keep it", async () => {
    const capability = { message: "Cannot perform the action. User capabilities are required: AccessRiWebService" };
    // The RI docs show this answer; any API saying it is treated the same, here User Management's fake.
    const { mock, calls } = mockSite((call) =>
      call.path.endsWith("/management/user")
        ? HttpResponse.json(capability, { status: 401 })
        : HttpResponse.json({ ok: true }),
    );
    const dc = createDealCloud({ ...CREDENTIALS, apis: { data: dataApi, users: usersApi } });
    await dc.data.GET("/things");

    const { error, response } = await dc.users.GET("/user");

    expect(response.status).toBe(401);
    expect(error).toEqual(capability);
    expect(calls.filter((call) => call.path.endsWith("/management/user"))).toHaveLength(1);
    expect(mock.tokenRequests).toHaveLength(1);
  });
});

describe("retries", () => {
  it("waits for a 429's Retry-After plus up to half of it again as jitter (fake clock), then succeeds", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { calls } = mockSite((_call, n) =>
      n === 0
        ? HttpResponse.json({ message: "Too many requests" }, { status: 429, headers: { "Retry-After": "7" } })
        : HttpResponse.json({ ok: true }),
    );
    const client = createApiClient(dataApi, CREDENTIALS);

    const pending = client.GET("/things");
    await vi.advanceTimersByTimeAsync(6_990);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(3_520);
    const { data, response } = await pending;

    expect(response.status).toBe(200);
    expect(data).toEqual({ ok: true });
    expect(calls).toHaveLength(2);
  });

  it("does not retry a POST unless writes are opted in", async () => {
    const answer = () => HttpResponse.json({ message: "busy" }, { status: 503 });
    const { calls } = mockSite(answer);
    const once = await createApiClient(dataApi, { ...CREDENTIALS, retry: { baseDelayMs: 1 } }).POST("/things", {
      body: {},
    });
    expect(once.response.status).toBe(503);
    expect(calls).toHaveLength(1);

    const retried = await createApiClient(dataApi, {
      ...CREDENTIALS,
      retry: { baseDelayMs: 1, retryWrites: true, maxRetries: 2 },
    }).POST("/things", {
      body: { a: 1 },
    });
    expect(retried.response.status).toBe(503);
    expect(calls).toHaveLength(1 + 3);
    expect(calls.slice(1).map((call) => call.body)).toEqual(Array(3).fill('{"a":1}'));
  });

  it("in throwing mode, a 429 still there after the retries is a RateLimitError with retryAfterMs", async () => {
    mockSite(() => HttpResponse.json({ message: "slow down" }, { status: 429, headers: { "Retry-After": "120" } }));
    const client = createApiClient(dataApi, { ...CREDENTIALS, throwOnError: true });

    const error = await client.GET("/things").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ code: "RATE_LIMITED", status: 429, retryAfterMs: 120_000 });
  });
});

describe("scopes and permissions", () => {
  it("fails an operation whose scope the token does not ask for before any network call, naming the package to add", async () => {
    const { mock, calls } = mockSite();
    const client = createApiClient(usersApi, { ...CREDENTIALS, scopes: ["data"] });

    const error = await client.GET("/user").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(MissingScopeError);
    expect(error).toMatchObject({ code: "MISSING_SCOPE", scope: "user_management", operation: "GET /user" });
    expect((error as Error).message).toContain("@dealcloud-ts/user-management");
    expect(mock.tokenRequests).toHaveLength(0);
    expect(calls).toHaveLength(0);
  });

  it("checks an operation listed in operationScopes against its own scopes, every other one against the API's", async () => {
    const { calls } = mockSite();
    // Two scopes in one API: GET /things needs data (the API's first), POST /poll publish alone.
    const mixedApi = {
      ...dataApi,
      scopes: ["data", "publish"],
      operationScopes: { "POST /poll": ["publish"] },
    } as const;
    const dataOnly = createApiClient(mixedApi, { ...CREDENTIALS, scopes: ["data"] });
    await expect(dataOnly.request("post", "/poll" as never)).rejects.toMatchObject({
      code: "MISSING_SCOPE",
      scope: "publish",
      operation: "POST /poll",
    });
    await expect(dataOnly.GET("/things")).rejects.toMatchObject({ code: "MISSING_SCOPE", scope: "publish" });
    const publishOnly = createApiClient(mixedApi, { ...CREDENTIALS, scopes: ["publish"] });
    await expect(publishOnly.GET("/things")).rejects.toMatchObject({ code: "MISSING_SCOPE", scope: "data" });
    expect(calls).toHaveLength(0);
  });

  it("checks request(method, path) too, and refuses before a user's own middleware sees anything", async () => {
    const { calls } = mockSite();
    const client = createApiClient(usersApi, { ...CREDENTIALS, scopes: ["data"] });
    const seen: string[] = [];
    client.use({ onRequest: ({ request }) => void seen.push(request.url) });

    await expect(client.request("get", "/user")).rejects.toMatchObject({
      code: "MISSING_SCOPE",
      operation: "GET /user",
    });
    expect(seen).toEqual([]);
    expect(calls).toHaveLength(0);
  });

  it("types a 403 as PermissionDeniedError with the operation, the scopes asked for and the vendor's hint; no secret in it", async () => {
    const { mock } = mockSite(() => HttpResponse.json({ message: "Access denied." }, { status: 403 }));
    const client = createApiClient(usersApi, { ...CREDENTIALS, throwOnError: true });

    const error = (await client.GET("/user").catch((caught: unknown) => caught)) as PermissionDeniedError;
    expect(error.message).toMatch(/^GET \/user answered 403: Access denied\. [A-Z]/);

    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({
      code: "PERMISSION_DENIED",
      status: 403,
      operation: "GET /user",
      requestedScopes: ["user_management"],
    });
    expect(error.message).toMatch(/missing scope or a missing user-group permission/);
    const token = [...mock.issuedTokens.keys()][0]!;
    for (const text of [error.message, String(error.stack), JSON.stringify(error)]) {
      expect(text).not.toContain(CREDENTIALS.clientSecret);
      expect(text).not.toContain(token);
    }
  });

  it("keeps openapi-fetch's { error, response } by default", async () => {
    mockSite(() => HttpResponse.json({ message: "Access denied" }, { status: 403 }));
    const { error, response } = await createApiClient(usersApi, CREDENTIALS).GET("/user");
    expect(response.status).toBe(403);
    expect(error).toEqual({ message: "Access denied" });
  });
});

describe("abort and timeout", () => {
  it("a caller's abort cancels its own request and not the others", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    mockSite(async () => {
      await gate;
      return HttpResponse.json({ ok: true });
    });
    const client = createApiClient(dataApi, CREDENTIALS);
    const controller = new AbortController();

    const mine = client.GET("/things", { signal: controller.signal }).catch((caught: unknown) => caught);
    const others = Promise.all([client.GET("/things"), client.GET("/things")]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort(new Error("user navigated away"));
    release();

    expect(await mine).toBeInstanceOf(AbortedError);
    expect((await others).map((answer) => answer.response.status)).toEqual([200, 200]);
  });

  it("an attempt that takes longer than timeoutMs is a TimeoutError once the retries are used up", async () => {
    mockSite(() => new Promise<Response>((resolve) => setTimeout(() => resolve(HttpResponse.json({ ok: true })), 300)));
    const client = createApiClient(dataApi, {
      ...CREDENTIALS,
      timeoutMs: 50,
      retry: { maxRetries: 1, baseDelayMs: 1 },
    });

    const error = await client.GET("/things").catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: "TIMEOUT" });
  });
});
