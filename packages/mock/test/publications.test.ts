import { afterEach, describe, expect, it, vi } from "vitest";
import type { SiteContext } from "../src/area.js";
import { createPublicationsArea } from "../src/areas/publications.js";
import { userChanges } from "../src/areas/site-events.js";
import { DEFAULT_MOCK_CLIENT } from "../src/index.js";
import { resolveOptions } from "../src/options.js";
import { createEntryStore } from "../src/state/entries.js";
import { createSiteSchema } from "../src/state/schema.js";
import { createUserStore } from "../src/state/users.js";
import { createTokenStore } from "../src/token-store.js";
import { API, BASE_URL, testSite } from "./support/api.js";
import { assertMatchesSpec } from "./support/validate.js";

const P = API.publications;
const POLL = `${P}/poll`;
const ACK = `${P}/acknowledge`;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const MINUTE = 60_000;
const UNKNOWN_TOPIC =
  "One or more topics does not exist in Kafka. Probably no messages has been sent into that topic yet.";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const pollBody = (Topics: string[] = ["default-users"], Count = 0, TimeOut = 0) => ({ Topics, TimeOut, Count });

/** A site with a settable clock, plus a way to make `default-users` events through User Management. */
function clockedSite(start = T0) {
  let time = start;
  const site = testSite({ now: () => time });
  const addUsers = async (...names: string[]) => {
    const { status } = await site.call("POST", `${API.userManagement}/user`, {
      body: names.map((name) => ({ email: `${name}@example.test`, firstName: name })),
    });
    expect(status).toBe(200);
  };
  const offsets = (events: { topicOffset: number }[]) => events.map((event) => event.topicOffset);
  return { ...site, addUsers, offsets, advance: (ms: number) => void (time += ms) };
}

/**
 * The Publications area over a site context the test holds, so a test can announce entry changes the way the
 * Data API does. Every answer is still checked against the spec.
 */
