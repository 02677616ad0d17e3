import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMockDealCloud } from "../src/index.js";
import { mswHandlers } from "../src/msw.js";
import { body, BASE_URL, TOKEN_URL, tokenForm } from "./helpers.js";

const mock = createMockDealCloud();
const server = setupServer(...mswHandlers(mock, { baseUrl: BASE_URL }));

beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => mock.reset());
afterAll(() => server.close());

const postToken = () => fetch(TOKEN_URL, { method: "POST", body: tokenForm() });

describe("msw handlers", () => {
  it("serve the token endpoint to the real fetch", async () => {
    const response = await postToken();
    expect(response.status).toBe(200);
    const { access_token } = await body(response);
    expect(mock.authenticate(`Bearer ${String(access_token)}`).ok).toBe(true);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("serve every path under baseUrl, unknown ones with 404", async () => {
    const response = await fetch(`${BASE_URL}/api/rest/v4/nothing`);
    expect(response.status).toBe(404);
  });

  it("pass faults through, e.g. 429 with Retry-After", async () => {
    mock.faults.add({ route: "token", status: 429, retryAfter: "2" });
    const response = await postToken();
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("2");
  });

  it("turn a dropped connection into a rejected fetch", async () => {
    mock.faults.add({ route: "token", dropConnection: true });
    await expect(postToken()).rejects.toThrow(TypeError);
    expect((await postToken()).status).toBe(200);
  });
});
