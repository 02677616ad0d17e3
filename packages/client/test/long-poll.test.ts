// A long poll's time limit, on a fake clock, alone in its file for the reason pacing.test.ts gives.
import { HttpResponse } from "msw";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type ApiDescriptor, createApiClient } from "../src/index.js";
import { type PublishPaths, publishApi } from "./apis.js";
import { CREDENTIALS, mockSite } from "./site.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("time limits of long polls", () => {
  it("gives a long poll its own wait plus a margin, not the client's 60 s", async () => {
    // Before: the Publications README's poll (TimeOut 60000) threw TimeoutError after 60,009 ms on a quiet topic.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    mockSite(async () => {
      await new Promise((resolve) => setTimeout(resolve, 60_500));
      return HttpResponse.json([]);
    });
    const poll: ApiDescriptor<PublishPaths> = { ...publishApi, waitFields: { "POST /poll": "TimeOut" } };
    const client = createApiClient(poll, { ...CREDENTIALS, retry: false });
    const call = client.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 60_000, Count: 5 } });
    await vi.advanceTimersByTimeAsync(61_000);
    expect((await call).data).toEqual([]);
  });
});
