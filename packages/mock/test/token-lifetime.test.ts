import { afterEach, describe, expect, it, vi } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { body, manualClock, tokenRequest } from "./helpers.js";

async function issue(mock: ReturnType<typeof createMockDealCloud>) {
  const json = await body(await mock.handle(tokenRequest()));
  return { json, value: json.access_token as string };
}

describe("token lifetime (900 s, DealCloud token docs)", () => {
  it("records an issued token with its client, scopes and real expiry", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now });
    const { value } = await issue(mock);
    expect(mock.issuedTokens.get(value)).toEqual({
      value,
      clientId: "106",
      scopes: ["data"],
      issuedAt: clock.now(),
      expiresAt: clock.now() + 900_000,
    });
  });

  it("authenticates a token until 900 s have passed, then answers 401", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now });
    const { value } = await issue(mock);
    clock.advance(899_999);
    expect(mock.authenticate(`Bearer ${value}`)).toMatchObject({ ok: true, token: { value } });
    clock.advance(1);
    const refused = mock.authenticate(`Bearer ${value}`);
    expect(refused).toEqual({ ok: false, status: 401, message: expect.stringMatching(/expired/) });
  });

  it("follows fake timers with the default clock", async () => {
    vi.useFakeTimers();
    try {
      const mock = createMockDealCloud();
      const { value } = await issue(mock);
      expect(mock.authenticate(`Bearer ${value}`).ok).toBe(true);
      vi.advanceTimersByTime(900_000);
      expect(mock.authenticate(`Bearer ${value}`).ok).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it("uses tokenLifetimeSeconds for both the lifetime and expires_in", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now, tokenLifetimeSeconds: 60 });
    const { json, value } = await issue(mock);
    expect(json.expires_in).toBe(60);
    clock.advance(60_000);
    expect(mock.authenticate(`Bearer ${value}`).ok).toBe(false);
  });

  it("can report expires_in 1199 like the 2022 recording while the token still dies at 900 s", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now, reportedExpiresIn: 1199 });
    const { json, value } = await issue(mock);
    expect(json.expires_in).toBe(1199);
    clock.advance(900_000);
    expect(mock.authenticate(`Bearer ${value}`).ok).toBe(false);
  });

  it("omits expires_in when reportedExpiresIn is null", async () => {
    const { json } = await issue(createMockDealCloud({ reportedExpiresIn: null }));
    expect(json).not.toHaveProperty("expires_in");
    expect(json.token_type).toBe("bearer");
  });
});

describe("refresh_token (seen in the 2022 recording)", () => {
  it("is absent by default", async () => {
    const { json } = await issue(createMockDealCloud());
    expect(json).not.toHaveProperty("refresh_token");
  });

  it("is added with includeRefreshToken, and is not a usable access token", async () => {
    const mock = createMockDealCloud({ includeRefreshToken: true });
    const { json, value } = await issue(mock);
    expect(json.refresh_token).toMatch(/^[\x21-\x7e]+$/);
    expect(json.refresh_token).not.toBe(value);
    expect(mock.authenticate(`Bearer ${String(json.refresh_token)}`).ok).toBe(false);
  });
});

describe("authenticate (for the API areas)", () => {
  afterEach(() => vi.useRealTimers());

  it.each([
    ["a missing header", null],
    ["an empty header", ""],
    ["another scheme", "Basic MTA2OjEzNTZHWU5V"],
    ["a bearer without token", "Bearer "],
  ])("refuses %s with 401", (_, header) => {
    expect(createMockDealCloud().authenticate(header)).toEqual({ ok: false, status: 401, message: expect.any(String) });
  });

  it("refuses an unknown token with 401 and does not repeat it", () => {
    const result = createMockDealCloud().authenticate("Bearer mock.0123456789abcdef0123456789abcdef");
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain("0123456789abcdef");
  });

  it("accepts the scheme in any case", async () => {
    const mock = createMockDealCloud();
    const { value } = await issue(mock);
    expect(mock.authenticate(`bearer ${value}`).ok).toBe(true);
  });

  it("forgets tokens on reset", async () => {
    const mock = createMockDealCloud();
    const { value } = await issue(mock);
    mock.reset();
    expect(mock.issuedTokens.size).toBe(0);
    expect(mock.authenticate(`Bearer ${value}`).ok).toBe(false);
  });
});
