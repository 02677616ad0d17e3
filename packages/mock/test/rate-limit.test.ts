import { describe, expect, it } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { body, manualClock, tokenRequest } from "./helpers.js";

/** Sends `count` valid token requests and returns their statuses. */
async function send(mock: ReturnType<typeof createMockDealCloud>, count: number, fields = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++) statuses.push((await mock.handle(tokenRequest(fields))).status);
  return statuses;
}

describe("token rate limit (300 a minute per user in production, 60 in UAT/sandbox)", () => {
  it("allows 300 calls a minute by default and answers the 301st with 429", async () => {
    const mock = createMockDealCloud({ now: manualClock().now });
    expect(new Set(await send(mock, 300))).toEqual(new Set([200]));
    expect(await send(mock, 1)).toEqual([429]);
  });

  it("answers 429 with Retry-After in seconds and an OAuth-style body", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now, tokenRequestsPerMinute: 60 });
    await send(mock, 60);
    clock.advance(15_500);
    const response = await mock.handle(tokenRequest());
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("45");
    expect(await body(response)).toEqual({
      error: expect.stringMatching(/^[a-z_]+$/),
      error_description: expect.any(String),
    });
  });

  it("slides: a call is allowed again once the oldest leaves the 60 s window", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now, tokenRequestsPerMinute: 2 });
    await send(mock, 1);
    clock.advance(30_000);
    await send(mock, 1);
    clock.advance(29_999);
    expect(await send(mock, 1)).toEqual([429]);
    clock.advance(1);
    expect(await send(mock, 1)).toEqual([200]);
    expect(await send(mock, 1)).toEqual([429]);
  });

  it("does not count refused calls against the window", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now, tokenRequestsPerMinute: 1 });
    await send(mock, 1);
    clock.advance(30_000);
    expect(await send(mock, 5)).toEqual([429, 429, 429, 429, 429]);
    clock.advance(30_000);
    expect(await send(mock, 1)).toEqual([200]);
  });

  it("does not count calls with wrong credentials", async () => {
    const mock = createMockDealCloud({ now: manualClock().now, tokenRequestsPerMinute: 1 });
    await send(mock, 3, { client_secret: "wrong" });
    expect(await send(mock, 1)).toEqual([200]);
  });

  it("keeps one window per client id", async () => {
    const clients = [
      { clientId: "1", clientSecret: "a" },
      { clientId: "2", clientSecret: "b" },
    ];
    const mock = createMockDealCloud({ now: manualClock().now, tokenRequestsPerMinute: 1, clients });
    expect(await send(mock, 2, { client_id: "1", client_secret: "a" })).toEqual([200, 429]);
    expect(await send(mock, 1, { client_id: "2", client_secret: "b" })).toEqual([200]);
  });

  it("forgets the windows on reset", async () => {
    const mock = createMockDealCloud({ now: manualClock().now, tokenRequestsPerMinute: 1 });
    await send(mock, 1);
    mock.reset();
    expect(await send(mock, 1)).toEqual([200]);
  });
});