function dataSite(start = T0) {
  let time = start;
  const settings = resolveOptions({ now: () => time });
  const context: SiteContext = {
    settings,
    tokens: createTokenStore(settings),
    schema: createSiteSchema(),
    entries: createEntryStore(),
    users: createUserStore(),
  };
  const area = createPublicationsArea(context);
  async function post(path: string, body: unknown) {
    // A fresh token each time: tests move the clock past token lifetimes.
    const token = context.tokens.issue("106", ["publish"]);
    const request = new Request(`${BASE_URL}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.value}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const response = await area.handle(request.clone());
    await assertMatchesSpec(request, response.clone());
    const text = await response.text();
    return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
  }
  const company = context.schema.entryType("company");
  const field = (apiName: string) => context.schema.fieldByName(company, apiName)!;
  return { context, area, post, company, field, advance: (ms: number) => void (time += ms), now: () => time };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("Publications: requests", () => {
  it("answers 403 to a token without the publish scope", async () => {
    const { call } = testSite();
    expect((await call("POST", POLL, { body: pollBody(), scope: "data" })).status).toBe(403);
    expect((await call("POST", ACK, { body: [{ Name: "default-data", Offset: 0 }], scope: "data" })).status).toBe(403);
  });

  it("answers the vendor's 400 to a poll of a topic it does not have", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", POLL, { body: pollBody(["default-data", "my-custom-topic"]) });
    expect(status).toBe(400);
    expect(body).toEqual({ message: UNKNOWN_TOPIC });
  });

  it("answers the same 400 to an acknowledgement of an unknown topic", async () => {
    const { call } = testSite();
    expect((await call("POST", ACK, { body: [{ Name: "nope", Offset: 1 }] })).body).toEqual({ message: UNKNOWN_TOPIC });
  });

  it.each([
    ["no Topics", { TimeOut: 0, Count: 1 }],
    ["empty Topics", { Topics: [], TimeOut: 0, Count: 1 }],
    ["no TimeOut", { Topics: ["default-data"], Count: 1 }],
    ["no Count", { Topics: ["default-data"], TimeOut: 0 }],
    ["a negative Count", { Topics: ["default-data"], TimeOut: 0, Count: -1 }],
    ["a string TimeOut", { Topics: ["default-data"], TimeOut: "60000", Count: 1 }],
    ["an array body", ["default-data"]],
  ])("refuses a poll with %s", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", POLL, { body })).status).toBe(400);
  });

  it.each([
    ["an object body", { Name: "default-data", Offset: 1 }],
    ["a negative offset", [{ Name: "default-data", Offset: -1 }]],
    ["no Name", [{ Offset: 1 }]],
  ])("refuses an acknowledgement with %s", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", ACK, { body })).status).toBe(400);
  });

  it("acknowledging answers 204 with no body", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", ACK, { body: [{ Name: "default-data", Offset: 43 }] });
    expect(status).toBe(204);
    expect(body).toBeUndefined();
  });
});

describe("Publications: polling and waiting", () => {
  it("answers an empty array at once when nothing is there and TimeOut is 0", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", POLL, {
      body: pollBody(["default-data", "default-schema", "default-users"]),
    });
    expect(status).toBe(200);
    expect(body).toEqual([]);
  });

  it("waits TimeOut ms for events, then answers an empty array", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    try {
      const { call, token } = testSite();
      await token();
      let answer: unknown;
      const waiting = call("POST", POLL, { body: pollBody(["default-users"], 5, 60_000) }).then(
        (result) => (answer = result.body),
      );
      await vi.advanceTimersByTimeAsync(59_999);
      expect(answer).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      await waiting;
      expect(answer).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("a waiting poll returns once Count events arrived, well before TimeOut", async () => {
    const site = clockedSite();
    await site.token();
    // TimeOut is 60 s: a poll that waited for it would outlive the test's own 5 s limit.
    const waiting = site.call("POST", POLL, { body: pollBody(["default-users"], 2, 60_000) });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await site.addUsers("first");
    await new Promise((resolve) => setTimeout(resolve, 20));
    await site.addUsers("second");
    const { body } = await waiting;
    expect(site.offsets(body)).toEqual([0, 1]);
  });

  it("a waiting poll answers what arrived when TimeOut passes before Count events", async () => {
    const site = clockedSite();
    await site.token();
    const waiting = site.call("POST", POLL, { body: pollBody(["default-users"], 5, 80) });
    await site.addUsers("only");
    expect(site.offsets((await waiting).body)).toEqual([0]);
  });

  it("a waiting poll ignores events of topics it did not ask for", async () => {
    const site = clockedSite();
    await site.token();
    const waiting = site.call("POST", POLL, { body: pollBody(["default-data"], 5, 80) });
    await site.addUsers("elsewhere");
    expect((await waiting).body).toEqual([]);
  });

  it("waits at most 60 s, whatever TimeOut says", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const site = testSite();
    await site.token();
    let answered = false;
    const waiting = site.call("POST", POLL, { body: pollBody(["default-users"], 5, 600_000) }).then((result) => {
      answered = true;
      return result;
    });
    while (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(answered).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((await waiting).body).toEqual([]);
  });

  it("returns at most Count events, and all of them with Count 0", async () => {
    const site = clockedSite();
    await site.addUsers("a", "b");
    await site.addUsers("c");
    await site.addUsers("d");
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody(["default-users"], 2) })).body)).toEqual([
      0, 1,
    ]);
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody(["default-users"], 0) })).body)).toEqual([2]);
  });
});

describe("Publications: user events (default-users)", () => {
  it("User Management writes become events with the common envelope and the site clock", async () => {
    const site = clockedSite();
    await site.addUsers("ada");
    site.advance(MINUTE);
    await site.call("PUT", `${API.userManagement}/user`, { body: [{ id: 8301, lastName: "Lovelace" }] });
    await site.call("DELETE", `${API.userManagement}/user/8302`);
    const { body } = await site.call("POST", POLL, { body: pollBody() });
    expect(body).toHaveLength(3);
    expect(body[0]).toEqual({
      eventId: expect.stringMatching(UUID),
      modifiedAt: "2024-05-01T12:00:00.000Z",
      topicName: "default-users",
      topicOffset: 0,
      entityType: "UserGroups",
      entityFormatType: "None",
      modifiedById: 106,
      modifiedByUserEmail: "api.user@mock.dealcloud.test",
      payload: { entities: { created: [expect.objectContaining({ email: "ada@example.test", firstName: "ada" })] } },
    });
    expect(body[1]).toMatchObject({
      topicOffset: 1,
      modifiedAt: "2024-05-01T12:01:00.000Z",
      payload: { entities: { updated: [{ id: 8301, lastName: "Lovelace" }] } },
    });
    expect(body[2]).toMatchObject({ topicOffset: 2, payload: { entities: { deleted: [{ id: 8302 }] } } });
    expect(new Set(body.map((event: { eventId: string }) => event.eventId)).size).toBe(3);
  });
});

describe("Publications: sessions and acknowledgements", () => {
  it("a session continues where its last poll stopped", async () => {
    const site = clockedSite();
    await site.addUsers("a", "b");
    await site.addUsers("c");
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody(["default-users"], 1) })).body)).toEqual([0]);
    site.advance(4 * MINUTE);
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([1]);
    await site.addUsers("d");
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([2]);
  });

  it("without acknowledgements a new session, 5 minutes after the last poll, starts from the beginning", async () => {
    const site = clockedSite();
    await site.addUsers("a");
    await site.addUsers("b");
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([0, 1]);
    site.advance(5 * MINUTE - 1);
    expect((await site.call("POST", POLL, { body: pollBody() })).body).toEqual([]);
    site.advance(5 * MINUTE);
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([0, 1]);
  });

  it("an acknowledgement takes effect only at the start of the next session, as the next offset to read", async () => {
    const site = clockedSite();
    await site.addUsers("a");
    await site.addUsers("b");
    await site.addUsers("c");
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody(["default-users"], 2) })).body)).toEqual([
      0, 1,
    ]);
    // The vendor's rule: acknowledge the current offset + 1.
    expect((await site.call("POST", ACK, { body: [{ Name: "default-users", Offset: 2 }] })).status).toBe(204);
    await site.call("POST", ACK, { body: [{ Name: "default-users", Offset: 1 }] });
    // Same session: the acknowledgement does not move it.
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([2]);
    site.advance(5 * MINUTE);
    // New session: starts at the last acknowledged offset (1), replaying from there.
    expect(site.offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([1, 2]);
  });

  it("sessions and acknowledgements are per client id", async () => {
    const other = { clientId: "8278", clientSecret: "other-secret" };
    const site = testSite({ clients: [DEFAULT_MOCK_CLIENT, other] });
    const response = await site.mock.handle(
      new Request(`${BASE_URL}/api/rest/v1/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: other.clientId,
          client_secret: other.clientSecret,
          scope: "publish",
        }),
      }),
    );
    const otherToken = `Bearer ${((await response.json()) as { access_token: string }).access_token}`;
    await site.call("POST", `${API.userManagement}/user`, {
      body: [{ email: "one@example.test" }, { email: "two@example.test" }],
    });
    await site.call("POST", `${API.userManagement}/user`, { body: [{ email: "three@example.test" }] });
    await site.call("POST", ACK, { body: [{ Name: "default-users", Offset: 1 }] });
    const offsets = (events: { topicOffset: number }[]) => events.map((event) => event.topicOffset);
    expect(offsets((await site.call("POST", POLL, { body: pollBody() })).body)).toEqual([1]);
    expect(offsets((await site.call("POST", POLL, { body: pollBody(), authorization: otherToken })).body)).toEqual([
      0, 1,
    ]);
  });

  it("reading several topics answers their events in arrival order, each topic with its own offsets", async () => {
    const { context, post, company, field, now } = dataSite();
    const entry = context.entries.create(company, ["Acme"], 106, now());
    const announce = () =>
      context.entries.emit({
        kind: "updated",
        type: company,
        entries: [entry],
        fields: [field("CompanyName")],
        format: "Rows",
        userId: 106,
        at: now(),
      });
    announce();
    userChanges(context).emit({ kind: "updated", users: [{ id: 8301 }], userId: 106, at: now() });
    announce();
    const { body } = await post(POLL, pollBody(["default-users", "default-data"]));
    expect(
      body.map((event: { topicName: string; topicOffset: number }) => `${event.topicName}#${event.topicOffset}`),
    ).toEqual(["default-data#0", "default-users#0", "default-data#1"]);
  });

  it("a reset forgets events, sessions and acknowledgements", async () => {
    const site = clockedSite();
    await site.addUsers("a");
    await site.call("POST", POLL, { body: pollBody() });
    await site.call("POST", ACK, { body: [{ Name: "default-users", Offset: 1 }] });
    site.mock.reset();
    await site.addUsers("b");
    const { body } = await site.call("POST", POLL, { body: pollBody() });
    expect(site.offsets(body)).toEqual([0]);
    expect(body[0].payload.entities.created[0].email).toBe("b@example.test");
  });
});

