// In its own file: msw's interception and vitest's fake clock stay predictable only when no earlier test in the
// same worker sent request bodies through msw with real timers.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createApiClient } from "../src/index.js";
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
