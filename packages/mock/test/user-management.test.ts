import { describe, expect, it } from "vitest";
import { API, testSite } from "./support/api.js";

const M = API.userManagement;
const T0 = Date.UTC(2024, 4, 1, 12, 0, 0);
const DAY = 86_400_000;

/** A site whose clock the test moves. */
function clockedSite(start = T0) {
  let time = start;
  const site = testSite({ now: () => time });
  return { ...site, advance: (ms: number) => void (time += ms), set: (ms: number) => void (time = ms) };
}

describe("User Management: scope", () => {
  it("answers 403 to a token without user_management", async () => {
    const { call } = testSite();
    const response = await call("GET", `${M}/user`, { scope: "data" });
    expect(response.status).toBe(403);
    expect(response.body.message).toContain("user_management");
  });
});

describe("User Management: listing users (GET /user)", () => {
  it("answers an array of users with the recorded keys and zone-less dates", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/user`);
    expect(status).toBe(200);
    expect(body.map((user: { id: number }) => user.id)).toEqual([106, 8278, 8301, 8302]);
    expect(body[0]).toEqual({
      id: 106,
      email: "api.user@mock.dealcloud.test",
      firstName: "API",
      lastName: "User",
      isActive: true,
      isLocked: false,
      userTimeZoneId: "Eastern Standard Time",
      groups: [1, 2],
      createdDate: "2019-03-28T18:43:27.000",
      createdBy: 106,
      modifiedDate: "2019-03-28T18:43:27.000",
      modifiedBy: 106,
    });
  });

  it("pages with pageNumber (1-based) and pageSize, and answers an empty array past the end", async () => {
    const { call } = testSite();
    const page2 = await call("GET", `${M}/user`, { query: { pageNumber: 2, pageSize: 2 } });
    expect(page2.body.map((user: { id: number }) => user.id)).toEqual([8301, 8302]);
    const page3 = await call("GET", `${M}/user`, { query: { pageNumber: 3, pageSize: 2 } });
    expect(page3.body).toEqual([]);
  });

  it("pages 10 users by default", async () => {
    const { call } = testSite();
    const users = Array.from({ length: 12 }, (_, n) => ({
      email: `bulk${n}@example.test`,
      firstName: "Bulk",
      lastName: String(n),
    }));
    expect((await call("POST", `${M}/user`, { body: users })).status).toBe(200);
    expect((await call("GET", `${M}/user`)).body).toHaveLength(10);
    expect((await call("GET", `${M}/user`, { query: { pageNumber: 2 } })).body).toHaveLength(6);
  });

  it("accepts pageSize 1000 and refuses more with 400", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/user`, { query: { pageSize: 1000 } })).status).toBe(200);
    const refused = await call("GET", `${M}/user`, { query: { pageSize: 1001 } });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("1000");
  });

  it("refuses pageNumber 0 with 400", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/user`, { query: { pageNumber: 0 } })).status).toBe(400);
  });

  it("filters by email, case-insensitively, still answering an array", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${M}/user`, { query: { email: "Dana.Analyst@mock.dealcloud.test" } });
    expect(body.map((user: { id: number }) => user.id)).toEqual([8301]);
  });

  it("filters by userGroupID", async () => {
    const { call } = testSite();
    const admins = await call("GET", `${M}/user`, { query: { userGroupID: 1 } });
    expect(admins.body.map((user: { id: number }) => user.id)).toEqual([106]);
    const unknown = await call("GET", `${M}/user`, { query: { userGroupID: 99 } });
    expect(unknown.body).toEqual([]);
  });

  it("filters by modifiedSince", async () => {
    const site = clockedSite();
    await site.call("PUT", `${M}/user`, { body: [{ id: 8301, firstName: "Dana-Marie" }] });
    const { body } = await site.call("GET", `${M}/user`, { query: { modifiedSince: "2024-01-01T00:00:00Z" } });
    expect(body.map((user: { id: number }) => user.id)).toEqual([8301]);
    expect((await site.call("GET", `${M}/user`, { query: { modifiedSince: "yesterday" } })).status).toBe(400);
  });
});

