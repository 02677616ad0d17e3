import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DealCloudAuthError } from "../src/index.js";
import { managerFor, mockSite } from "./site.js";

const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
  vi.setSystemTime(T0);
});
afterEach(() => void vi.useRealTimers());

/** Settles a promise while fake time runs forward, so retries and waits can happen. */
async function settle<T>(promise: Promise<T>, ms = 120_000): Promise<PromiseSettledResult<T>> {
  const settled = Promise.allSettled([promise]);
  await vi.advanceTimersByTimeAsync(ms);
  return (await settled)[0] as PromiseSettledResult<T>;
}
const reason = (result: PromiseSettledResult<unknown>) =>
  (result as PromiseRejectedResult).reason as DealCloudAuthError;

describe("token endpoint errors that no retry can fix fail at once", () => {
  it.each([
    { status: 401, body: { error: "invalid_client" }, code: "INVALID_CLIENT" },
    { status: 400, body: { error: "invalid_client" }, code: "INVALID_CLIENT" },
    { status: 401, body: {}, code: "INVALID_CLIENT" },
    { status: 400, body: { error: "invalid_scope" }, code: "INVALID_SCOPE" },
    { status: 400, body: { error: "invalid_request" }, code: "INVALID_REQUEST" },
    { status: 400, body: { error: "unsupported_grant_type" }, code: "INVALID_REQUEST" },
    { status: 404, body: {}, code: "INVALID_REQUEST" },
    { status: 403, body: {}, code: "FORBIDDEN" },
  ])("$status $body.error → $code after one request", async ({ status, body, code }) => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status, body: JSON.stringify(body), times: Infinity });
    const tokens = managerFor();
    const error = reason(await settle(tokens.getToken(["data", "publish"])));

    expect(error).toBeInstanceOf(DealCloudAuthError);
    expect(error).toMatchObject({ code, status });
    expect(mock.tokenRequests).toHaveLength(1);
    expect(tokens.stats().failures).toBe(1);
  });

  it("a wrong secret, as the mock really answers it, is INVALID_CLIENT with a message that says what to fix", async () => {
    mockSite();
    const error = reason(await settle(managerFor({ clientSecret: "wrong" }).getToken("data")));
    expect(error.code).toBe("INVALID_CLIENT");
    expect(error.message).toMatch(/check clientId and clientSecret/);
  });

  it("403 carries DealCloud's hint: a missing scope or user-group permission", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 403 });
    const error = reason(await settle(managerFor().getToken("data")));
    expect(error.message).toMatch(/missing scope or a missing user-group permission/);
  });

  it("invalid_scope names the scopes that were asked for", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 400, body: '{"error":"invalid_scope"}' });
    const error = reason(await settle(managerFor().getToken(["ri_import", "backup"])));
    expect(error.message).toContain('"backup ri_import"');
  });

  it.each([
    ["not JSON", "<html>oops</html>"],
    ["no access_token", '{"token_type":"bearer","expires_in":900}'],
    ["an access_token that cannot go in a header", '{"access_token":"a b\\nc"}'],
    ["a non-bearer token_type", '{"access_token":"abc","token_type":"mac"}'],
    ["a negative expires_in", '{"access_token":"abc","expires_in":-5}'],
    ["a non-numeric expires_in", '{"access_token":"abc","expires_in":"soon"}'],
  ])("a 200 answer with %s fails with INVALID_TOKEN_RESPONSE, naming the status only", async (_, body) => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 200, body });
    const error = reason(await settle(managerFor().getToken("data")));

    expect(error).toMatchObject({ code: "INVALID_TOKEN_RESPONSE", status: 200 });
    expect(error.message).not.toContain(body);
    expect(error.cause).toBeUndefined();
    expect(mock.tokenRequests).toHaveLength(1);
  });
});

