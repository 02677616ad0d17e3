import { afterEach, describe, expect, expectTypeOf, it, vi } from "vitest";
import {
  createMemoryTokenStore,
  createTokenManager,
  DealCloudAuthError,
  normalizeSiteUrl,
  SCOPES,
  type Scope,
  type TokenManagerOptions,
} from "../src/index.js";
import { BASE_URL, CLIENT_ID, CLIENT_SECRET, managerFor, mockSite } from "./site.js";

const errorOf = (run: () => unknown): DealCloudAuthError => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(DealCloudAuthError);
    return error as DealCloudAuthError;
  }
  throw new Error("expected a DealCloudAuthError");
};

describe("baseUrl", () => {
  it.each([
    ["acme.dealcloud.com", "https://acme.dealcloud.com", false],
    ["https://acme.dealcloud.com/", "https://acme.dealcloud.com", false],
    ["  HTTPS://Acme.DealCloud.com//  ", "https://acme.dealcloud.com", false],
    ["acme.dealcloud.eu", "https://acme.dealcloud.eu", false],
    ["acme.dealcloud.ae", "https://acme.dealcloud.ae", false],
    ["acme.dealclouduat.com", "https://acme.dealclouduat.com", true],
    ["https://proxy.example.com/dealcloud/", "https://proxy.example.com/dealcloud", false],
    ["http://127.0.0.1:8787", "http://127.0.0.1:8787", false],
    ["http://localhost:3000/", "http://localhost:3000", false],
    ["http://[::1]:3000", "http://[::1]:3000", false],
  ])("%s → %s", (input, url, sandbox) => {
    expect(normalizeSiteUrl(input)).toEqual({ url, sandbox });
  });

  it("a bare host gets tokens from https://{host}/api/rest/v1/oauth/token", async () => {
    const mock = mockSite();
    const tokens = managerFor({ baseUrl: "acme.dealcloud.com/" });
    await tokens.getToken("data");
    expect(tokens.baseUrl).toBe(BASE_URL);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it.each([
    ["http://acme.dealcloud.com", /must use https/],
    ["ftp://acme.dealcloud.com", /must use https/],
    ["https://user:pw@acme.dealcloud.com", /user name or password/],
    ["https://acme.dealcloud.com/?site=1", /query or fragment/],
    ["https://exa mple.com", /not a valid address/],
    ["", /is missing/],
  ])("refuses %j with INVALID_BASE_URL", (baseUrl, message) => {
    const error = errorOf(() => managerFor({ baseUrl }));
    expect(error.code).toBe("INVALID_BASE_URL");
    expect(error.message).toMatch(message);
  });

  it("never echoes a password given in a malformed address", () => {
    const error = errorOf(() => managerFor({ baseUrl: "https://me:hunter2@exa mple.com" }));
    expect(error.message).not.toContain("hunter2");
  });
});

describe("credentials", () => {
  it.each([
    [{ clientId: undefined }, /clientId is missing/],
    [{ clientId: "  " }, /clientId is missing/],
    [{ clientSecret: undefined }, /clientSecret is missing/],
    [{ clientSecret: "" }, /clientSecret is missing/],
  ])("%o → MISSING_CREDENTIALS saying what to pass", (override, message) => {
    const error = errorOf(() =>
      createTokenManager({ baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...override }),
    );
    expect(error.code).toBe("MISSING_CREDENTIALS");
    expect(error.message).toMatch(message);
  });

  it("accepts a numeric client id (DealCloud's are user ids)", async () => {
    const mock = mockSite();
    await createTokenManager({ baseUrl: BASE_URL, clientId: Number(CLIENT_ID), clientSecret: CLIENT_SECRET }).getToken(
      "data",
    );
    expect(mock.tokenRequests[0]?.clientId).toBe(CLIENT_ID);
  });

  it("refuses a secret and a tokenProvider together", () => {
    const error = errorOf(() => managerFor({ tokenProvider: async () => ({ access_token: "x" }) }));
    expect(error).toMatchObject({
      code: "INVALID_OPTION",
      message: expect.stringMatching(/either clientSecret or tokenProvider/),
    });
  });
});

describe("a secret in a browser", () => {
  afterEach(() => void vi.unstubAllGlobals());

  it("is refused unless dangerouslyAllowBrowser is set", () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    expect(errorOf(() => managerFor()).code).toBe("SECRET_IN_BROWSER");
    expect(() => managerFor({ dangerouslyAllowBrowser: true })).not.toThrow();
  });

  it("is not needed with a tokenProvider, which asks the app's own backend", async () => {
    vi.stubGlobal("window", {});
    vi.stubGlobal("document", {});
    const asked: (readonly Scope[])[] = [];
    const tokens = createTokenManager({
      baseUrl: BASE_URL,
      tokenProvider: async ({ scopes }) => (asked.push(scopes), { access_token: "from-backend", expires_in: "600" }),
      now: () => 0,
    });
    const token = await tokens.getToken(["publish", "data"]);
    expect(token).toMatchObject({ value: "from-backend", expiresAt: 600_000, scopes: ["data", "publish"] });
    await tokens.getToken(["data", "publish"]);
    expect(asked).toEqual([["data", "publish"]]);
  });
});

describe("tokenProvider", () => {
  it("may return the backend's Response as is: its status is handled like DealCloud's", async () => {
    let calls = 0;
    const tokens = createTokenManager({
      baseUrl: BASE_URL,
      random: () => 0,
      tokenProvider: async () =>
        ++calls === 1
          ? new Response("busy", { status: 503 })
          : Response.json({ access_token: "ok", token_type: "Bearer" }),
    });
    await expect(tokens.getToken("data")).resolves.toMatchObject({ value: "ok", type: "bearer" });
    expect(calls).toBe(2);
  });

  it("gets the attempt's signal, so a slow backend is cut off at tokenTimeoutMs", async () => {
    vi.useFakeTimers();
    const tokens = createTokenManager({
      baseUrl: BASE_URL,
      tokenTimeoutMs: 50,
      maxAttempts: 1,
      tokenProvider: ({ signal }) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason as Error))),
    });
    const pending = expect(tokens.getToken("data")).rejects.toMatchObject({ code: "TIMEOUT" });
    await vi.advanceTimersByTimeAsync(50);
    await pending;
    vi.useRealTimers();
  });
});

