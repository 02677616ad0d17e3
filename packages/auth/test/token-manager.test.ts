import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createMemoryTokenStore, normalizeScopes, type StoredToken, type TokenStore } from "../src/index.js";
import { BASE_URL, CLIENT_ID, CLIENT_SECRET, captureRequests, managerFor, mockSite } from "./site.js";

const _MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  vi.setSystemTime(T0);
});
afterEach(() => void vi.useRealTimers());

describe("getToken: how the scopes name the cached token", () => {
  it("serves a cache hit as the same frozen token object, so the hot path allocates nothing", async () => {
    mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken("data");
    expect(await tokens.getToken("data")).toBe(first);
    expect(await tokens.getToken(["data"])).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it("reads an array afresh on every call unless it is frozen, so an array changed between calls gets its own token", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const scopes: ("data" | "publish")[] = ["data"];
    await tokens.getToken(scopes);
    scopes.push("publish");
    await expect(tokens.getToken(scopes)).resolves.toMatchObject({ scopes: ["data", "publish"] });
    expect(mock.tokenRequests.map((request) => request.scope)).toEqual(["data", "data publish"]);
  });

  it("takes normalizeScopes' frozen answer as is: sorted, de-duplicated, and the same key on every call", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const scopes = normalizeScopes(["publish", "data", "publish"]);
    expect(Object.isFrozen(scopes)).toBe(true);
    await Promise.all([tokens.getToken(scopes), tokens.getToken(scopes), tokens.getToken(["data", "publish"])]);
    expect(mock.tokenRequests.map((request) => request.scope)).toEqual(["data publish"]);
  });
});

describe("getToken: the token request", () => {
  it("POSTs the documented form to {baseUrl}/api/rest/v1/oauth/token with space-separated scopes", async () => {
    mockSite();
    const requests = captureRequests();
    await managerFor().getToken(["publish", "data"]);

    expect(requests).toHaveLength(1);
    const [request] = requests as [Request];
    expect(request.method).toBe("POST");
    expect(request.url).toBe(`${BASE_URL}/api/rest/v1/oauth/token`);
    expect(request.headers.get("content-type")).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({
      grant_type: "client_credentials",
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: "data publish",
    });
  });

  it("resolves { value, type, scopes, expiresAt } for the sorted scope set", async () => {
    const mock = mockSite();
    const token = await managerFor().getToken(["user_management", "data"]);

    expect(mock.issuedTokens.has(token.value)).toBe(true);
    expect({ ...token, value: "…" }).toEqual({
      value: "…",
      type: "bearer",
      scopes: ["data", "user_management"],
      expiresAt: T0 + 900_000,
    });
  });

  it("accepts a single scope as a string", async () => {
    const mock = mockSite();
    await managerFor().getToken("data");
    expect(mock.tokenCallsByScope()).toEqual({ data: 1 });
  });
});

describe("getToken: caching and single flight", () => {
  it("reuses the cached token: scope order and duplicates name the same token", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken(["data", "publish"]);
    const again = await tokens.getToken(["publish", "data", "publish"]);

    expect(again.value).toBe(first.value);
    expect(mock.tokenCallsByScope()).toEqual({ "data publish": 1 });
    expect(tokens.stats()).toMatchObject({ tokenRequests: 1, cacheHits: 1 });
  });

  it("keeps one token per scope set", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const data = await tokens.getToken(["data"]);
    const publish = await tokens.getToken(["publish"]);

    expect(data.value).not.toBe(publish.value);
    expect(mock.tokenCallsByScope()).toEqual({ data: 1, publish: 1 });
  });

  it("sends exactly one token request for 1,000 concurrent callers on a cold cache", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const results = await Promise.all(Array.from({ length: 1000 }, () => tokens.getToken(["data"])));

    expect(mock.tokenRequests).toHaveLength(1);
    expect(new Set(results.map((token) => token.value)).size).toBe(1);
    expect(tokens.stats()).toMatchObject({ tokenRequests: 1, coalescedWaiters: 999, cacheHits: 0 });
  });

  it("keys the cache by token URL and client id, so managers sharing a store never mix tokens", async () => {
    const other = { clientId: "2002", clientSecret: "other-secret" };
    const mock = mockSite({ clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }, other] });
    const store = createMemoryTokenStore();
    const mine = await managerFor({ store }).getToken(["data"]);
    const theirs = await managerFor({ store, ...other }).getToken(["data"]);

    expect(theirs.value).not.toBe(mine.value);
    expect(mock.tokenRequests.map((request) => request.clientId)).toEqual([CLIENT_ID, "2002"]);
  });

  it("shares a token between managers through a shared store", async () => {
    const mock = mockSite();
    const store = createMemoryTokenStore();
    const first = await managerFor({ store }).getToken(["data"]);
    const second = await managerFor({ store }).getToken(["data"]);

    expect(second.value).toBe(first.value);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("forceRefresh skips the cache, and concurrent forced callers still share one request", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken(["data"]);
    const forced = await Promise.all([1, 2, 3].map(() => tokens.getToken(["data"], { forceRefresh: true })));

    expect(new Set(forced.map((token) => token.value))).toEqual(new Set([forced[0]?.value]));
    expect(forced[0]?.value).not.toBe(first.value);
    expect(mock.tokenRequests).toHaveLength(2);
  });
});