describe("Publications: data events (default-data)", () => {
  it("a write through the Data API arrives on default-data (end to end)", async () => {
    const site = clockedSite();
    const created = await site.call("POST", `${API.data}/entrydata/rows/company`, {
      body: [{ EntryId: -1, CompanyName: "Acme", City: "Paris" }],
    });
    expect(created.status).toBe(200);
    await site.call("PATCH", `${API.data}/entrydata/rows/company`, {
      body: [{ EntryId: created.body[0].EntryId, City: "Reno" }],
    });
    const { body } = await site.call("POST", POLL, { body: pollBody(["default-data"]) });
    expect(
      body.map((event: { entityFormatType: string; topicOffset: number }) => [
        event.topicOffset,
        event.entityFormatType,
      ]),
    ).toEqual([
      [0, "Rows"],
      [1, "Rows"],
    ]);
    expect(body[0].payload.entities.created[0].entryListId).toBe(2011);
    expect(body[1].payload.entities.updated[0].entryFields[0]).toMatchObject({ EntryName: "Acme", City: "Reno" });
  });

  it("a Rows creation gives one event with a created item and an updated item", async () => {
    const { context, post, company, field, now } = dataSite();
    const values: unknown[] = [];
    values[field("CompanyName").index] = "Acme";
    values[field("City").index] = "Paris";
    values[field("CompanyType").index] = context.schema.choiceByName(field("CompanyType"), "Lender")!.id;
    values[field("FoundedDate").index] = Date.UTC(2001, 0, 2);
    const entry = context.entries.create(company, values, 8278, now());
    const fields = ["CompanyName", "City", "CompanyType", "FoundedDate", "Revenue"].map(field);
    context.entries.emit({
      kind: "created",
      type: company,
      entries: [entry],
      fields,
      format: "Rows",
      userId: 8278,
      at: now(),
    });
    const { status, body } = await post(POLL, pollBody(["default-data"]));
    expect(status).toBe(200);
    expect(body).toEqual([
      {
        eventId: expect.stringMatching(UUID),
        modifiedAt: "2024-05-01T12:00:00.000Z",
        topicName: "default-data",
        topicOffset: 0,
        entityType: "Data",
        entityFormatType: "Rows",
        modifiedById: 8278,
        modifiedByUserEmail: "firstname.lastname@mock.dealcloud.test",
        isCalculated: false,
        schemaVersion: 1,
        payload: {
          entities: {
            created: [{ entries: [{ entryId: entry.id }], entryListId: 2011 }],
            updated: [
              {
                entryFields: [
                  {
                    EntryId: entry.id,
                    EntryListId: 2011,
                    EntryName: "Acme",
                    CompanyName: "Acme",
                    City: "Paris",
                    CompanyType: context.schema.choiceByName(field("CompanyType"), "Lender")!.id,
                    FoundedDate: "2001-01-02T00:00:00Z",
                    Revenue: null,
                  },
                ],
                entryListId: 2011,
              },
            ],
          },
        },
      },
    ]);
  });

  it("a Rows update gives an updated item only", async () => {
    const { context, post, company, field, now } = dataSite();
    const entry = context.entries.create(company, ["Acme"], 106, now());
    context.entries.update(entry, new Map([[field("Employees").index, 250]]), 106, now());
    context.entries.emit({
      kind: "updated",
      type: company,
      entries: [entry],
      fields: [field("Employees")],
      format: "Rows",
      userId: 106,
      at: now(),
    });
    const { body } = await post(POLL, pollBody(["default-data"]));
    expect(body[0].payload).toEqual({
      entities: {
        updated: [
          {
            entryFields: [{ EntryId: entry.id, EntryListId: 2011, EntryName: "Acme", Employees: 250 }],
            entryListId: 2011,
          },
        ],
      },
    });
  });

  it("a Cells write is entityFormatType None with one cell per written value", async () => {
    const { context, post, company, field, now } = dataSite();
    const a = context.entries.create(company, ["A"], 106, now());
    const b = context.entries.create(company, ["B"], 106, now());
    context.entries.update(a, new Map([[field("City").index, "Oslo"]]), 106, now());
    context.entries.emit({
      kind: "updated",
      type: company,
      entries: [a, b],
      fields: [field("City")],
      format: "Cells",
      userId: 106,
      at: now(),
    });
    const { body } = await post(POLL, pollBody(["default-data"]));
    expect(body[0]).toMatchObject({ entityType: "Data", entityFormatType: "None" });
    expect(body[0].payload).toEqual({
      entities: {
        updated: [
          {
            entryFields: [
              { fieldId: field("City").id, entryId: a.id, value: "Oslo" },
              { fieldId: field("City").id, entryId: b.id, value: null },
            ],
          },
        ],
      },
    });
  });

  it("a deletion lists the deleted entries", async () => {
    const { context, post, company, now } = dataSite();
    const entry = context.entries.create(company, ["Gone"], 106, now());
    const tombstone = context.entries.remove(entry, now());
    context.entries.emit({ kind: "deleted", type: company, tombstones: [tombstone], userId: 106, at: now() });
    const { body } = await post(POLL, pollBody(["default-data"]));
    expect(body[0].payload).toEqual({
      entities: { deleted: [{ entries: [{ entryId: entry.id, name: "Gone" }], entryListId: 2011 }] },
    });
  });

  it("text over 10,000 characters comes as isLargeText without the value", async () => {
    const { context, post, company, field, now } = dataSite();
    const values: unknown[] = [];
    values[field("CompanyName").index] = "Big";
    values[field("Website").index] = "x".repeat(10_001);
    values[field("City").index] = "y".repeat(10_000);
    const entry = context.entries.create(company, values, 106, now());
    context.entries.emit({
      kind: "updated",
      type: company,
      entries: [entry],
      fields: [field("Website"), field("City")],
      format: "Rows",
      userId: 106,
      at: now(),
    });
    const { body } = await post(POLL, pollBody(["default-data"]));
    const row = body[0].payload.entities.updated[0].entryFields[0];
    expect(row.Website).toEqual({ isLargeText: true });
    expect(row.City).toHaveLength(10_000);
  });

  it("events older than 9 days are no longer delivered", async () => {
    const { context, post, company, field, now, advance } = dataSite();
    const entry = context.entries.create(company, ["Old"], 106, now());
    const announce = () =>
      context.entries.emit({
        kind: "updated",
        type: company,
        entries: [entry],
        fields: [field("CompanyName")],
        format: "Rows",
        userId: 106,
        at: now(),
      });
    announce();
    advance(8 * 86_400_000);
    announce();
    advance(86_400_000 + 1);
    const { body } = await post(POLL, pollBody(["default-data"]));
    expect(body.map((event: { topicOffset: number }) => event.topicOffset)).toEqual([1]);
  });

  it("a site reset empties the topics and restarts offsets", async () => {
    const { context, area, post, company, field, now } = dataSite();
    const entry = context.entries.create(company, ["Acme"], 106, now());
    const announce = () =>
      context.entries.emit({
        kind: "updated",
        type: company,
        entries: [entry],
        fields: [field("CompanyName")],
        format: "Rows",
        userId: 106,
        at: now(),
      });
    announce();
    announce();
    area.reset();
    expect((await post(POLL, pollBody(["default-data"]))).body).toEqual([]);
    announce();
    expect(
      (await post(POLL, pollBody(["default-data"]))).body.map((event: { topicOffset: number }) => event.topicOffset),
    ).toEqual([0]);
  });
});

