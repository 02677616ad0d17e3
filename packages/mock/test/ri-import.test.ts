import { describe, expect, it } from "vitest";
import { DEFAULT_MOCK_CLIENT } from "../src/index.js";
import { API, BASE_URL, testSite } from "./support/api.js";

const R = API.riImport;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);

/** One email sent at `minute` past 09:00 on 2024-01-15. */
function email(uniqueId: string, minute = 0, overrides: Record<string, unknown> = {}) {
  const sent = new Date(Date.UTC(2024, 0, 15, 9, minute)).toISOString();
  return {
    uniqueId,
    sentDate: sent,
    modifiedDate: sent,
    sender: { address: "jane@example.com", name: "Jane Doe" },
    recipientsTo: [{ address: "john@example.com", name: "John Roe" }],
    recipientsCc: [],
    ...overrides,
  };
}

const batch = (userId: number, emails: unknown[]) => [{ userId, handlerType: 1, emails }];

function clockedSite(start = T0) {
  let time = start;
  const site = testSite({ now: () => time });
  return { ...site, advance: (ms: number) => void (time += ms) };
}

describe("RI Import: scope, capability and path prefixes", () => {
  it("answers 403 to a token without ri_import", async () => {
    const { call } = testSite();
    expect((await call("GET", `${R}/settings`, { scope: "data" })).status).toBe(403);
  });

  it("answers the vendor's 401 when the caller is not an active user of the site", async () => {
    const site = testSite({ clients: [DEFAULT_MOCK_CLIENT, { clientId: "4242", clientSecret: "s" }] });
    const response = await site.mock.handle(
      new Request(`${BASE_URL}/api/rest/v1/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: "4242",
          client_secret: "s",
          scope: "ri_import",
        }),
      }),
    );
    const { access_token } = (await response.json()) as { access_token: string };
    const { status, body } = await site.call("GET", `${R}/status`, { authorization: `Bearer ${access_token}` });
    expect(status).toBe(401);
    expect(body).toEqual({ message: "Cannot perform the action. User capabilities are required: AccessRiWebService" });
  });

  it("serves the token page's v1 prefix too", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", "/api/rest/v1/ri/import/status");
    expect(status).toBe(200);
    expect(body.length).toBeGreaterThan(0);
  });
});

describe("RI Import: emails (POST /emails)", () => {
  it("answers one Success result per user with operation statistics", async () => {
    const site = clockedSite();
    const { status, body } = await site.call("POST", `${R}/emails`, {
      body: [...batch(106, [email("a", 0), email("b", 5)]), ...batch(8278, [email("c", 1)])],
    });
    expect(status).toBe(200);
    expect(body).toEqual([
      {
        userId: 106,
        status: 1,
        statusText: "Success",
        operationStats: { syncDate: "2024-05-01T12:00:00.000Z", received: 2, added: 2, alreadyProcessed: 0 },
      },
      {
        userId: 8278,
        status: 1,
        statusText: "Success",
        operationStats: { syncDate: "2024-05-01T12:00:00.000Z", received: 1, added: 1, alreadyProcessed: 0 },
      },
    ]);
  });

  it("counts an email already imported for the same user as already processed", async () => {
    const { call } = testSite();
    await call("POST", `${R}/emails`, { body: batch(106, [email("a", 0)]) });
    const again = await call("POST", `${R}/emails`, { body: batch(106, [email("a", 0), email("b", 1)]) });
    expect(again.body[0].operationStats).toMatchObject({ received: 2, added: 1, alreadyProcessed: 1 });
    const otherUser = await call("POST", `${R}/emails`, { body: batch(8278, [email("a", 0)]) });
    expect(otherUser.body[0].operationStats).toMatchObject({ added: 1, alreadyProcessed: 0 });
  });

  it("reads the field table's spellings uniqueID and recipientsCC too", async () => {
    const { call } = testSite();
    const { uniqueId: _, ...rest } = email("x");
    const { status } = await call("POST", `${R}/emails`, {
      body: batch(106, [{ ...rest, uniqueID: "x", recipientsCC: [{ address: "c@example.com", name: "C" }] }]),
    });
    expect(status).toBe(200);
  });

  it("refuses an email without a To recipient", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${R}/emails`, {
      body: batch(106, [email("a", 0, { recipientsTo: [] })]),
    });
    expect(status).toBe(400);
    expect(body.message).toContain("recipientsTo");
  });

  it("refuses emails out of chronological order, importing nothing", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${R}/emails`, {
      body: batch(106, [email("late", 30), email("early", 10)]),
    });
    expect(status).toBe(400);
    expect(body.message).toContain("chronological");
    const retry = await call("POST", `${R}/emails`, { body: batch(106, [email("early", 10), email("late", 30)]) });
    expect(retry.body[0].operationStats).toMatchObject({ added: 2, alreadyProcessed: 0 });
  });

  it("refuses more than 1,000 emails for one user in a request, counting every item of that user", async () => {
    const { call } = testSite();
    const emails = (from: number, count: number) => Array.from({ length: count }, (_, n) => email(`m${from + n}`, 0));
    expect((await call("POST", `${R}/emails`, { body: batch(106, emails(0, 1000)) })).status).toBe(200);
    const split = [...batch(8278, emails(0, 600)), ...batch(8278, emails(600, 401))];
    const { status, body } = await call("POST", `${R}/emails`, { body: split });
    expect(status).toBe(400);
    expect(body.message).toContain("1000");
  });

  it("refuses more than 50,000 emails in one request", async () => {
    const site = testSite();
    // 51 users of 1,000 emails each (the site gets the users first).
    const created = await site.call("POST", `${API.userManagement}/user`, {
      body: Array.from({ length: 48 }, (_, n) => ({ email: `ri${n}@example.test` })),
    });
    const userIds = [106, 8278, 8301, ...created.body.map((user: { id: number }) => user.id)];
    const one = email("same", 0);
    const body = userIds.map((userId) => ({ userId, handlerType: 1, emails: Array.from({ length: 1000 }, () => one) }));
    const response = await site.call("POST", `${R}/emails`, { body });
    expect(response.status).toBe(400);
    expect(response.body.message).toContain("50000");
    expect((await site.call("POST", `${R}/emails`, { body: body.slice(1) })).status).toBe(200);
  });

  it("refuses an unknown or inactive user", async () => {
    const { call } = testSite();
    expect((await call("POST", `${R}/emails`, { body: batch(999999, [email("a")]) })).status).toBe(400);
    const inactive = await call("POST", `${R}/emails`, { body: batch(8302, [email("a")]) });
    expect(inactive.status).toBe(400);
    expect(inactive.body.message).toContain("8302");
  });

  it.each([
    ["handlerType 2 (not available yet)", [{ userId: 106, handlerType: 2, emails: [email("a")] }]],
    ["handlerType 7", [{ userId: 106, handlerType: 7, emails: [email("a")] }]],
    ["no emails array", [{ userId: 106, handlerType: 1 }]],
    ["an email without uniqueId", batch(106, [email("", 0)])],
    ["an unreadable sentDate", batch(106, [email("a", 0, { sentDate: "last tuesday" })])],
    ["a sender without an address", batch(106, [email("a", 0, { sender: { name: "Jane" } })])],
    ["an object body", { userId: 106 }],
  ])("refuses %s with 400", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", `${R}/emails`, { body })).status).toBe(400);
  });
});

describe("RI Import: meetings, status and settings", () => {
  it("status lists every active user with never-synced dates at first", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${R}/status`);
    expect(status).toBe(200);
    expect(body.map((item: { userId: number }) => item.userId)).toEqual([106, 8278, 8301]);
    expect(body[0]).toEqual({
      userId: 106,
      emailAddress: "api.user@mock.dealcloud.test",
      lastEmailSyncDate: "0001-01-01T00:00:00",
      lastMeetingSyncDate: "0001-01-01T00:00:00",
    });
  });

  it("status reports the last email and meeting imports, for the userIds asked", async () => {
    const site = clockedSite();
    await site.call("POST", `${R}/emails`, { body: batch(8278, [email("a")]) });
    site.advance(60_000);
    const meetings = await site.call("POST", `${R}/meetings`, {
      body: [{ userId: 8278, meetings: [{ subject: "Intro" }, { subject: "Follow-up" }] }, { note: "no user" }],
    });
    expect(meetings.status).toBe(200);
    expect(meetings.body).toEqual([
      {
        userId: 8278,
        status: 1,
        statusText: "Success",
        operationStats: { syncDate: "2024-05-01T12:01:00.000Z", received: 2 },
      },
    ]);
    const { body } = await site.call("GET", `${R}/status`, { query: { userIds: [8278, 106] } });
    expect(body).toEqual([
      {
        userId: 8278,
        emailAddress: "firstname.lastname@mock.dealcloud.test",
        lastEmailSyncDate: "2024-05-01T12:00:00.000Z",
        lastMeetingSyncDate: "2024-05-01T12:01:00.000Z",
      },
      {
        userId: 106,
        emailAddress: "api.user@mock.dealcloud.test",
        lastEmailSyncDate: "0001-01-01T00:00:00",
        lastMeetingSyncDate: "0001-01-01T00:00:00",
      },
    ]);
  });

  it("status takes comma-separated userIds and refuses non-numbers", async () => {
    const { call } = testSite();
    expect(
      (await call("GET", `${R}/status`, { query: { userIds: "8301,106" } })).body.map(
        (item: { userId: number }) => item.userId,
      ),
    ).toEqual([8301, 106]);
    expect((await call("GET", `${R}/status`, { query: { userIds: "me" } })).status).toBe(400);
  });

  it("meetings must be a JSON array, and a named user must be active", async () => {
    const { call } = testSite();
    expect((await call("POST", `${R}/meetings`, { body: { userId: 106 } })).status).toBe(400);
    expect((await call("POST", `${R}/meetings`, { body: [{ userId: 8302 }] })).status).toBe(400);
  });

  it("settings answer the RI preconditions, all met", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${R}/settings`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ exchangeConnectionType: "API Endpoint", relationshipIntelligenceEnabled: true });
  });

  it("reset forgets imported emails and sync dates", async () => {
    const { call, mock } = testSite();
    await call("POST", `${R}/emails`, { body: batch(106, [email("a")]) });
    mock.reset();
    expect((await call("GET", `${R}/status`, { query: { userIds: 106 } })).body[0].lastEmailSyncDate).toBe(
      "0001-01-01T00:00:00",
    );
    expect((await call("POST", `${R}/emails`, { body: batch(106, [email("a")]) })).body[0].operationStats.added).toBe(
      1,
    );
  });
});
