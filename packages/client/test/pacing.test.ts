// In its own file: msw's interception and vitest's fake clock stay predictable only when no earlier test in the
// same worker sent request bodies through msw with real timers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiClient } from "../src/index.js";
import { createPacer } from "../src/timing.js";
import { schemaApi } from "./apis.js";
import { CREDENTIALS, mockSite } from "./site.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("pacing where the vendor documents a limit", () => {
  it("spaces Schema requests to 5 per second, the limit its descriptor declares", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { calls } = mockSite();
    const client = createApiClient(schemaApi, CREDENTIALS);

    const all = Promise.all(Array.from({ length: 7 }, () => client.GET("/entrytypes")));
    await vi.advanceTimersByTimeAsync(500);
    expect(calls).toHaveLength(5);
    await vi.advanceTimersByTimeAsync(700);
    expect((await all).map((answer) => answer.response.status)).toEqual(Array(7).fill(200));
    expect(calls).toHaveLength(7);
  });
});

describe("the pacer", () => {
  it("starts at most `requests` per window, in the order asked, and lets a waiter leave at once on abort", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const pace = createPacer(2, 1000, Date.now);
    const started: number[] = [];
    const turn = (signal?: AbortSignal) => pace(signal).then(() => void started.push(Date.now()));
    const stop = new AbortController();
    const first = [turn(), turn()];
    const abandoned = pace(stop.signal);
    const later = [turn(), turn()];
    stop.abort(new Error("gave up"));
    await expect(abandoned).rejects.toThrow("gave up");
    await vi.advanceTimersByTimeAsync(3000);
    await Promise.all([...first, ...later]);
    const t0 = started[0]!;
    // The abandoned turn stays taken: the later ones start as if it had run, never closer than the window allows.
    expect(started.map((at) => at - t0)).toEqual([0, 0, 1000, 2000]);
  });
});
