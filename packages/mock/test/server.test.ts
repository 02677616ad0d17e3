import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { serveMockDealCloud } from "../src/server.js";
import { body, tokenForm } from "./helpers.js";

describe("loopback server", () => {
  let server: Awaited<ReturnType<typeof serveMockDealCloud>>;
  beforeAll(async () => {
    server = await serveMockDealCloud({ tokenRequestsPerMinute: 60 });
  });
  afterAll(() => server?.close());

  const postToken = () => fetch(`${server.url}/api/rest/v1/oauth/token`, { method: "POST", body: tokenForm() });

  it("listens on 127.0.0.1 on an ephemeral port by default", () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).not.toMatch(/:0$/);
  });

  it("issues a token over real HTTP", async () => {
    const response = await postToken();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json;charset=UTF-8");
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const { access_token } = await body(response);
    expect(server.mock.authenticate(`Bearer ${String(access_token)}`).ok).toBe(true);
  });

  it("answers unknown paths with 404", async () => {
    const response = await fetch(`${server.url}/nothing/here`);
    expect(response.status).toBe(404);
    expect(await body(response)).toEqual({ message: expect.any(String) });
  });

  it("passes the mock options through (here the sandbox limit)", async () => {
    server.mock.reset();
    for (let i = 0; i < 60; i++) await (await postToken()).arrayBuffer();
    const response = await postToken();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toMatch(/^\d+$/);
    server.mock.reset();
  });

  it("destroys the socket for a dropped connection, so the client's fetch rejects", async () => {
    server.mock.faults.add({ route: "token", dropConnection: true });
    await expect(postToken()).rejects.toThrow(TypeError);
    expect((await postToken()).status).toBe(200);
  });

  it("answers CORS preflights", async () => {
    const response = await fetch(`${server.url}/api/rest/v1/oauth/token`, {
      method: "OPTIONS",
      headers: { origin: "http://localhost:5173", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-headers")).toContain("as-user");
  });
});

describe("loopback server lifecycle", () => {
  it("serves a given mock and close() resolves even with an idle keep-alive connection", async () => {
    const mock = createMockDealCloud();
    const server = await serveMockDealCloud({ mock });
    expect(server.mock).toBe(mock);
    await (await fetch(`${server.url}/api/rest/v1/oauth/token`, { method: "POST", body: tokenForm() })).arrayBuffer();
    expect(mock.tokenRequests).toHaveLength(1);
    await expect(server.close()).resolves.toBeUndefined();
    await expect(fetch(`${server.url}/nothing`)).rejects.toThrow(TypeError);
  });
});