describe("scopes", () => {
  it("lists the five documented scopes", () => {
    expect(SCOPES).toEqual(["data", "user_management", "publish", "ri_import", "backup"]);
  });

  it("an unknown scope is a compile-time error", () => {
    expectTypeOf<"data">().toExtend<Scope>();
    expectTypeOf<"provider_sync">().not.toExtend<Scope>();
    const tokens = managerFor();
    // @ts-expect-error: "datta" is not a Scope
    void tokens.getToken(["datta"]).catch(() => {});
    // @ts-expect-error: scopes are an array, not one space-separated string
    void tokens.getToken("data publish").catch(() => {});
  });

  it("an unknown scope is refused before any request (DealCloud would drop it silently)", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const error = await tokens.getToken(["data", "exchange" as Scope]).catch((e: unknown) => e as DealCloudAuthError);
    expect(error).toMatchObject({ code: "UNKNOWN_SCOPE", message: expect.stringContaining('"exchange"') });
    expect(mock.tokenRequests).toHaveLength(0);
  });

  it("an empty scope list is refused", async () => {
    await expect(managerFor().getToken([])).rejects.toMatchObject({ code: "EMPTY_SCOPES" });
    await expect(managerFor().invalidate([])).rejects.toMatchObject({ code: "EMPTY_SCOPES" });
  });
});

describe("option ranges", () => {
  it.each<[Partial<TokenManagerOptions>, RegExp]>([
    [{ tokenTimeoutMs: 0 }, /tokenTimeoutMs must be a number from 1/],
    [{ tokenTimeoutMs: Number.NaN }, /tokenTimeoutMs/],
    [{ tokenTimeoutMs: "30s" as unknown as number }, /got string/],
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 11 }, /maxAttempts/],
    [{ tokenRequestsPerMinute: 0 }, /tokenRequestsPerMinute/],
    [{ refreshBeforeMs: -1 }, /refreshBeforeMs/],
    [
      { expiryMarginMs: 120_000, refreshBeforeMs: 60_000 },
      /expiryMarginMs \(120000\) must be smaller than refreshBeforeMs/,
    ],
    [{ maxTokenLifetimeMs: 10 }, /maxTokenLifetimeMs/],
    [{ maxRateLimitWaitMs: -1 }, /maxRateLimitWaitMs/],
    [{ fetch: "fetch" as never }, /fetch must be a function/],
    [{ now: 5 as never }, /now must be a function/],
    [{ store: {} as never }, /store must have get, set and delete/],
  ])("%o → INVALID_OPTION", (override, message) => {
    const error = errorOf(() => managerFor(override));
    expect(error.code).toBe("INVALID_OPTION");
    expect(error.message).toMatch(message);
  });

  it("refuses a missing options object", () => {
    expect(errorOf(() => createTokenManager(undefined as never)).code).toBe("INVALID_OPTION");
  });

  it("does no I/O at construction", () => {
    const fetch = vi.fn();
    managerFor({ fetch });
    expect(fetch).not.toHaveBeenCalled();
  });

  it("asks fetch for redirect: manual and sets no cache option (Workers reject redirect: error and cache)", async () => {
    mockSite();
    const inits: RequestInit[] = [];
    await managerFor({ fetch: (input, init) => (inits.push(init), globalThis.fetch(input, init)) }).getToken("data");
    expect(inits[0]).toMatchObject({ method: "POST", redirect: "manual" });
    expect(inits[0]).not.toHaveProperty("cache");
  });

  it("a redirect from the token endpoint (usually a wrong baseUrl) is INVALID_REQUEST, not followed", async () => {
    const tokens = managerFor({
      fetch: async () => new Response(null, { status: 302, headers: { location: "https://login.example.com/" } }),
    });
    await expect(tokens.getToken("data")).rejects.toMatchObject({
      code: "INVALID_REQUEST",
      status: 302,
      message: expect.stringMatching(/check baseUrl/),
    });
  });

  it("uses an injected fetch, called unbound", async () => {
    mockSite();
    const seen: unknown[] = [];
    const tokens = managerFor({
      fetch: function (this: unknown, input, init) {
        seen.push(this);
        return globalThis.fetch(input, init);
      },
    });
    await tokens.getToken("data");
    expect(seen).toEqual([undefined]);
  });
});