describe("User Management: one user, several users", () => {
  it("GET /user/{userId} answers one user object", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/user/8278`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 8278, email: "firstname.lastname@mock.dealcloud.test" });
  });

  it("GET /user/{userId} answers 400 for an unknown or malformed id", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/user/424242`)).body).toEqual({ message: "User with provided id does not exist." });
    expect((await call("GET", `${M}/user/abc`)).status).toBe(400);
  });

  it("POST /users answers the users with the posted ids, leaving unknown ids out", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/users`, { body: [8301, 999999, 106] });
    expect(status).toBe(200);
    expect(body.map((user: { id: number }) => user.id)).toEqual([8301, 106]);
    expect((await call("POST", `${M}/users`, { body: ["106"] })).status).toBe(400);
  });
});

describe("User Management: creating users (POST /user)", () => {
  it("creates users stamped with the site clock and the caller, visible in later reads", async () => {
    const site = clockedSite();
    const { status, body } = await site.call("POST", `${M}/user`, {
      body: [
        { email: "new.person@example.test", firstName: "New", lastName: "Person", groups: [2], federationId: "fed-1" },
      ],
    });
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({
        email: "new.person@example.test",
        isActive: true,
        groups: [2],
        createdDate: "2024-05-01T12:00:00.000",
        createdBy: 106,
        modifiedBy: 106,
      }),
    ]);
    const fetched = await site.call("GET", `${M}/user/${body[0].id}`);
    expect(fetched.body).toEqual(body[0]);
    expect(
      (await site.call("GET", `${M}/user`, { query: { userGroupID: 2 } })).body.map((user: { id: number }) => user.id),
    ).toContain(body[0].id);
  });

  it("refuses an email that already exists, pointing to invite and add-existing-user", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user`, {
      body: [{ email: "API.User@mock.dealcloud.test", firstName: "A", lastName: "B" }],
    });
    expect(status).toBe(400);
    expect(body.message).toContain("/user/invite");
    expect(body.message).toContain("/user/addexistinguser");
  });

  it("refuses the same email twice in one request, creating nothing", async () => {
    const { call } = testSite();
    const twice = [{ email: "twin@example.test" }, { email: "TWIN@example.test" }];
    expect((await call("POST", `${M}/user`, { body: twice })).status).toBe(400);
    expect((await call("GET", `${M}/user`, { query: { email: "twin@example.test" } })).body).toEqual([]);
  });

  it("refuses an unknown group with the documented message, creating nothing", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user`, {
      body: [{ email: "ok@example.test" }, { email: "grouped@example.test", groups: [77] }],
    });
    expect(status).toBe(400);
    expect(body).toEqual({ message: "There is no user group with provided id." });
    expect((await call("GET", `${M}/user`, { query: { email: "ok@example.test" } })).body).toEqual([]);
  });

  it.each([
    ["no email", [{ firstName: "No" }]],
    ["a malformed email", [{ email: "not-an-email" }]],
    ["an object instead of an array", { email: "x@example.test" }],
    ["a non-string name", [{ email: "x@example.test", firstName: 5 }]],
  ])("refuses %s with 400", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", `${M}/user`, { body })).status).toBe(400);
  });
});

describe("User Management: updating users (PUT /user)", () => {
  it("changes the keys sent, keeps the others, and stamps modifiedDate and modifiedBy", async () => {
    const site = clockedSite();
    const { status, body } = await site.call("PUT", `${M}/user`, {
      body: [{ id: 8301, lastName: "Lead", isActive: false, groups: [1] }],
    });
    expect(status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({
        id: 8301,
        firstName: "Dana",
        lastName: "Lead",
        isActive: false,
        groups: [1],
        modifiedDate: "2024-05-01T12:00:00.000",
        modifiedBy: 106,
        createdDate: "2019-03-28T18:43:27.000",
      }),
    ]);
    expect((await site.call("GET", `${M}/user/8301`)).body).toEqual(body[0]);
  });

  it("refuses an unknown id, a missing id, a taken email and an unknown group, changing nothing", async () => {
    const { call } = testSite();
    const cases = [
      [
        { id: 8301, firstName: "Changed" },
        { id: 999999, firstName: "Ghost" },
      ],
      [{ firstName: "Nobody" }],
      [{ id: 8301, email: "api.user@mock.dealcloud.test" }],
      [{ id: 8301, groups: [42] }],
    ];
    for (const body of cases) expect((await call("PUT", `${M}/user`, { body })).status).toBe(400);
    expect((await call("GET", `${M}/user/8301`)).body).toMatchObject({
      firstName: "Dana",
      email: "dana.analyst@mock.dealcloud.test",
      groups: [2],
    });
  });
});

describe("User Management: deleting users (both path readings)", () => {
  it("DELETE /user/{userId} removes the user", async () => {
    const { call } = testSite();
    const { status, body } = await call("DELETE", `${M}/user/8302`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ id: 8302 });
    expect((await call("GET", `${M}/user/8302`)).status).toBe(400);
  });

  it("DELETE /user?userId= removes the user", async () => {
    const { call } = testSite();
    expect((await call("DELETE", `${M}/user`, { query: { userId: 8301 } })).status).toBe(200);
    expect((await call("GET", `${M}/user`)).body.map((user: { id: number }) => user.id)).not.toContain(8301);
  });

  it("answers 400 for an unknown user or a missing userId", async () => {
    const { call } = testSite();
    expect((await call("DELETE", `${M}/user/999999`)).status).toBe(400);
    expect((await call("DELETE", `${M}/user`)).status).toBe(400);
  });

  it("a deleted user loses their proxy assignments", async () => {
    const { call } = testSite();
    await call("DELETE", `${M}/user/8301`);
    const { body } = await call("GET", `${M}/user/proxy`);
    expect(body[0].users.map((user: { id: number }) => user.id)).toEqual([8278]);
  });
});

describe("User Management: inviting and adding existing users", () => {
  const invitation = (email: string) => ({ email, groups: [2], autoCreateOrLinkContact: false, mappedContactId: 0 });

  it("an invitation creates an inactive user named after the email, in the groups given", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user/invite`, {
      body: { ...invitation("jane.doe@partner.test"), duration: 30 },
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      email: "jane.doe@partner.test",
      firstName: "Jane",
      lastName: "Doe",
      isActive: false,
      groups: [2],
    });
    expect((await call("GET", `${M}/user`, { query: { email: "jane.doe@partner.test" } })).body).toHaveLength(1);
  });

  it("an existing user is added active, only when the email domain is the site's", async () => {
    const { call } = testSite();
    const added = await call("POST", `${M}/user/addexistinguser`, {
      body: invitation("sam.colleague@mock.dealcloud.test"),
    });
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ email: "sam.colleague@mock.dealcloud.test", isActive: true });
    const refused = await call("POST", `${M}/user/addexistinguser`, { body: invitation("sam@elsewhere.test") });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain("mock.dealcloud.test");
  });

  it("refuses an email that is already a user of the site", async () => {
    const { call } = testSite();
    expect(
      (await call("POST", `${M}/user/invite`, { body: invitation("dana.analyst@mock.dealcloud.test") })).status,
    ).toBe(400);
    expect(
      (await call("POST", `${M}/user/addexistinguser`, { body: invitation("dana.analyst@mock.dealcloud.test") }))
        .status,
    ).toBe(400);
  });

  it.each([
    ["no groups", { email: "a@b.test", autoCreateOrLinkContact: false, mappedContactId: 0 }],
    ["no autoCreateOrLinkContact", { email: "a@b.test", groups: [2], mappedContactId: 0 }],
    ["no mappedContactId", { email: "a@b.test", groups: [2], autoCreateOrLinkContact: true }],
    ["an unknown group", { email: "a@b.test", groups: [9], autoCreateOrLinkContact: true, mappedContactId: 0 }],
    [
      "a zero duration",
      { email: "a@b.test", groups: [2], autoCreateOrLinkContact: true, mappedContactId: 0, duration: 0 },
    ],
  ])("refuses an invitation with %s", async (_, body) => {
    const { call } = testSite();
    expect((await call("POST", `${M}/user/invite`, { body })).status).toBe(400);
  });
});

