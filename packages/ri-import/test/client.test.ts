import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  createRiImportClient,
  riImport,
  type EmailImportRequest,
  type EmailImportResult,
  type ImportStatus,
} from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const statuses: ImportStatus[] = [
  {
    userId: 8278,
    emailAddress: "firstname.lastname@acme.com",
    lastEmailSyncDate: "2024-01-15T09:30:00Z",
    lastMeetingSyncDate: "2024-01-14T17:00:00Z",
  },
  {
    userId: 6045,
    emailAddress: "jane@acme.com",
    lastEmailSyncDate: "2024-01-15T09:31:00Z",
    lastMeetingSyncDate: "2024-01-14T17:05:00Z",
  },
];

// The request of the vendor's sample, with the sample's casing (uniqueId, recipientsCc) [DOC-ri].
const emails: EmailImportRequest = [
  {
    userId: 6045,
    handlerType: 1,
    emails: [
      {
        uniqueId: "<message-id@example.com>",
        sentDate: "2024-01-15T09:30:00Z",
        modifiedDate: "2024-01-15T09:30:00Z",
        sender: { address: "jane@example.com", name: "Jane Doe" },
        recipientsTo: [{ address: "john@example.com", name: "John Roe" }],
        recipientsCc: [],
      },
    ],
  },
];
const emailResults: EmailImportResult[] = [
  {
    userId: 6045,
    status: 1,
    statusText: "Success",
    operationStats: { syncDate: "2024-01-15T09:35:00Z", received: 1, added: 1, alreadyProcessed: 0 },
  },
];

describe("the riImport descriptor", () => {
  it("declares scope ri_import, the vendor's scope for Relationship Intelligence Import, on every operation, under the endpoint pages' v4 prefix", () => {
    expect(riImport).toEqual({
      name: "riImport",
      packageName: "@dealcloud-ts/ri-import",
      basePath: "/api/rest/v4/ri/import",
      scopes: ["ri_import"],
      // Emails carry a uniqueId the server counts as already processed; the meetings body is unknown.
      idempotentOperations: ["POST /emails"],
    });
  });
});

describe("createRiImportClient", () => {
  it("reads the status at /api/rest/v4/ri/import/status?userIds=8278&userIds=6045 with a token asked for scope ri_import only", async () => {
    const mock = createMockDealCloud();
    const received: { method: string; search: string; authorized: boolean }[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/ri/import/status`, ({ request }) => {
        received.push({
          method: request.method,
          search: new URL(request.url).search,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
        });
        return HttpResponse.json(statuses);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createRiImportClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.GET("/status", { params: { query: { userIds: [8278, 6045] } } });

    expect(error).toBeUndefined();
    expect(data).toEqual(statuses);
    expect(received).toEqual([{ method: "GET", search: "?userIds=8278&userIds=6045", authorized: true }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["ri_import"]);
  });

  it("posts emails as the vendor's camelCase sample and returns the per-user results", async () => {
    const mock = createMockDealCloud();
    const received: { method: string; authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v4/ri/import/emails`, async ({ request }) => {
        received.push({
          method: request.method,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return HttpResponse.json(emailResults);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createRiImportClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.POST("/emails", { body: emails });

    expect(error).toBeUndefined();
    expect(data).toEqual(emailResults);
    expect(received).toEqual([
      {
        method: "POST",
        authorized: true,
        body: [
          {
            userId: 6045,
            handlerType: 1,
            emails: [
              {
                uniqueId: "<message-id@example.com>",
                sentDate: "2024-01-15T09:30:00Z",
                modifiedDate: "2024-01-15T09:30:00Z",
                sender: { address: "jane@example.com", name: "Jane Doe" },
                recipientsTo: [{ address: "john@example.com", name: "John Roe" }],
                recipientsCc: [],
              },
            ],
          },
        ],
      },
    ]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["ri_import"]);
  });

  it("sends to /api/rest/v1/ri/import, the token page's reading of the prefix, when basePath says so", async () => {
    const mock = createMockDealCloud();
    const paths: string[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v1/ri/import/status`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(statuses);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createRiImportClient({
      baseUrl: BASE_URL,
      ...DEFAULT_MOCK_CLIENT,
      basePath: "/api/rest/v1/ri/import",
    });

    const { data, error } = await client.GET("/status");

    expect(error).toBeUndefined();
    expect(data).toEqual(statuses);
    expect(paths).toEqual(["/api/rest/v1/ri/import/status"]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["ri_import"]);
  });

  it("hands the vendor's 400 for a site without the API Exchange connection back as error.message", async () => {
    const mock = createMockDealCloud();
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/ri/import/status`, () =>
        HttpResponse.json(
          { message: "API must be selected as the Exchange connection type to use this API endpoint" },
          { status: 400 },
        ),
      ),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createRiImportClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error, response } = await client.GET("/status");

    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.message).toBe("API must be selected as the Exchange connection type to use this API endpoint");
  });

  it("hands the vendor's capability 401 back as error.message at once: a new token cannot fix a missing capability", async () => {
    const mock = createMockDealCloud();
    const message = "Cannot perform the action. User capabilities are required: AccessRiWebService";
    const tokensSeen: (string | null)[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v4/ri/import/status`, ({ request }) => {
        tokensSeen.push(request.headers.get("authorization"));
        return HttpResponse.json({ message }, { status: 401 });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createRiImportClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { error, response } = await client.GET("/status");

    expect(response.status).toBe(401);
    expect(error?.message).toBe(message);
    expect(tokensSeen).toHaveLength(1);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["ri_import"]);
  });
});
