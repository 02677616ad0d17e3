// Issue 13, items 1–7, 12 and 22: each test failed against the package before its fix.
import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createMemoryTokenStore,
  createTokenManager,
  type DealCloudAuthError,
  type FetchLike,
  normalizeSiteUrl,
  parseRetryAfter,
  tokenStoreKey,
} from "../src/index.js";
import { BASE_URL, CLIENT_ID, CLIENT_SECRET, captureRequests, managerFor, mockSite } from "./site.js";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  vi.setSystemTime(T0);
});
afterEach(() => void vi.useRealTimers());

/** Settles `promise` while fake time runs `ms` forward; also says when (ms after the start) it settled. */
async function settleTimed<T>(promise: Promise<T>, ms = 120_000) {
  const start = performance.now();
  let at = Number.NaN;
  const settled = Promise.allSettled([promise.finally(() => void (at = performance.now() - start))]);
  await vi.advanceTimersByTimeAsync(ms);
  const [result] = (await settled) as [PromiseSettledResult<T>];
  return { result, at, error: (result as PromiseRejectedResult).reason as DealCloudAuthError | undefined };
}

/** A fetch whose answers the test scripts; each call is recorded with its fake-clock time and signal. */
function scriptedFetch(answer: (call: number, signal: AbortSignal) => Promise<Response> | Response) {
  const calls: { at: number; signal: AbortSignal }[] = [];
  const fetch: FetchLike = async (_input, init) => {
    const signal = init.signal as AbortSignal;
    calls.push({ at: performance.now(), signal });
    return answer(calls.length, signal);
  };
  return { fetch, calls };
}
const hang = (signal: AbortSignal) =>
  new Promise<Response>((_, reject) => signal.addEventListener("abort", () => reject(signal.reason)));
const ok = () => Response.json({ access_token: "tok", token_type: "bearer", expires_in: 900 });
const tooMany = (retryAfter: string) => new Response("{}", { status: 429, headers: { "retry-after": retryAfter } });

describe("1. every rate-limit wait inside a refresh respects the caller's maxRateLimitWaitMs", () => {
  it("a retry that would wait for the per-minute budget fails at once with TOKEN_RATE_LIMITED", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 500 });
    const tokens = managerFor({ tokenRequestsPerMinute: 1, maxRateLimitWaitMs: 0, random: () => 0 });
    const { error, at } = await settleTimed(tokens.getToken("data"));

    expect(error).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 60_000 });
    expect(error?.message).toMatch(/budget \(1 requests a minute\)/);
    expect(at).toBe(0); // before: resolved after 60,000 ms
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("a 429 Retry-After longer than the call's own limit fails at once, with the 429's facts", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "5" });
    const tokens = managerFor();
    const { error, at } = await settleTimed(tokens.getToken("data", { maxRateLimitWaitMs: 0 }));

    expect(error).toMatchObject({ code: "TOKEN_RATE_LIMITED", status: 429, retryAfterMs: 5_000 });
    expect(at).toBe(0); // before: resolved after 5,000 ms
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("callers sharing one refresh: the impatient one fails alone, the patient one gets the token", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "5" });
    const tokens = managerFor();
    const patient = settleTimed(tokens.getToken("data"));
    const impatient = settleTimed(tokens.getToken("data", { maxRateLimitWaitMs: 1_000 }));
    const [a, b] = await Promise.all([patient, impatient]);

    expect(b.error).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 5_000 });
    expect(b.at).toBe(0);
    expect(a.result.status).toBe("fulfilled");
    expect(a.at).toBe(5_000);
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("a caller joining a refresh that is already waiting longer than it allows fails at once", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "10" });
    const tokens = managerFor();
    const patient = tokens.getToken("data");
    await vi.advanceTimersByTimeAsync(4_000);
    const late = await settleTimed(tokens.getToken("data", { maxRateLimitWaitMs: 1_000 }), 0);

    expect(late.error).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 6_000 });
    await vi.advanceTimersByTimeAsync(6_000);
    await expect(patient).resolves.toBeDefined();
  });
});

