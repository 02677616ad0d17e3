import { createTokenManager } from "@dealcloud-ts/auth";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApiClient, createAuthFetch, type ApiDescriptor } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly authorization: string | null;
  readonly body: string;
  readonly headers: Headers;
}

/** A mock site whose `/api/rest/v4/data/echo` answers with `statuses` in turn (then 200), recording each call. */
function site(statuses: number[] = []) {
  const mock = createMockDealCloud();
  const seen: Seen[] = [];
  server.use(
    http.all(`${BASE_URL}/api/rest/v4/data/echo`, async ({ request }) => {
      seen.push({
        url: request.url,
        method: request.method,
        authorization: request.headers.get("authorization"),
        body: await request.text(),
        headers: request.headers,
      });
      const status = statuses.shift() ?? (mock.authenticate(request.headers.get("authorization")).ok ? 200 : 401);
      return HttpResponse.json(status === 200 ? { ok: true } : { message: `status ${status}` }, { status });
    }),
    ...mswHandlers(mock, { baseUrl: BASE_URL }),
  );
  return { mock, seen };
}

const newTokens = () => createTokenManager({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });
const echo = (init?: RequestInit) => new Request(`${BASE_URL}/api/rest/v4/data/echo`, init);

describe("createAuthFetch", () => {
  it("calls a fetch given as an option unbound, as a browser's own fetch requires", async () => {
    site();
    // A browser's window.fetch throws "Illegal invocation" when called as a method of another object.
    function browserLikeFetch(this: unknown, input: RequestInfo | URL, init?: RequestInit) {
      if (this !== undefined && this !== globalThis) throw new TypeError("Illegal invocation");
      return fetch(input, init);
    }
    const authFetch = createAuthFetch({ tokens: newTokens(), scopes: ["data"], fetch: browserLikeFetch });
    const response = await authFetch(echo());
    expect(response.status).toBe(200);
  });

  it("signs the request with a token for its scopes and leaves everything else as it was", async () => {
    const { mock, seen } = site();
    const authFetch = createAuthFetch({ tokens: newTokens(), scopes: ["data"] });

    const response = await authFetch(
      echo({ method: "POST", body: '{"a":1}', headers: { "content-type": "application/json", "As-User": "6045" } }),
    );

    expect(response.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe(`Bearer ${[...mock.issuedTokens.keys()][0]}`);
    expect(seen[0]!.body).toBe('{"a":1}');
    expect(seen[0]!.headers.get("as-user")).toBe("6045");
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });

  it("on 401 drops that token, takes a fresh one and replays the request once, body included", async () => {
    const { mock, seen } = site([401]);
    const authFetch = createAuthFetch({ tokens: newTokens(), scopes: ["data"] });

    const response = await authFetch(echo({ method: "POST", body: "replay me" }));

    expect(response.status).toBe(200);
    expect(seen.map((call) => call.body)).toEqual(["replay me", "replay me"]);
    expect(seen[0]!.authorization).not.toBe(seen[1]!.authorization);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("replays only once: a second 401 is the answer", async () => {
    const { seen } = site([401, 401]);
    const authFetch = createAuthFetch({ tokens: newTokens(), scopes: ["data"] });

    const response = await authFetch(echo());

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "status 401" });
    expect(seen).toHaveLength(2);
  });

  it("when many requests fail with the same token, refreshes it once", async () => {
    const { mock } = site([401, 401, 401, 401, 401]);
    const tokens = newTokens();
    const authFetch = createAuthFetch({ tokens, scopes: ["data"] });

    const answers = await Promise.all(Array.from({ length: 5 }, () => authFetch(echo())));

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("passes the caller's abort to the token wait", async () => {
    site();
    const authFetch = createAuthFetch({ tokens: newTokens(), scopes: ["data"] });
    const controller = new AbortController();
    controller.abort(new Error("caller gave up"));

    await expect(authFetch(echo({ signal: controller.signal }))).rejects.toMatchObject({ code: "ABORTED" });
  });
});

interface EchoPaths {
  "/echo": {
    parameters: { query?: never; header?: never; path?: never; cookie?: never };
    get: {
      parameters: { query?: { q?: string }; header?: never; path?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: { headers: Record<string, unknown>; content: { "application/json": { ok: boolean } } } };
    };
    post: {
      parameters: { query?: never; header?: never; path?: never; cookie?: never };
      requestBody: { content: { "application/json": { n: number } } };
      responses: { 200: { headers: Record<string, unknown>; content: { "application/json": { ok: boolean } } } };
    };
  };
}

const echoApi: ApiDescriptor<EchoPaths> = {
  name: "echo",
  packageName: "@dealcloud-ts/echo",
  basePath: "/api/rest/v4/data",
  scopes: ["data"],
};

describe("createApiClient", () => {
  it("sends typed requests to {baseUrl}{basePath}{path} with the descriptor's scopes", async () => {
    const { mock, seen } = site();
    const client = createApiClient(echoApi, {
      baseUrl: `${BASE_URL}/`,
      ...DEFAULT_MOCK_CLIENT,
      headers: { "As-User": 6045 },
    });

    const { data } = await client.GET("/echo", { params: { query: { q: "x" } } });

    expect(data).toEqual({ ok: true });
    expect(seen[0]!.url).toBe(`${BASE_URL}/api/rest/v4/data/echo?q=x`);
    expect(seen[0]!.headers.get("as-user")).toBe("6045");
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["data"]);
  });

  it("keeps the token off the request that openapi-fetch middleware sees, so a logging middleware cannot leak it", async () => {
    const { seen } = site();
    const client = createApiClient(echoApi, { baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });
    const logged: (string | null)[] = [];
    client.use({
      onRequest: ({ request }) => void logged.push(request.headers.get("authorization")),
      onResponse: ({ request }) => void logged.push(request.headers.get("authorization")),
    });

    await client.POST("/echo", { body: { n: 1 } });

    expect(seen[0]!.authorization).toMatch(/^Bearer mock\./);
    expect(seen[0]!.body).toBe('{"n":1}');
    expect(logged).toEqual([null, null]);
  });

  it("shares a token manager when given one, so two clients cost one token request", async () => {
    const { mock } = site();
    const tokens = newTokens();
    const first = createApiClient(echoApi, { tokens });
    const second = createApiClient(echoApi, { tokens });

    await Promise.all([first.GET("/echo"), second.GET("/echo")]);

    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("lets the caller replace the base path where the vendor's pages disagree", async () => {
    const { seen } = site();
    server.use(http.get(`${BASE_URL}/other/echo`, () => HttpResponse.json({ ok: "other" })));
    const client = createApiClient(echoApi, { tokens: newTokens(), basePath: "/other" });

    const { data } = await client.GET("/echo");

    expect(data).toEqual({ ok: "other" });
    expect(seen).toHaveLength(0);
  });

  it("uses the given fetch for both the token and the API call", async () => {
    const { mock } = site();
    const urls: string[] = [];
    const client = createApiClient(echoApi, {
      baseUrl: BASE_URL,
      ...DEFAULT_MOCK_CLIENT,
      fetch: (input, init) => {
        urls.push(typeof input === "string" ? input : input.url);
        return globalThis.fetch(input, init);
      },
    });

    await client.GET("/echo");

    expect(urls).toEqual([`${BASE_URL}/api/rest/v1/oauth/token`, `${BASE_URL}/api/rest/v4/data/echo`]);
    expect(mock.tokenRequests).toHaveLength(1);
  });
});