describe("getToken: lifetime", () => {
  it("believes at most 900 s even when expires_in says more (a recorded answer said 1199)", async () => {
    mockSite({ reportedExpiresIn: 1199 });
    expect((await managerFor().getToken(["data"])).expiresAt).toBe(T0 + 900_000);
  });

  it("falls back to 900 s when expires_in is missing", async () => {
    mockSite({ reportedExpiresIn: null });
    expect((await managerFor().getToken(["data"])).expiresAt).toBe(T0 + 900_000);
  });

  it("takes a shorter expires_in as given", async () => {
    mockSite({ reportedExpiresIn: 300 });
    expect((await managerFor().getToken(["data"])).expiresAt).toBe(T0 + 300_000);
  });

  it("counts the lifetime from when the request was sent, not when the answer arrived", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 5_000 });
    const pending = managerFor().getToken(["data"]);
    await vi.advanceTimersByTimeAsync(5_000);

    expect((await pending).expiresAt).toBe(T0 + 900_000);
  });

  it("ignores a refresh_token in the answer and never stores it", async () => {
    mockSite({ includeRefreshToken: true });
    const stored: StoredToken[] = [];
    const memory = createMemoryTokenStore();
    const store: TokenStore = {
      ...memory,
      set: (key, token, ttl) => (stored.push(token), memory.set(key, token, ttl)),
    };
    await managerFor({ store }).getToken(["data"]);

    expect(stored).toHaveLength(1);
    expect(Object.keys(stored[0] as object).sort()).toEqual(["expiresAt", "obtainedAt", "scopes", "type", "value"]);
    expect(JSON.stringify(stored)).not.toMatch(/refresh/i);
  });

  it("uses the local clock only: the server's Date header does not matter", async () => {
    mockSite();
    const tokens = managerFor({ now: () => 1_000 });
    expect((await tokens.getToken(["data"])).expiresAt).toBe(1_000 + 900_000);
  });
});

