import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createPublicationsClient, publications, type PublicationEvent } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// A Data/Rows event as the vendor's samples show it: a record creation gives a created item and an updated item [DOC-pub-types].
const rowsEvent: PublicationEvent = {
  eventId: "3f2c5a8e-9b1d-4e6f-8a7b-2c4d6e8f0a1b",
  modifiedAt: "2024-01-15T09:30:00Z",
  topicName: "default-data",
  topicOffset: 42,
  entityType: "Data",
  entityFormatType: "Rows",
  modifiedById: 8278,
  modifiedByUserEmail: "firstname.lastname@acme.com",
  isCalculated: false,
  schemaVersion: 3,
  payload: {
    entities: {
      created: [{ entries: [{ entryId: 2772624 }], entryListId: 2011 }],
      updated: [
        {
          entryFields: [{ EntryId: 2772624, EntryListId: 2011, EntryName: "Acme Corp", CompanyName: "Acme Corp" }],
          entryListId: 2011,
        },
      ],
    },
  },
};

describe("the publications descriptor", () => {
  it("declares scope publish, the vendor's scope for Publications, on both operations", () => {
    expect(publications).toEqual({
      name: "publications",
      packageName: "@dealcloud-ts/publications",
      basePath: "/api/rest/v1/publication",
      scopes: ["publish"],
      // An acknowledgement records the same offsets again; a repeated poll would skip the events of a lost answer.
      idempotentOperations: ["POST /acknowledge"],
      // The server holds a poll open for its body's TimeOut (ms).
      waitFields: { "POST /poll": "TimeOut" },
    });
  });
});

describe("createPublicationsClient", () => {
  it("polls at /api/rest/v1/publication/poll with the PascalCase { Topics, TimeOut, Count } body and a token asked for scope publish only", async () => {
    const mock = createMockDealCloud();
    const received: { method: string; authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/publication/poll`, async ({ request }) => {
        received.push({
          method: request.method,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return HttpResponse.json([rowsEvent]);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.POST("/poll", {
      body: { Topics: ["default-data"], TimeOut: 60000, Count: 5 },
    });

    expect(error).toBeUndefined();
    expect(data).toEqual([rowsEvent]);
    expect(received).toEqual([
      { method: "POST", authorized: true, body: { Topics: ["default-data"], TimeOut: 60000, Count: 5 } },
    ]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["publish"]);
  });

  it("acknowledges the polled offset + 1 as [{ Name, Offset }] and takes the 204, under the same token", async () => {
    const mock = createMockDealCloud();
    const acknowledged: { authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/publication/poll`, () => HttpResponse.json([rowsEvent])),
      http.post(`${BASE_URL}/api/rest/v1/publication/acknowledge`, async ({ request }) => {
        acknowledged.push({
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return new HttpResponse(null, { status: 204 });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const polled = await client.POST("/poll", { body: { Topics: ["default-data"], TimeOut: 60000, Count: 5 } });
    const last = polled.data?.at(-1);
    if (!last) throw new Error("the poll returned no event");
    const { data, error, response } = await client.POST("/acknowledge", {
      body: [{ Name: last.topicName, Offset: last.topicOffset + 1 }],
    });

    expect(error).toBeUndefined();
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
    expect(acknowledged).toEqual([{ authorized: true, body: [{ Name: "default-data", Offset: 43 }] }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["publish"]);
  });

  it("hands the vendor's 400 for a topic without messages back as error.message", async () => {
    const mock = createMockDealCloud();
    const message =
      "One or more topics does not exist in Kafka. Probably no messages has been sent into that topic yet.";
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/publication/poll`, () => HttpResponse.json({ message }, { status: 400 })),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error, response } = await client.POST("/poll", {
      body: { Topics: ["my-new-topic"], TimeOut: 60000, Count: 5 },
    });

    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.message).toBe(message);
  });

  it("hands a 403 (no Publications capability) back as openapi-fetch's typed error with the vendor's { message } body", async () => {
    const mock = createMockDealCloud();
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/publication/acknowledge`, () =>
        HttpResponse.json({ message: "User does not have the Publications capability." }, { status: 403 }),
      ),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { error, response } = await client.POST("/acknowledge", { body: [{ Name: "default-data", Offset: 43 }] });

    expect(response.status).toBe(403);
    expect(error?.message).toBe("User does not have the Publications capability.");
  });
});
