import { describe, expect, it } from "vitest";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT, MOCK_SCOPES } from "../src/index.js";
import { body, TOKEN_URL, tokenForm, tokenRequest } from "./helpers.js";

describe("token endpoint: a valid request", () => {
  it("issues a bearer token for the vendor docs' sample credentials", async () => {
    const mock = createMockDealCloud();
    const response = await mock.handle(tokenRequest());
    expect(response.status).toBe(200);
    const json = await body(response);
    expect(json).toEqual({ access_token: expect.any(String), token_type: "bearer", expires_in: 900 });
    expect(DEFAULT_MOCK_CLIENT).toEqual({ clientId: "106", clientSecret: "1356GYNU" });
  });

  it("answers JSON that no cache may keep", async () => {
    const response = await createMockDealCloud().handle(tokenRequest());
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("issues opaque, header-safe, distinct token values", async () => {
    const mock = createMockDealCloud();
    const values = new Set<unknown>();
    for (let i = 0; i < 5; i++) values.add((await body(await mock.handle(tokenRequest()))).access_token);
    expect(values.size).toBe(5);
    for (const value of values) expect(value).toMatch(/^mock\.[0-9a-f]{32}$/);
  });

  it("accepts every scope the vendor documents, several at once", async () => {
    const mock = createMockDealCloud();
    expect(MOCK_SCOPES).toEqual(["data", "user_management", "publish", "ri_import", "backup"]);
    const response = await mock.handle(tokenRequest({ scope: MOCK_SCOPES.join(" ") }));
    expect(response.status).toBe(200);
    expect(mock.tokenRequests[0]?.grantedScopes).toEqual([...MOCK_SCOPES]);
  });

  it("accepts any client given in `clients`, and only those", async () => {
    const mock = createMockDealCloud({ clients: [{ clientId: "7", clientSecret: "s3cret" }] });
    expect((await mock.handle(tokenRequest({ client_id: "7", client_secret: "s3cret" }))).status).toBe(200);
    expect((await mock.handle(tokenRequest())).status).toBe(401);
  });

  it("serves the token endpoint under a base URL with a path prefix", async () => {
    const response = await createMockDealCloud().handle(
      tokenRequest({}, "https://proxy.test/dealcloud/api/rest/v1/oauth/token"),
    );
    expect(response.status).toBe(200);
  });
});

describe("token endpoint: refused requests (RFC 6749 error bodies, an assumption)", () => {
  it("answers 405 to a method other than POST", async () => {
    const response = await createMockDealCloud().handle(new Request(`${TOKEN_URL}?${tokenForm().toString()}`));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toContain("POST");
  });

  it("refuses a JSON body with 400 invalid_request: the form encoding is enforced", async () => {
    const response = await createMockDealCloud().handle(
      new Request(TOKEN_URL, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(Object.fromEntries(tokenForm())),
      }),
    );
    expect(response.status).toBe(400);
    expect(await body(response)).toEqual({ error: "invalid_request", error_description: expect.any(String) });
  });

  it.each([
    ["missing", undefined],
    ["password", "password"],
    ["authorization_code", "authorization_code"],
  ])("refuses grant_type %s with 400 unsupported_grant_type", async (_, grantType) => {
    const response = await createMockDealCloud().handle(tokenRequest({ grant_type: grantType }));
    expect(response.status).toBe(400);
    expect((await body(response)).error).toBe("unsupported_grant_type");
  });

  it("refuses an unknown client id with 401 invalid_client", async () => {
    const response = await createMockDealCloud().handle(tokenRequest({ client_id: "999" }));
    expect(response.status).toBe(401);
    expect((await body(response)).error).toBe("invalid_client");
  });

  it("refuses a missing client id with 401 invalid_client", async () => {
    const response = await createMockDealCloud().handle(tokenRequest({ client_id: undefined }));
    expect(response.status).toBe(401);
  });

  it("refuses a wrong secret with 401 invalid_client, repeating neither secret", async () => {
    const response = await createMockDealCloud().handle(tokenRequest({ client_secret: "wrong-Secret-42" }));
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: "invalid_client", error_description: expect.any(String) });
    expect(text).not.toContain("wrong-Secret-42");
    expect(text).not.toContain(DEFAULT_MOCK_CLIENT.clientSecret);
  });

  it("refuses a request without scope with 400 invalid_scope", async () => {
    const mock = createMockDealCloud();
    for (const scope of [undefined, "", "   "]) {
      const response = await mock.handle(tokenRequest({ scope }));
      expect(response.status).toBe(400);
      expect((await body(response)).error).toBe("invalid_scope");
    }
  });
});

