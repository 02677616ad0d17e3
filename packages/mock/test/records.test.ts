import { describe, expect, it } from "vitest";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "../src/index.js";
import { manualClock, TOKEN_URL, tokenRequest } from "./helpers.js";

describe("tokenRequests", () => {
  it("records every request, failed ones included, with its status and time", async () => {
    const clock = manualClock();
    const mock = createMockDealCloud({ now: clock.now });
    await mock.handle(tokenRequest({ scope: "data publish" }));
    clock.advance(1000);
    await mock.handle(tokenRequest({ client_secret: "nope" }));
    await mock.handle(new Request(TOKEN_URL));
    expect(mock.tokenRequests).toEqual([
      {
        scope: "data publish",
        grantedScopes: ["data", "publish"],
        clientId: "106",
        status: 200,
        at: clock.now() - 1000,
      },
      { scope: "data", grantedScopes: [], clientId: "106", status: 401, at: clock.now() },
      { scope: "", grantedScopes: [], clientId: undefined, status: 405, at: clock.now() },
    ]);
  });

  it("never keeps a secret, right or wrong", async () => {
    const mock = createMockDealCloud();
    await mock.handle(tokenRequest());
    await mock.handle(tokenRequest({ client_secret: "Wrong-Secret-9" }));
    const recorded = JSON.stringify(mock.tokenRequests);
    expect(recorded).not.toContain(DEFAULT_MOCK_CLIENT.clientSecret);
    expect(recorded).not.toContain("Wrong-Secret-9");
  });

  it("is emptied by reset", async () => {
    const mock = createMockDealCloud();
    await mock.handle(tokenRequest());
    mock.reset();
    expect(mock.tokenRequests).toEqual([]);
  });
});

describe("tokenCallsByScope", () => {
  it("counts requests per raw scope string as received, whatever their outcome", async () => {
    const mock = createMockDealCloud();
    await mock.handle(tokenRequest({ scope: "data" }));
    await mock.handle(tokenRequest({ scope: "data" }));
    await mock.handle(tokenRequest({ scope: "data publish" }));
    await mock.handle(tokenRequest({ scope: "publish data" }));
    await mock.handle(tokenRequest({ scope: "data", client_secret: "wrong" }));
    expect(mock.tokenCallsByScope()).toEqual({ data: 3, "data publish": 1, "publish data": 1 });
  });
});
