import { describe, expect, it } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { body, BASE_URL, TOKEN_URL, tokenRequest } from "./helpers.js";

function expectCors(response: Response) {
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  expect(response.headers.get("access-control-expose-headers")).toMatch(/retry-after/i);
}

describe("CORS, so a browser page can call the loopback server", () => {
  it("marks success, error, 404 and fault answers", async () => {
    const mock = createMockDealCloud();
    expectCors(await mock.handle(tokenRequest()));
    expectCors(await mock.handle(tokenRequest({ client_secret: "wrong" })));
    expectCors(await mock.handle(new Request(`${BASE_URL}/nowhere`)));
    mock.faults.add({ route: "token", status: 429, retryAfter: "3" });
    expectCors(await mock.handle(tokenRequest()));
  });

  it("answers an OPTIONS preflight with 204, the methods and the headers the SDK sends", async () => {
    const mock = createMockDealCloud();
    const response = await mock.handle(
      new Request(TOKEN_URL, {
        method: "OPTIONS",
        headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
      }),
    );
    expect(response.status).toBe(204);
    expectCors(response);
    const methods = response.headers.get("access-control-allow-methods") ?? "";
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) expect(methods).toContain(method);
    const headers = (response.headers.get("access-control-allow-headers") ?? "").toLowerCase();
    for (const header of ["authorization", "content-type", "as-user"]) expect(headers).toContain(header);
    expect(mock.tokenRequests).toEqual([]);
  });
});

describe("unknown paths", () => {
  it("answer 404 with a JSON { message }", async () => {
    const response = await createMockDealCloud().handle(new Request(`${BASE_URL}/api/rest/v9/nothing`));
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(await body(response)).toEqual({ message: expect.stringContaining("/api/rest/v9/nothing") });
  });
});