describe("createMemoryTokenStore", () => {
  const token = (value: string) => ({ value, type: "bearer", scopes: ["data"] as const, obtainedAt: 0, expiresAt: 1 });

  it("keeps at most maxEntries, dropping the least recently used", () => {
    const store = createMemoryTokenStore({ maxEntries: 2 });
    store.set("a", token("A"), 1);
    store.set("b", token("B"), 1);
    store.get("a");
    store.set("c", token("C"), 1);
    expect([store.get("a")?.value, store.get("b"), store.get("c")?.value]).toEqual(["A", undefined, "C"]);
  });

  it("stays exact when the newest entry is read, deleted and written again", () => {
    const store = createMemoryTokenStore({ maxEntries: 2 });
    store.set("a", token("A"), 1);
    store.set("b", token("B"), 1);
    store.get("b");
    store.get("a");
    store.get("a");
    store.set("c", token("C"), 1); // b is least recently used
    expect(store.get("b")).toBeUndefined();
    store.delete("c");
    store.set("d", token("D"), 1);
    store.get("a");
    store.set("e", token("E"), 1); // d is least recently used
    expect([store.get("a")?.value, store.get("d"), store.get("e")?.value]).toEqual(["A", undefined, "E"]);
  });

  it("refuses a size that is not a positive integer", () => {
    expect(errorOf(() => createMemoryTokenStore({ maxEntries: 0 })).code).toBe("INVALID_OPTION");
  });

  it("a failing store is a cache miss and a warning, never a failed token request", async () => {
    const mock = mockSite();
    const warnings: unknown[] = [];
    const down = () => Promise.reject(new Error("ECONNREFUSED 127.0.0.1:6379"));
    const tokens = managerFor({
      store: { get: down, set: down, delete: down },
      logger: { warn: (...line) => void warnings.push(line) },
    });

    await expect(tokens.getToken("data")).resolves.toMatchObject({ scopes: ["data"] });
    await expect(tokens.getToken("data")).resolves.toMatchObject({ scopes: ["data"] });
    expect(mock.tokenRequests).toHaveLength(2);
    expect(warnings.length).toBeGreaterThanOrEqual(3);
  });

  it("a store that throws synchronously is a cache miss and a warning too", async () => {
    const mock = mockSite();
    const warnings: string[] = [];
    const down = () => {
      throw new Error("store closed");
    };
    const tokens = managerFor({
      store: { get: down, set: down, delete: down },
      logger: { warn: (message) => void warnings.push(message) },
    });

    await expect(tokens.getToken("data")).resolves.toMatchObject({ scopes: ["data"] });
    await expect(tokens.invalidate("data")).resolves.toBe(false);
    expect(mock.tokenRequests).toHaveLength(1);
    expect(warnings).toEqual([
      "dealcloud token store get failed",
      "dealcloud token store set failed",
      "dealcloud token store get failed",
    ]);
  });

  it("a custom store gets the token with a TTL up to the hard margin, and never the secret", async () => {
    mockSite();
    const calls: unknown[][] = [];
    const memory = createMemoryTokenStore();
    const store = {
      get: async (key: string) => (calls.push(["get", key]), memory.get(key)),
      set: async (...args: Parameters<typeof memory.set>) => (calls.push(["set", ...args]), memory.set(...args)),
      delete: async (key: string) => (calls.push(["delete", key]), memory.delete(key)),
    };
    const tokens = managerFor({ store, now: () => 0 });
    await tokens.getToken("data");
    await tokens.invalidate("data");

    const set = calls.find((call) => call[0] === "set")!;
    expect(set[1]).toBe(`dealcloud-token:v1 ${BASE_URL}/api/rest/v1/oauth/token ${CLIENT_ID} data`);
    expect(set[3]).toBe(900_000 - 30_000);
    expect(calls.map((call) => call[0])).toEqual(["get", "set", "get", "delete"]);
    expect(JSON.stringify(calls)).not.toContain(CLIENT_SECRET);
  });
});