describe("2. a refresh nobody waits for any more stops and leaves no timer", () => {
  it("the only caller aborting ends the hanging attempt at once; nothing more is sent", async () => {
    const { fetch, calls } = scriptedFetch((_, signal) => hang(signal));
    const tokens = managerFor({ fetch, maxAttempts: 3 });
    const controller = new AbortController();
    const pending = tokens.getToken("data", { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const { error } = await settleTimed(pending, 200);

    expect(error?.code).toBe("ABORTED");
    expect(calls[0]?.signal.aborted).toBe(true); // before: the attempt ran on to its 30 s timeout
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(100_000);
    expect(calls).toHaveLength(1); // before: 3
  });

  it("the only caller aborting during a 429 pause cancels the pause: no timer, no second request", async () => {
    const { fetch, calls } = scriptedFetch(() => tooMany("50"));
    const tokens = managerFor({ fetch });
    const controller = new AbortController();
    const pending = tokens.getToken("data", { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await settleTimed(pending, 200);

    expect(vi.getTimerCount()).toBe(0); // before: 1 (the 50 s pause)
    await vi.advanceTimersByTimeAsync(100_000);
    expect(calls).toHaveLength(1); // before: 3
  });

  it("the refresh goes on while another caller still waits, and a new caller after abandonment starts afresh", async () => {
    const { fetch, calls } = scriptedFetch((n, signal) => (n === 1 ? hang(signal) : ok()));
    const tokens = managerFor({ fetch });
    const one = new AbortController();
    const two = new AbortController();
    const first = tokens.getToken("data", { signal: one.signal }).catch((e: unknown) => e);
    const second = tokens.getToken("data", { signal: two.signal }).catch((e: unknown) => e);
    one.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[0]?.signal.aborted).toBe(false);
    two.abort();
    await expect(first).resolves.toMatchObject({ code: "ABORTED" });
    await expect(second).resolves.toMatchObject({ code: "ABORTED" });
    expect(calls[0]?.signal.aborted).toBe(true);

    await expect(tokens.getToken("data")).resolves.toMatchObject({ value: "tok" });
    expect(calls).toHaveLength(2);
  });

  it("a background (soft-window) refresh runs to completion with no caller waiting", async () => {
    let wall = T0;
    const { fetch, calls } = scriptedFetch((n) =>
      n === 2 ? new Promise<Response>((resolve) => setTimeout(() => resolve(ok()), 1_000)) : ok(),
    );
    const tokens = managerFor({ fetch, now: () => wall });
    await tokens.getToken("data");
    wall = T0 + 800_000;
    await tokens.getToken("data");
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toHaveLength(2);
    expect(tokens.stats()).toMatchObject({ backgroundRefreshes: 1, failures: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("3. base URLs", () => {
  it.each([
    ["https//acme.dealcloud.com", "https://acme.dealcloud.com"],
    ["https:\\\\acme.dealcloud.com", "https://acme.dealcloud.com"],
    ["http:/acme.dealcloud.com", "http://acme.dealcloud.com"],
    ["https;//acme.dealcloud.com/", "https://acme.dealcloud.com"],
    ["HTTPS:acme.dealcloud.com", "https://acme.dealcloud.com"],
  ])("refuses %j with INVALID_BASE_URL: did you mean %j?", (baseUrl, meant) => {
    expect(() => normalizeSiteUrl(baseUrl)).toThrow(
      expect.objectContaining({
        code: "INVALID_BASE_URL",
        message: expect.stringContaining(`did you mean "${meant}"?`),
      }),
    );
  });

  it("does not echo a password while suggesting", () => {
    expect(() => normalizeSiteUrl("https//me:hunter2@acme.dealcloud.com")).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("hunter2") }),
    );
  });

  it("still takes hosts that merely start with http", () => {
    expect(normalizeSiteUrl("https.example.com").url).toBe("https://https.example.com");
    expect(normalizeSiteUrl("http-proxy.example.com").url).toBe("https://http-proxy.example.com");
  });

  it("drops a trailing dot, so a sandbox host keeps its 60 a minute budget", () => {
    expect(normalizeSiteUrl("acme.dealclouduat.com.")).toEqual({ url: "https://acme.dealclouduat.com", sandbox: true });
    expect(managerFor({ baseUrl: "https://acme.dealclouduat.com./" }).tokenRequestsPerMinute).toBe(60); // before: 300
  });
});

describe("4. a wall clock that steps backwards", () => {
  function clocks() {
    const clock = { wall: T0, mono: 0 };
    return { clock, now: () => clock.wall, monotonicNow: () => clock.mono };
  }

  it("does not lock the per-minute budget for longer than a minute", async () => {
    const mock = mockSite();
    const { clock, ...injected } = clocks();
    const tokens = managerFor({ ...injected, tokenRequestsPerMinute: 1, maxRateLimitWaitMs: 0 });
    await tokens.getToken("data");
    clock.wall -= 300_000;
    clock.mono += 60_000;
    await expect(tokens.getToken("data", { forceRefresh: true })).resolves.toBeDefined(); // before: 300,000 ms left
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("does not stretch a 429 pause, and the refusal names the 429, not the budget", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "10" });
    const { clock, ...injected } = clocks();
    const tokens = managerFor({ ...injected, maxAttempts: 1, maxRateLimitWaitMs: 0 });
    await expect(tokens.getToken("data")).rejects.toMatchObject({ status: 429 });
    clock.wall -= 300_000;
    clock.mono += 4_000;
    const refused = (await tokens.getToken("data").catch((e: unknown) => e)) as DealCloudAuthError;
    expect(refused).toMatchObject({ code: "TOKEN_RATE_LIMITED", status: 429, retryAfterMs: 6_000 });
    expect(refused.message).toMatch(/HTTP 429/);
    expect(refused.message).not.toMatch(/budget/); // before: "The token budget (300 requests a minute) is spent"
    clock.mono += 6_000;
    await expect(tokens.getToken("data")).resolves.toBeDefined(); // before: 310,000 ms left
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("does not serve a token past its real death, counted on the monotonic clock", async () => {
    const mock = mockSite();
    const { clock, ...injected } = clocks();
    const tokens = managerFor(injected);
    const first = await tokens.getToken("data");
    clock.wall -= 300_000;
    clock.mono += 870_000; // the hard margin of a 900 s token
    const next = await tokens.getToken("data");
    expect(next.value).not.toBe(first.value); // before: the dead token, 929 s after it was obtained
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("still expires a token by the wall clock (a clock that jumps forward, a token from a shared store)", async () => {
    const mock = mockSite();
    const { clock, ...injected } = clocks();
    const store = createMemoryTokenStore();
    await managerFor({ ...injected, store }).getToken("data");
    clock.wall += 870_000;
    await managerFor({ ...injected, store }).getToken("data");
    expect(mock.tokenRequests).toHaveLength(2);
  });
});

describe("5. an AccessToken's value cannot be reached by anything that enumerates it", () => {
  function printedByConsoleDir(...args: Parameters<Console["dir"]>): string {
    let text = "";
    const stream = new Writable({ write: (chunk, _, done) => void ((text += String(chunk)), done()) });
    new Console({ stdout: stream, stderr: stream }).dir(...args);
    return text;
  }

  it("console.dir, spread, structuredClone, Object.entries, JSON, String and inspect show no value", async () => {
    const mock = mockSite();
    const tokens = managerFor();
    const token = await tokens.getToken("data");
    const [value] = [...mock.issuedTokens.keys()] as [string];

    expect(token.value).toBe(value);
    const seen = [
      printedByConsoleDir(token),
      printedByConsoleDir({ ...token }),
      printedByConsoleDir(token, { showHidden: true, depth: 5 }),
      printedByConsoleDir(token, { showHidden: true, getters: true } as never),
      printedByConsoleDir([token]),
      inspect(structuredClone(token), { showHidden: true, getters: true }),
      JSON.stringify(Object.entries(token)),
      JSON.stringify({ ...token }),
      JSON.stringify(token),
      String(token),
      inspect(token, { showHidden: true, getters: true, customInspect: false }),
      inspect(token),
      Object.getOwnPropertyNames(token).join(),
    ].join("\n");
    expect(seen).not.toContain(value); // before: console.dir(token) printed value: 'mock.…'
    expect(seen).toContain("bearer");
    expect(Object.keys(token)).toEqual(["type", "scopes", "expiresAt"]);
  });

  it("stays frozen, and a cache hit returns the same object", async () => {
    mockSite();
    const tokens = managerFor();
    const token = await tokens.getToken("data");
    expect(Object.isFrozen(token)).toBe(true);
    expect(await tokens.getToken("data")).toBe(token);
    expect(() => Object.defineProperty(token, "value", { value: "x" })).toThrow();
  });
});

describe("6. malformed Retry-After and expires_in", () => {
  it.each([
    ["-30", undefined],
    ["0x10", undefined],
    ["1e3", undefined],
    ["soon", undefined],
    ["5", 5_000],
    [" 7 ", 7_000],
    ["0", 0],
    [new Date(T0 + 12_000).toUTCString(), 12_000],
    [new Date(T0 - 12_000).toUTCString(), undefined],
    [null, undefined],
  ])("parseRetryAfter(%j) is %j", (header, ms) => {
    expect(parseRetryAfter(header, T0)).toBe(ms);
  });

  it("a 429 with Retry-After: -30 pauses a sane default, not zero", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "-30", times: 2 });
    await settleTimed(managerFor({ random: () => 0 }).getToken("data"));
    const sent = mock.tokenRequests.map((request) => request.at - T0);
    expect(sent).toEqual([0, 5_000, 10_000]); // before: [0, 0, 0]
  });

  it.each([" 0x10 ", "0x10", "1e3", "16s", "", " 900", true])(
    "expires_in %j is INVALID_TOKEN_RESPONSE",
    async (expiresIn) => {
      const mock = mockSite();
      mock.faults.add({
        route: "token",
        status: 200,
        body: JSON.stringify({ access_token: "a", expires_in: expiresIn }),
      });
      await expect(managerFor().getToken("data")).rejects.toMatchObject({ code: "INVALID_TOKEN_RESPONSE" });
    },
  );

  it.each([
    ["600", 600_000],
    [600, 600_000],
    ["299.5", 299_500],
  ])("expires_in %j is %i ms", async (expiresIn, ms) => {
    const mock = mockSite();
    mock.faults.add({
      route: "token",
      status: 200,
      body: JSON.stringify({ access_token: "a", expires_in: expiresIn }),
    });
    expect((await managerFor().getToken("data")).expiresAt).toBe(T0 + ms);
  });
});

describe("7. clientAuthentication: body or HTTP Basic", () => {
  it('"basic" sends Authorization: Basic base64(urlencoded id:urlencoded secret) and only grant_type and scope', async () => {
    const client = { clientId: "1001", clientSecret: "a+b c:é%" };
    mockSite({ clients: [client] });
    const requests = captureRequests();
    const token = await managerFor({ ...client, clientAuthentication: "basic" }).getToken("data");

    expect(token.scopes).toEqual(["data"]);
    const [request] = requests as [Request];
    expect(request.headers.get("authorization")).toBe(
      `Basic ${Buffer.from("1001:a%2Bb+c%3A%C3%A9%25").toString("base64")}`,
    );
    expect(Object.fromEntries(new URLSearchParams(await request.text()))).toEqual({
      grant_type: "client_credentials",
      scope: "data",
    });
  });

  it('"body" (the default, as the docs) sends the secret in the form and no Authorization header', async () => {
    mockSite();
    const requests = captureRequests();
    await managerFor({ clientAuthentication: "body" }).getToken("data");
    expect(requests[0]?.headers.get("authorization")).toBeNull();
    expect(new URLSearchParams(await requests[0]?.text()).get("client_secret")).toBe(CLIENT_SECRET);
  });

  it("a wrong secret over Basic is INVALID_CLIENT", async () => {
    mockSite();
    await expect(
      managerFor({ clientSecret: "wrong", clientAuthentication: "basic" }).getToken("data"),
    ).rejects.toMatchObject({ code: "INVALID_CLIENT" });
  });

  it.each(["header", "Basic", 1, null])("clientAuthentication %j is INVALID_OPTION", (value) => {
    expect(() => managerFor({ clientAuthentication: value as never })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringMatching(/"body" or "basic"/) }),
    );
  });
});

describe("12. tokenTimeoutMs, and a timeoutMs meant for the API client is never read", () => {
  it("tokenTimeoutMs ends an attempt", async () => {
    const { fetch } = scriptedFetch((_, signal) => hang(signal));
    const { error, at } = await settleTimed(
      managerFor({ fetch, tokenTimeoutMs: 1_000, maxAttempts: 1 }).getToken("data"),
    );
    expect(error?.code).toBe("TIMEOUT");
    expect(error?.message).toMatch(/tokenTimeoutMs \(1000 ms\)/);
    expect(at).toBe(1_000);
  });

  it("timeoutMs is ignored, like every key the manager does not know", async () => {
    const { fetch } = scriptedFetch(
      (_, signal) =>
        new Promise((resolve, reject) => {
          setTimeout(() => resolve(ok()), 100);
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
    );
    const options = { baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, fetch, timeoutMs: 1 };
    const { result } = await settleTimed(createTokenManager(options).getToken("data"), 200);
    expect(result.status).toBe("fulfilled"); // before: TIMEOUT after 1 ms
  });

  it("tokenTimeoutMs is validated", () => {
    expect(() => managerFor({ tokenTimeoutMs: 0 })).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", message: expect.stringMatching(/tokenTimeoutMs/) }),
    );
  });
});

describe("22. tokenStoreKey: the versioned key shared stores depend on", () => {
  it("names the version, the token URL, the client id and the sorted scopes", () => {
    expect(tokenStoreKey({ baseUrl: "acme.dealcloud.com", clientId: 106, scopes: ["publish", "data"] })).toBe(
      "dealcloud-token:v1 https://acme.dealcloud.com/api/rest/v1/oauth/token 106 data publish",
    );
    expect(tokenStoreKey({ baseUrl: "https://acme.dealcloud.com/", scopes: "data" })).toBe(
      "dealcloud-token:v1 https://acme.dealcloud.com/api/rest/v1/oauth/token provider data",
    );
  });

  it("is the key the manager uses in its store, with credentials or a tokenProvider", async () => {
    mockSite();
    const keys: string[] = [];
    const memory = createMemoryTokenStore();
    const store = {
      ...memory,
      set: (key: string, ...rest: [never, number]) => (keys.push(key), memory.set(key, ...rest)),
    };
    await managerFor({ store }).getToken(["publish", "data"]);
    await createTokenManager({ baseUrl: BASE_URL, store, tokenProvider: async () => ({ access_token: "p" }) }).getToken(
      "data",
    );
    expect(keys).toEqual([
      tokenStoreKey({ baseUrl: BASE_URL, clientId: CLIENT_ID, scopes: ["data", "publish"] }),
      tokenStoreKey({ baseUrl: BASE_URL, scopes: ["data"] }),
    ]);
  });
});