describe("transient failures are retried with full-jitter backoff, bounded", () => {
  it.each([500, 502, 503, 504, 408])("%i, then success", async (status) => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status, times: 2 });
    const tokens = managerFor({ random: () => 0.5 });
    const result = await settle(tokens.getToken("data"));

    expect(result.status).toBe("fulfilled");
    expect(mock.tokenRequests.map((request) => request.status)).toEqual([status, status, 200]);
  });

  it("gives up after maxAttempts with SERVER_ERROR and the last status", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 503, times: Infinity });
    const error = reason(await settle(managerFor({ maxAttempts: 4 }).getToken("data")));

    expect(error).toMatchObject({ code: "SERVER_ERROR", status: 503 });
    expect(mock.tokenRequests).toHaveLength(4);
  });

  it("waits random × min(8 s, 250 ms × 2^attempt) between attempts", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 500, times: 2 });
    const pending = managerFor({ random: () => 1 }).getToken("data");
    await vi.advanceTimersByTimeAsync(0);
    expect(mock.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(mock.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(mock.tokenRequests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(999);
    expect(mock.tokenRequests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(mock.tokenRequests).toHaveLength(3);
    await expect(pending).resolves.toBeDefined();
  });

  it("retries a dropped connection and reports NETWORK_ERROR with the cause when it keeps failing", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", dropConnection: true, times: Infinity });
    const error = reason(await settle(managerFor().getToken("data")));

    expect(error.code).toBe("NETWORK_ERROR");
    expect(error.cause).toBeInstanceOf(Error);
    expect(mock.tokenRequests.length).toBeGreaterThanOrEqual(1);
  });

  it("ends an attempt after tokenTimeoutMs and retries it", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 60_000 });
    const tokens = managerFor({ tokenTimeoutMs: 1_000, random: () => 0 });
    const result = await settle(tokens.getToken("data"), 2_000);

    expect(result.status).toBe("fulfilled");
    expect(tokens.stats().tokenRequests).toBe(2);
  });

  it("reports TIMEOUT when every attempt times out", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 60_000, times: Infinity });
    const error = reason(await settle(managerFor({ tokenTimeoutMs: 1_000, maxAttempts: 2 }).getToken("data"), 180_000));
    expect(error.code).toBe("TIMEOUT");
  });
});

describe("429 from the token endpoint", () => {
  it("honours Retry-After in seconds: no request before it, then one", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "7" });
    const pending = managerFor().getToken("data");
    await vi.advanceTimersByTimeAsync(6_999);
    expect(mock.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toBeDefined();
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("honours Retry-After as an HTTP date", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: new Date(T0 + 12_000).toUTCString() });
    const pending = managerFor().getToken("data");
    await vi.advanceTimersByTimeAsync(11_999);
    expect(mock.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(pending).resolves.toBeDefined();
  });

  it("pauses the key: a caller that will not wait gets TOKEN_RATE_LIMITED with retryAfterMs", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "30", times: Infinity });
    const tokens = managerFor({ maxAttempts: 1 });
    const first = reason(await settle(tokens.getToken("data"), 0));
    expect(first).toMatchObject({ code: "TOKEN_RATE_LIMITED", status: 429, retryAfterMs: 30_000 });

    await vi.advanceTimersByTimeAsync(10_000);
    const second = reason(await settle(tokens.getToken("data", { maxRateLimitWaitMs: 0 }), 0));
    expect(second).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 20_000 });
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("pauses every scope set of the manager: DealCloud counts token requests per user, not per scope", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "30" });
    const tokens = managerFor({ maxAttempts: 1 });
    expect(reason(await settle(tokens.getToken("data"), 0))).toMatchObject({
      code: "TOKEN_RATE_LIMITED",
      retryAfterMs: 30_000,
    });

    const other = tokens.getToken("publish");
    await vi.advanceTimersByTimeAsync(29_999);
    expect(mock.tokenRequests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(other).resolves.toMatchObject({ scopes: ["publish"] });
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("does not retry in place when Retry-After is longer than maxRateLimitWaitMs", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "600" });
    const error = reason(await settle(managerFor({ maxRateLimitWaitMs: 60_000 }).getToken("data"), 0));
    expect(error).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 600_000 });
    expect(mock.tokenRequests).toHaveLength(1);
  });
});