describe("User Management: user groups", () => {
  it("lists the groups with their flags and members", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/user/group`);
    expect(status).toBe(200);
    expect(body.map((group: { id: number; name: string }) => [group.id, group.name])).toEqual([
      [1, "Administrators"],
      [2, "API"],
      [3, "Read Only"],
    ]);
    expect(body[1].users).toEqual([106, 8278, 8301]);
  });

  it("answers one group with every capability flag; the API group has accessWebService", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${M}/user/group/2`);
    expect(body).toMatchObject({
      id: 2,
      name: "API",
      accessWebService: true,
      readData: "All",
      entryLevelCapabilities: { read: { allEntryListsAllowed: true } },
    });
    expect(Object.values(body).filter((value) => typeof value === "boolean")).toHaveLength(30);
    expect((await call("GET", `${M}/user/group/1`)).body.accessWebService).toBe(false);
  });

  it("answers the documented 400 for an unknown group", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/user/group/99`);
    expect(status).toBe(400);
    expect(body).toEqual({ message: "There is no user group with provided id." });
  });

  it("shows membership changes made through users", async () => {
    const { call } = testSite();
    await call("PUT", `${M}/user`, { body: [{ id: 8302, groups: [3] }] });
    expect((await call("GET", `${M}/user/group/3`)).body.users).toEqual([8302]);
  });
});

describe("User Management: proxy assignments", () => {
  it("lists each proxy user with its principals", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/user/proxy`);
    expect(status).toBe(200);
    expect(body).toEqual([
      {
        proxyUser: { id: 106, email: "api.user@mock.dealcloud.test", fullName: "API User" },
        users: [
          { id: 8278, email: "firstname.lastname@mock.dealcloud.test", fullName: "FirstName LastName" },
          { id: 8301, email: "dana.analyst@mock.dealcloud.test", fullName: "Dana Analyst" },
        ],
      },
    ]);
  });

  it("searches proxy users by email, or by name with searchByName", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/user/proxy`, { query: { proxyQuery: "api.user@" } })).body).toHaveLength(1);
    expect((await call("GET", `${M}/user/proxy`, { query: { proxyQuery: "API User" } })).body).toHaveLength(0);
    expect(
      (await call("GET", `${M}/user/proxy`, { query: { proxyQuery: "api user", searchByName: true } })).body,
    ).toHaveLength(1);
  });

  it("searches principals with userQuery", async () => {
    const { call } = testSite();
    const { body } = await call("GET", `${M}/user/proxy`, { query: { userQuery: "dana" } });
    expect(body[0].users.map((user: { id: number }) => user.id)).toEqual([8301]);
    expect((await call("GET", `${M}/user/proxy`, { query: { userQuery: "nobody" } })).body).toEqual([]);
  });

  it("pages 100 by default and refuses pageSize over 1000", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/user/proxy`, { query: { pageNumber: 2 } })).body).toEqual([]);
    expect((await call("GET", `${M}/user/proxy`, { query: { pageSize: 1001 } })).status).toBe(400);
  });

  it("setting an assignment replaces the proxy user's principals", async () => {
    const { call } = testSite();
    const set = await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 106, users: [8302] } });
    expect(set.status).toBe(200);
    const { body } = await call("GET", `${M}/user/proxy`);
    expect(body[0].users.map((user: { id: number }) => user.id)).toEqual([8302]);
  });

  it("a new proxy user appears in the list; an empty list removes it", async () => {
    const { call } = testSite();
    await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 8278, users: [8301] } });
    expect(
      (await call("GET", `${M}/user/proxy`)).body.map((item: { proxyUser: { id: number } }) => item.proxyUser.id),
    ).toEqual([106, 8278]);
    await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 8278, users: [] } });
    expect(
      (await call("GET", `${M}/user/proxy`)).body.map((item: { proxyUser: { id: number } }) => item.proxyUser.id),
    ).toEqual([106]);
  });

  it("answers the documented 400 for an unknown proxy user", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 999999, users: [8278] } });
    expect(status).toBe(400);
    expect(body).toEqual({ message: "Proxy user with provided id does not exist." });
  });

  it("refuses an unknown principal, and the Elixir SDK's userIds key, changing nothing", async () => {
    const { call } = testSite();
    expect((await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 106, users: [999999] } })).status).toBe(400);
    const elixir = await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 106, userIds: [8302] } });
    expect(elixir.status).toBe(400);
    expect(elixir.body.message).toContain("userIds");
    expect((await call("GET", `${M}/user/proxy`)).body[0].users).toHaveLength(2);
  });
});