describe("Publications: opt-in behaviours and session faults", () => {
  /** A site (default options unless given) with a helper that writes `rows` companies in one Data request. */
  function writingSite(options: Parameters<typeof testSite>[0] = {}) {
    const site = testSite({ seed: { sampleEntries: false }, ...options });
    let written = 0;
    const write = async (rows = 1) => {
      const body = Array.from({ length: rows }, (_, index) => ({
        EntryId: -(index + 1),
        CompanyName: `C${++written}`,
      }));
      expect((await site.call("POST", `${API.data}/entrydata/rows/company`, { body })).status).toBe(200);
    };
    const poll = async (Count = 0) => (await site.call("POST", POLL, { body: pollBody(["default-data"], Count) })).body;
    const offsets = (events: { topicOffset: number }[]) => events.map((event) => event.topicOffset);
    return { ...site, write, poll, offsets };
  }

  it('with emptyTopics "not-in-kafka", a topic without a message answers the vendor\'s 400 until its first event', async () => {
    const site = writingSite({ publications: { emptyTopics: "not-in-kafka" } });
    const before = await site.call("POST", POLL, { body: pollBody(["default-data", "default-users"]) });
    expect(before).toMatchObject({ status: 400, body: { message: UNKNOWN_TOPIC } });
    await site.write();
    expect((await site.call("POST", POLL, { body: pollBody(["default-data"]) })).status).toBe(200);
    // "One or more topics": default-users still has no message.
    expect((await site.call("POST", POLL, { body: pollBody(["default-data", "default-users"]) })).status).toBe(400);
  });

  it("by default an empty topic answers an empty array", async () => {
    const site = writingSite();
    expect(await site.poll()).toEqual([]);
  });

  it("with maxRowsPerMessage, splits a large data event into parts at consecutive offsets", async () => {
    const site = writingSite({ publications: { maxRowsPerMessage: 4 } });
    await site.write(5); // 5 created entries + 5 updated rows: 10 rows, 3 parts
    await site.write(1); // 2 rows: not split
    const events = await site.poll();
    expect(
      events.map((event: Record<string, unknown>) => [event.topicOffset, event.partNumber, event.isLastPart]),
    ).toEqual([
      [0, 1, false],
      [1, 2, false],
      [2, 3, true],
      [3, undefined, undefined],
    ]);
    expect(new Set(events.slice(0, 3).map((event: { eventId: string }) => event.eventId)).size).toBe(1);
    const parts = events
      .slice(0, 3)
      .map((event: { payload: { entities: Record<string, unknown[]> } }) => event.payload.entities);
    const created = parts.flatMap((entities: any) => entities.created ?? []).flatMap((item: any) => item.entries);
    const updated = parts.flatMap((entities: any) => entities.updated ?? []).flatMap((item: any) => item.entryFields);
    expect(created).toHaveLength(5);
    expect(updated.map((row: { CompanyName: string }) => row.CompanyName)).toEqual(["C1", "C2", "C3", "C4", "C5"]);
  });

  it("refuses impossible publications options at creation", () => {
    expect(() => testSite({ publications: { maxRowsPerMessage: 0 } })).toThrow(RangeError);
    expect(() => testSite({ publications: { emptyTopics: "missing" as never } })).toThrow(RangeError);
  });

  it("an endSession fault ends the client's session: the next poll starts again from the acknowledged offset", async () => {
    const site = writingSite();
    for (let write = 0; write < 5; write++) await site.write();
    expect(site.offsets(await site.poll(3))).toEqual([0, 1, 2]);
    await site.call("POST", ACK, { body: [{ Name: "default-data", Offset: 2 }] });
    site.mock.faults.add({ route: "publications", operation: "POST /poll", endSession: true });
    expect(site.offsets(await site.poll())).toEqual([2, 3, 4]);
  });

  it("a handleFirst fault loses the answer after the session moved past its events", async () => {
    const site = writingSite();
    for (let write = 0; write < 4; write++) await site.write();
    site.mock.faults.add({ route: "publications", operation: "POST /poll", status: 502, handleFirst: true });
    // Sent past the spec check: a 502 is the fault's answer, not one the spec declares.
    const lost = await site.mock.handle(
      new Request(`${BASE_URL}${POLL}`, {
        method: "POST",
        headers: { authorization: `Bearer ${await site.token()}`, "content-type": "application/json" },
        body: JSON.stringify(pollBody(["default-data"], 2)),
      }),
    );
    expect(lost.status).toBe(502);
    expect(site.offsets(await site.poll())).toEqual([2, 3]);
  });
});
