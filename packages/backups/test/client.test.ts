import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { backups, createBackupsClient } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("the backups descriptor", () => {
  it("declares the vendor's scope for Site Backups, backup, on its one operation", () => {
    expect(backups).toEqual({
      name: "backups",
      packageName: "@dealcloud-ts/backups",
      basePath: "/api/rest/v4/backups",
      scopes: ["backup"],
    });
  });
});

describe("createBackupsClient", () => {
  it("requests a backup at /api/rest/v4/backups/request with a token asked for scope backup only", async () => {
    const mock = createMockDealCloud();
    const received: { authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v4/backups/request`, async ({ request }) => {
        received.push({
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return new HttpResponse(null, { status: 204 });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createBackupsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { response, error } = await client.POST("/request", { body: { apiNames: ["company", "deal"] } });

    expect(error).toBeUndefined();
    expect(response.status).toBe(204);
    expect(received).toEqual([{ authorized: true, body: { apiNames: ["company", "deal"] } }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["backup"]);
  });

  it("hands a 403 back as openapi-fetch's typed error with the vendor's { message } body", async () => {
    const mock = createMockDealCloud();
    server.use(
      http.post(`${BASE_URL}/api/rest/v4/backups/request`, () =>
        HttpResponse.json({ message: "User is not a designated backup user." }, { status: 403 }),
      ),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createBackupsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { error, response } = await client.POST("/request", { body: { ids: [2011] } });

    expect(response.status).toBe(403);
    expect(error?.message).toBe("User is not a designated backup user.");
  });
});