describe("token endpoint: unknown scopes", () => {
  it("drops them silently by default, as the real endpoint was seen to, and grants the known ones", async () => {
    const mock = createMockDealCloud();
    const response = await mock.handle(tokenRequest({ scope: "data reporting publish" }));
    expect(response.status).toBe(200);
    const token = mock.issuedTokens.get((await body(response)).access_token as string);
    expect(token?.scopes).toEqual(["data", "publish"]);
    expect(mock.tokenRequests[0]).toMatchObject({
      scope: "data reporting publish",
      grantedScopes: ["data", "publish"],
    });
  });

  it("answers 400 invalid_scope when nothing known is left after dropping", async () => {
    const response = await createMockDealCloud().handle(tokenRequest({ scope: "reporting api" }));
    expect(response.status).toBe(400);
    expect((await body(response)).error).toBe("invalid_scope");
  });

  it('rejects them with 400 invalid_scope in "reject" mode', async () => {
    const mock = createMockDealCloud({ unknownScopes: "reject" });
    const response = await mock.handle(tokenRequest({ scope: "data reporting" }));
    expect(response.status).toBe(400);
    expect((await body(response)).error).toBe("invalid_scope");
    expect(mock.issuedTokens.size).toBe(0);
    expect((await mock.handle(tokenRequest({ scope: "data" }))).status).toBe(200);
  });
});

describe("token endpoint: the order of checks", () => {
  const cases: [string, Request, number, string][] = [
    ["method before content type", new Request(TOKEN_URL, { method: "PUT", body: "x" }), 405, "invalid_request"],
    [
      "content type before grant type",
      new Request(TOKEN_URL, { method: "POST", body: "{}", headers: { "content-type": "application/json" } }),
      400,
      "invalid_request",
    ],
    [
      "grant type before credentials",
      tokenRequest({ grant_type: "password", client_secret: "wrong" }),
      400,
      "unsupported_grant_type",
    ],
    ["credentials before scope", tokenRequest({ client_secret: "wrong", scope: "" }), 401, "invalid_client"],
  ];
  it.each(cases)("checks %s", async (_, request, status, error) => {
    const response = await createMockDealCloud().handle(request);
    expect(response.status).toBe(status);
    expect((await body(response)).error).toBe(error);
  });

  it("checks the rate limit before the scope", async () => {
    const mock = createMockDealCloud({ tokenRequestsPerMinute: 1 });
    await mock.handle(tokenRequest());
    expect((await mock.handle(tokenRequest({ scope: "" }))).status).toBe(429);
  });
});

describe("options", () => {
  it.each([
    [{ tokenLifetimeSeconds: 0 }],
    [{ tokenLifetimeSeconds: Number.NaN }],
    [{ tokenRequestsPerMinute: 0 }],
    [{ tokenRequestsPerMinute: 1.5 }],
    [{ unknownScopes: "ignore" as "drop" }],
  ])("refuses an impossible option %o with a RangeError", (options) => {
    expect(() => createMockDealCloud(options)).toThrow(RangeError);
  });
});

describe("token endpoint: HTTP Basic client authentication (RFC 6749 2.3.1, as the vendor's Python SDK sends it)", () => {
  const basic = (id: string, secret: string) => {
    const encode = (text: string) => new URLSearchParams({ "": text }).toString().slice(1);
    return `Basic ${btoa(`${encode(id)}:${encode(secret)}`)}`;
  };
  const basicRequest = (authorization: string, fields: Record<string, string> = {}) =>
    new Request(TOKEN_URL, {
      method: "POST",
      headers: { authorization },
      body: new URLSearchParams({ grant_type: "client_credentials", scope: "data", ...fields }),
    });
  const { clientId, clientSecret } = DEFAULT_MOCK_CLIENT;

  it("accepts the id and secret in the header, with only grant_type and scope in the body", async () => {
    const mock = createMockDealCloud();
    expect((await mock.handle(basicRequest(basic(clientId, clientSecret)))).status).toBe(200);
    expect(mock.tokenRequests[0]).toMatchObject({ clientId, status: 200 });
  });

  it("form-decodes the id and secret after base64, so any character survives", async () => {
    const mock = createMockDealCloud({ clients: [{ clientId: "7", clientSecret: "a+b c:é%&=" }] });
    expect((await mock.handle(basicRequest(basic("7", "a+b c:é%&=")))).status).toBe(200);
  });

  it("rejects a wrong secret with 401 invalid_client", async () => {
    const response = await createMockDealCloud().handle(basicRequest(basic(clientId, "wrong")));
    expect(response.status).toBe(401);
    expect(await body(response)).toMatchObject({ error: "invalid_client" });
  });

  it("rejects a header that is not readable Basic credentials with 401 invalid_client", async () => {
    for (const header of ["Basic !!!", `Basic ${btoa("no-colon")}`]) {
      const response = await createMockDealCloud().handle(basicRequest(header));
      expect(response.status).toBe(401);
    }
  });

  it("rejects credentials sent both ways, or a body client_id that differs from the header's (400 invalid_request)", async () => {
    const mock = createMockDealCloud();
    const both = await mock.handle(basicRequest(basic(clientId, clientSecret), { client_secret: clientSecret }));
    const conflicting = await mock.handle(basicRequest(basic(clientId, clientSecret), { client_id: "999" }));
    const agreeing = await mock.handle(basicRequest(basic(clientId, clientSecret), { client_id: clientId }));
    expect([both.status, conflicting.status, agreeing.status]).toEqual([400, 400, 200]);
    expect(await body(both)).toMatchObject({ error: "invalid_request" });
  });
});
