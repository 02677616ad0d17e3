// The transport on a fake clock: per-call time limits, the concurrency queue, backoff and Retry-After jitter.
// In its own file: msw and vitest's fake clock stay predictable only when no earlier test in the same worker sent
// request bodies through msw with real timers.
import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AbortedError, createApiClient, TimeoutError } from "../src/index.js";
import { dataApi } from "./apis.js";
import { CREDENTIALS, mockSite } from "./site.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("time limits", () => {
  it("lets one call set its own timeoutMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    mockSite(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      return HttpResponse.json({ ok: true });
    });
    const client = createApiClient(dataApi, { ...CREDENTIALS, retry: false });
    const call = client.GET("/things", { timeoutMs: 1_000 });
    const settled = expect(call).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(1_100);
    await settled;
  });
});
describe("the concurrency cap", () => {
  it("lets a queued call leave the queue when it is aborted", async () => {
    // Before: a call queued behind maxConcurrency, aborted at 200 ms, settled only at 5,005 ms.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    mockSite(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      return HttpResponse.json({ ok: true });
    });
    const client = createApiClient(dataApi, { ...CREDENTIALS, maxConcurrency: 1 });
    const first = client.GET("/things");
    const controller = new AbortController();
    const queued = client.GET("/things", { signal: controller.signal });
    const rejected = expect(queued).rejects.toBeInstanceOf(AbortedError);
    await vi.advanceTimersByTimeAsync(200);
    controller.abort();
    await vi.advanceTimersByTimeAsync(1);
    await rejected;
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await first).data).toEqual({ ok: true });
  });

  it("is not held through a backoff: another call goes out while the first waits to retry", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { calls } = mockSite((_call, n) =>
      n === 0
        ? HttpResponse.json({ message: "busy" }, { status: 503, headers: { "Retry-After": "5" } })
        : HttpResponse.json({ ok: true }),
    );
    const client = createApiClient(dataApi, { ...CREDENTIALS, maxConcurrency: 1 });
    const first = client.GET("/things");
    await vi.advanceTimersByTimeAsync(50);
    const second = client.GET("/things");
    await vi.advanceTimersByTimeAsync(50);
    expect(calls).toHaveLength(2);
    expect((await second).data).toEqual({ ok: true });
    await vi.advanceTimersByTimeAsync(8_000);
    expect((await first).data).toEqual({ ok: true });
  });
});

describe("Retry-After", () => {
  it("spreads callers told to come back in 1 s instead of returning them as one herd", async () => {
    // Before: 300 calls answered 429 Retry-After: 1 came back 214 in the first 250 ms and 156 at +1 s.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const retriedAt: number[] = [];
    const start = Date.now();
    const seen = new Set<string>();
    mockSite((call, n) => {
      void call;
      if (n < 300) return HttpResponse.json({ message: "slow down" }, { status: 429, headers: { "Retry-After": "1" } });
      retriedAt.push(Date.now() - start);
      seen.add(String(n));
      return HttpResponse.json({ ok: true });
    });
    const client = createApiClient(dataApi, CREDENTIALS);
    const all = Promise.all(Array.from({ length: 300 }, () => client.GET("/things")));
    await vi.advanceTimersByTimeAsync(3_000);
    await all;
    expect(retriedAt).toHaveLength(300);
    const perWindow = new Map<number, number>();
    for (const at of retriedAt) perWindow.set(Math.floor(at / 100), (perWindow.get(Math.floor(at / 100)) ?? 0) + 1);
    expect(Math.min(...retriedAt)).toBeGreaterThanOrEqual(1_000);
    expect(Math.max(...perWindow.values())).toBeLessThan(100);
  });
});

describe("the token request's own time limit", () => {
  it("is tokenTimeoutMs, settable from the client's options, and the transport's timeoutMs does not set it", async () => {
    // Before: createXClient could not set the token request's limit; `timeoutMs` meant two things.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    const { mock } = mockSite();
    mock.faults.add({ route: "token", delayMs: 5_000, times: Number.POSITIVE_INFINITY });
    const client = createApiClient(dataApi, {
      ...CREDENTIALS,
      tokenTimeoutMs: 1_000,
      maxAttempts: 1,
      timeoutMs: 60_000,
      retry: false,
    });
    const call = client.GET("/things");
    const settled = expect(call).rejects.toMatchObject({ name: "DealCloudAuthError", code: "TIMEOUT" });
    await vi.advanceTimersByTimeAsync(1_100);
    await settled;
  });
});