describe("getToken: soft window and hard margin", () => {
  const SOFT = 900_000 - 120_000;
  const HARD = 900_000 - 30_000;

  it("before the soft window: cache only, no request", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    await tokens.getToken(["data"]);
    vi.setSystemTime(T0 + SOFT - 1);
    await tokens.getToken(["data"]);

    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("in the soft window: callers get the cached token at once and one background refresh starts", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken(["data"]);
    mock.faults.add({ route: "token", delayMs: 1_000 });
    vi.setSystemTime(T0 + SOFT);

    const during = await Promise.all(Array.from({ length: 50 }, () => tokens.getToken(["data"])));
    expect(during.every((token) => token.value === first.value)).toBe(true);

    await vi.advanceTimersByTimeAsync(1_000);
    const after = await tokens.getToken(["data"]);
    expect(after.value).not.toBe(first.value);
    expect(after.expiresAt).toBe(T0 + SOFT + 900_000);
    expect(mock.tokenRequests).toHaveLength(2);
    expect(tokens.stats().backgroundRefreshes).toBe(1);
  });

  it("keeps serving the live token when a background refresh fails, and surfaces the failure at the hard margin", async () => {
    const mock = mockSite();
    const warnings: string[] = [];
    const tokens = managerFor({ maxAttempts: 1, logger: { warn: (message) => void warnings.push(message) } });
    const first = await tokens.getToken(["data"]);
    mock.faults.add({ route: "token", status: 503, times: Infinity });

    vi.setSystemTime(T0 + SOFT);
    expect((await tokens.getToken(["data"])).value).toBe(first.value);
    await vi.advanceTimersByTimeAsync(0);
    expect(warnings.some((line) => line.includes("background"))).toBe(true);
    vi.setSystemTime(T0 + HARD - 1);
    expect((await tokens.getToken(["data"])).value).toBe(first.value);

    vi.setSystemTime(T0 + HARD);
    await expect(tokens.getToken(["data"])).rejects.toMatchObject({ code: "SERVER_ERROR", status: 503 });
  });

  it("after a failed background refresh, waits 10 s before trying again in the background", async () => {
    const mock = mockSite();
    const tokens = managerFor({ maxAttempts: 1 });
    await tokens.getToken(["data"]);
    mock.faults.add({ route: "token", status: 500, times: 1 });
    vi.setSystemTime(T0 + SOFT);
    await tokens.getToken(["data"]);
    await vi.advanceTimersByTimeAsync(0);
    await tokens.getToken(["data"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(mock.tokenRequests).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(10_000);
    await tokens.getToken(["data"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(mock.tokenRequests).toHaveLength(3);
  });

  it("in the hard margin: the token counts as expired and callers wait for a new one", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken(["data"]);
    vi.setSystemTime(T0 + HARD);

    const second = await tokens.getToken(["data"]);
    expect(second.value).not.toBe(first.value);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("scales both windows down for short-lived tokens (soft at half, hard at a quarter of the lifetime)", async () => {
    const mock = mockSite({ reportedExpiresIn: 60 });
    const tokens = managerFor();
    await tokens.getToken(["data"]);
    vi.setSystemTime(T0 + 29_999);
    await tokens.getToken(["data"]);
    expect(mock.tokenRequests).toHaveLength(1);

    vi.setSystemTime(T0 + 30_000);
    await tokens.getToken(["data"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(tokens.stats().backgroundRefreshes).toBe(1);
  });

  it("sets no timer that outlives a request: nothing keeps a process alive", async () => {
    mockSite();
    const tokens = managerFor();
    await tokens.getToken(["data"]);
    await tokens.getToken(["publish"]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("hands every refresh to waitUntil, so a Workers request stays alive until it settles", async () => {
    mockSite();
    const kept: Promise<unknown>[] = [];
    const tokens = managerFor({ waitUntil: (promise) => void kept.push(promise) });
    await tokens.getToken(["data"]);
    vi.setSystemTime(T0 + SOFT);
    await tokens.getToken(["data"]);

    expect(kept).toHaveLength(2);
    await expect(Promise.all(kept)).resolves.toBeDefined();
  });
});

describe("per-call waitUntil", () => {
  it("hands a refresh to the waitUntil of the call that starts it, so one manager can serve every request", async () => {
    mockSite();
    const kept = { manager: 0, first: 0, second: 0, joined: 0 };
    const tokens = managerFor({ waitUntil: () => void kept.manager++ });
    const first = tokens.getToken(["data"], { waitUntil: () => void kept.first++ });
    // Joins the refresh the first call started: that call's request keeps it alive.
    const joined = tokens.getToken(["data"], { waitUntil: () => void kept.joined++ });
    await Promise.all([first, joined]);
    vi.setSystemTime(T0 + 900_000 - 120_000);
    // A cache hit in the soft window starts a background refresh: this call's waitUntil gets it.
    let background: Promise<unknown> | undefined;
    await tokens.getToken(["data"], { waitUntil: (promise) => void (kept.second++, (background = promise)) });
    await background;

    expect(kept).toEqual({ manager: 0, first: 1, second: 1, joined: 0 });
  });
});

describe("invalidate", () => {
  it("drops the cached token so the next call gets a new one", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const first = await tokens.getToken(["data"]);

    expect(await tokens.invalidate(["data"], first.value)).toBe(true);
    expect((await tokens.getToken(["data"])).value).not.toBe(first.value);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("drops a token only if it is still the cached one, so N failures with one token cause one refresh", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const rejected = await tokens.getToken(["data"]);

    const outcomes = [];
    for (let i = 0; i < 5; i++) {
      outcomes.push(await tokens.invalidate(["data"], rejected.value));
      await tokens.getToken(["data"]);
    }
    expect(outcomes).toEqual([true, false, false, false, false]);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("without a value drops whatever is cached; with nothing cached it reports false", async () => {
    mockSite();
    const tokens = managerFor();
    expect(await tokens.invalidate("data")).toBe(false);
    await tokens.getToken("data");
    expect(await tokens.invalidate("data")).toBe(true);
  });

  it("never lets a refresh that finishes after invalidate() overwrite the cache", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    mock.faults.add({ route: "token", delayMs: 1_000 });
    const inFlight = tokens.getToken(["data"]);
    await vi.advanceTimersByTimeAsync(10);
    await tokens.invalidate(["data"]);
    await vi.advanceTimersByTimeAsync(1_000);
    const late = await inFlight;

    const next = await tokens.getToken(["data"]);
    expect(next.value).not.toBe(late.value);
    expect(mock.tokenRequests).toHaveLength(2);
  });
});

describe("stats", () => {
  it("counts token requests, cache hits, coalesced waiters and failures", async () => {
    const mock = mockSite();
    const tokens = managerFor({ maxAttempts: 1 });
    await Promise.all([tokens.getToken("data"), tokens.getToken("data")]);
    await tokens.getToken("data");
    mock.faults.add({ route: "token", status: 500 });
    await expect(tokens.getToken("publish")).rejects.toThrow();

    expect(tokens.stats()).toEqual({
      tokenRequests: 2,
      cacheHits: 1,
      coalescedWaiters: 1,
      failures: 1,
      backgroundRefreshes: 0,
    });
  });

  it("returns a snapshot, not live counters", async () => {
    mockSite();
    const tokens = managerFor();
    const before = tokens.stats();
    await tokens.getToken("data");
    expect(before.tokenRequests).toBe(0);
  });
});