describe("User Management: licenses", () => {
  it("every user starts with the default license", async () => {
    const { call } = testSite();
    const { status, body } = await call("GET", `${M}/userlicense/8278`);
    expect(status).toBe(200);
    expect(body).toEqual({ userId: 8278, licenseType: 1, description: "Standard" });
  });

  it("a license set with PUT /userlicense is read back, and listed with isBillable", async () => {
    const { call } = testSite();
    const set = await call("PUT", `${M}/userlicense`, {
      body: { userId: 8302, licenseType: 0, description: "Inactive" },
    });
    expect(set.status).toBe(200);
    expect((await call("GET", `${M}/userlicense/8302`)).body).toEqual({
      userId: 8302,
      licenseType: 0,
      description: "Inactive",
    });
    const nonBillable = await call("GET", `${M}/userlicenses`, { query: { isBillable: false } });
    expect(nonBillable.body).toEqual([{ userId: 8302, licenseType: 0, description: "Inactive", isBillable: false }]);
    expect((await call("GET", `${M}/userlicenses`, { query: { isBillable: true } })).body).toHaveLength(3);
    expect(
      (await call("GET", `${M}/userlicenses`, { query: { pageSize: 2, pageNumber: 2 } })).body.map(
        (item: { userId: number }) => item.userId,
      ),
    ).toEqual([8301, 8302]);
  });

  it("answers 400 for an unknown user or an incomplete license", async () => {
    const { call } = testSite();
    expect((await call("GET", `${M}/userlicense/999999`)).status).toBe(400);
    expect(
      (await call("PUT", `${M}/userlicense`, { body: { userId: 999999, licenseType: 1, description: "x" } })).status,
    ).toBe(400);
    expect((await call("PUT", `${M}/userlicense`, { body: { userId: 8278, licenseType: 1 } })).status).toBe(400);
  });
});