describe("the per-minute token budget", () => {
  it("never exceeds tokenRequestsPerMinute in any 60 s window, waiting when the caller allows", async () => {
    const mock = mockSite();
    const tokens = managerFor({ tokenRequestsPerMinute: 3 });
    const sent: number[] = [];
    for (let i = 0; i < 7; i++) {
      const pending = tokens.getToken("data", { forceRefresh: true });
      await settle(pending, 61_000);
      sent.push(mock.tokenRequests.at(-1)!.at - T0);
    }
    for (const start of sent)
      expect(sent.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(3);
    expect(mock.tokenRequests).toHaveLength(7);
  });

  it("fails with TOKEN_RATE_LIMITED and retryAfterMs, sending nothing, when the caller will not wait", async () => {
    const mock = mockSite();
    const tokens = managerFor({ tokenRequestsPerMinute: 2, maxRateLimitWaitMs: 0 });
    await tokens.getToken("data");
    await vi.advanceTimersByTimeAsync(15_000);
    await tokens.getToken("publish");
    const error = reason(await settle(tokens.getToken("backup"), 0));

    expect(error).toMatchObject({ code: "TOKEN_RATE_LIMITED", retryAfterMs: 45_000, status: undefined });
    expect(mock.tokenRequests).toHaveLength(2);
  });

  it("counts retries against the budget too", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 500, times: 2 });
    const tokens = managerFor({ tokenRequestsPerMinute: 3, maxRateLimitWaitMs: 0, random: () => 0 });
    expect((await settle(tokens.getToken("data"), 1_000)).status).toBe("fulfilled");
    const error = reason(await settle(tokens.getToken("publish"), 0));
    expect(error.code).toBe("TOKEN_RATE_LIMITED");
    expect(mock.tokenRequests).toHaveLength(3);
  });

  it.each([
    ["acme.dealclouduat.com", 60],
    ["acme.dealclouduat.eu", 60],
    ["acme.dealclouduat.ae", 60],
    ["acme.dealcloud.com", 300],
    ["acme.dealcloud.eu", 300],
    ["acme.dealcloud.ae", 300],
  ])("defaults to the vendor's limit for %s: %i a minute", (baseUrl, perMinute) => {
    expect(managerFor({ baseUrl }).tokenRequestsPerMinute).toBe(perMinute);
  });

  it("on a sandbox host the 61st request in a minute is refused", async () => {
    const mock = mockSite({}, "https://acme.dealclouduat.com");
    const tokens = managerFor({ baseUrl: "acme.dealclouduat.com", maxRateLimitWaitMs: 0 });
    for (let i = 0; i < 60; i++) await tokens.getToken("data", { forceRefresh: true });
    await expect(tokens.getToken("data", { forceRefresh: true })).rejects.toMatchObject({ code: "TOKEN_RATE_LIMITED" });
    expect(mock.tokenRequests).toHaveLength(60);
  });
});

describe("abort", () => {
  it("a caller's signal ends only that caller's wait; the shared refresh still serves the others", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 1_000 });
    const tokens = managerFor();
    const controller = new AbortController();
    const leaving = tokens.getToken("data", { signal: controller.signal });
    const staying = tokens.getToken("data");
    await vi.advanceTimersByTimeAsync(100);
    controller.abort();

    await expect(leaving).rejects.toMatchObject({ code: "ABORTED" });
    await vi.advanceTimersByTimeAsync(900);
    await expect(staying).resolves.toBeDefined();
    expect(mock.tokenRequests).toHaveLength(1);
    await tokens.getToken("data");
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("when the only caller leaves, the refresh stops before sending; the next caller starts a new one", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 1_000 });
    const tokens = managerFor();
    const controller = new AbortController();
    const starter = tokens.getToken("data", { signal: controller.signal });
    controller.abort();
    await expect(starter).rejects.toMatchObject({ code: "ABORTED" });
    expect(vi.getTimerCount()).toBe(0);

    const next = tokens.getToken("data");
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toBeDefined();
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("an already-aborted signal on a cold cache rejects with ABORTED, the caller's reason as cause, and sends nothing", async () => {
    const mock = mockSite();
    const reasonGiven = new Error("user left");
    await expect(managerFor().getToken("data", { signal: AbortSignal.abort(reasonGiven) })).rejects.toMatchObject({
      code: "ABORTED",
      cause: reasonGiven,
    });
    expect(mock.tokenRequests).toHaveLength(0);
  });

  it("a timeout signal maps to TIMEOUT", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 5_000 });
    const controller = new AbortController();
    const pending = managerFor().getToken("data", { signal: controller.signal });
    controller.abort(new DOMException("too slow", "TimeoutError"));
    await expect(pending).rejects.toMatchObject({ code: "TIMEOUT" });
  });
});