describe("User Management: user activity (POST /user/activity)", () => {
  it("answers { rows } with one API login per token issued to a user", async () => {
    const site = clockedSite();
    await site.token();
    const { status, body } = await site.call("POST", `${M}/user/activity`, { body: {} });
    expect(status).toBe(200);
    expect(body.rows).toEqual([
      {
        userId: 106,
        email: "api.user@mock.dealcloud.test",
        activity: 1,
        activityName: "Login Successful",
        source: 3,
        sourceName: "API",
        date: "2024-05-01T12:00:00.000",
      },
    ]);
    expect(body.totalRecords).toBe(1);
  });

  it("filters rows by users, activity and source, and pages them (10 by default)", async () => {
    const site = clockedSite();
    for (const scope of ["data", "publish", "backup", "ri_import", "user_management"]) await site.token(scope);
    expect(
      (await site.call("POST", `${M}/user/activity`, { body: {}, scope: "user_management" })).body.rows,
    ).toHaveLength(5);
    const paged = await site.call("POST", `${M}/user/activity`, {
      body: {},
      query: { pageSize: 2, pageNumber: 3 },
      scope: "user_management",
    });
    expect(paged.body).toMatchObject({ totalRecords: 5, rows: [expect.objectContaining({ userId: 106 })] });
    for (const filters of [{ userIds: [8278] }, { activity: 3 }, { source: 1 }, { activity: 8, exportDataType: 0 }]) {
      expect(
        (await site.call("POST", `${M}/user/activity`, { body: filters, scope: "user_management" })).body.rows,
      ).toEqual([]);
    }
    expect(
      (
        await site.call("POST", `${M}/user/activity`, {
          body: { userIDs: [106], activity: 1, source: 3 },
          scope: "user_management",
        })
      ).body.rows,
    ).toHaveLength(5);
  });

  it("leaves out logins outside the date range", async () => {
    const site = clockedSite();
    await site.token();
    site.advance(30 * DAY);
    // The first token has expired by now, so this call logs in again.
    const { body } = await site.call("POST", `${M}/user/activity`, {
      body: { dateFrom: new Date(T0 + 10 * DAY).toISOString() },
    });
    expect(body.rows.map((row: { date: string }) => row.date)).toEqual(["2024-05-31T12:00:00.000"]);
  });

  it("refuses dateTo less than one day after dateFrom", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user/activity`, {
      body: { dateFrom: "2024-03-01T00:00:00Z", dateTo: "2024-03-01T12:00:00Z" },
    });
    expect(status).toBe(400);
    expect(body.message).toContain("one day");
    expect(
      (
        await call("POST", `${M}/user/activity`, {
          body: { dateFrom: "2024-03-01T00:00:00Z", dateTo: "2024-03-02T00:00:00Z" },
        })
      ).status,
    ).toBe(200);
  });

  it("refuses a range over 90 days, including with the default dateTo", async () => {
    const site = clockedSite();
    const over = await site.call("POST", `${M}/user/activity`, {
      body: { dateFrom: "2024-01-01T00:00:00Z", dateTo: "2024-04-01T00:00:00Z" },
    });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain("90 days");
    expect(
      (
        await site.call("POST", `${M}/user/activity`, {
          body: { dateFrom: "2024-01-02T00:00:00Z", dateTo: "2024-04-01T00:00:00Z" },
        })
      ).status,
    ).toBe(200);
    expect(
      (await site.call("POST", `${M}/user/activity`, { body: { dateFrom: new Date(T0 - 91 * DAY).toISOString() } }))
        .status,
    ).toBe(400);
  });

  it("refuses exportDataType without activity 8, and values outside the enums", async () => {
    const { call } = testSite();
    const { status, body } = await call("POST", `${M}/user/activity`, { body: { activity: 1, exportDataType: 2 } });
    expect(status).toBe(400);
    expect(body.message).toContain("activity 8");
    for (const filters of [{ activity: 11 }, { source: 0 }, { activity: 8, exportDataType: 5 }, { userIds: "106" }]) {
      expect((await call("POST", `${M}/user/activity`, { body: filters })).status).toBe(400);
    }
  });
});

describe("User Management: reset", () => {
  it("restores the seeded users, proxies and licenses", async () => {
    const { call, mock } = testSite();
    await call("POST", `${M}/user`, { body: [{ email: "temp@example.test" }] });
    await call("POST", `${M}/user/proxy`, { body: { proxyUserId: 106, users: [] } });
    await call("PUT", `${M}/userlicense`, { body: { userId: 106, licenseType: 5, description: "Custom" } });
    mock.reset();
    expect((await call("GET", `${M}/user`)).body).toHaveLength(4);
    expect((await call("GET", `${M}/user/proxy`)).body).toHaveLength(1);
    expect((await call("GET", `${M}/userlicense/106`)).body.licenseType).toBe(1);
  });
});
