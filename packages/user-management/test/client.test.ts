import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createUserManagementClient, userManagement, type User, type UserActivityPage } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

// A user with the keys of the 2022 recording (camelCase, zone-less dates) [EX-FIX].
const user: User = {
  id: 8278,
  email: "firstname.lastname@acme.com",
  firstName: "FirstName",
  lastName: "LastName",
  isActive: true,
  isLocked: false,
  userTimeZoneId: "Eastern Standard Time",
  groups: [1, 12],
  createdDate: "2019-03-28T18:43:27.293",
  createdBy: 1,
  modifiedDate: "2022-05-10T09:12:44.117",
  modifiedBy: 8278,
};

describe("the userManagement descriptor", () => {
  it("declares scope user_management, the vendor's scope for User Management, on every operation", () => {
    expect(userManagement).toEqual({
      name: "userManagement",
      packageName: "@dealcloud-ts/user-management",
      basePath: "/api/rest/v1/management",
      scopes: ["user_management"],
      // Not creating users, inviting or shadow-adding them: a repeat could do it twice.
      idempotentOperations: [
        "DELETE /user",
        "PUT /user",
        "POST /user/activity",
        "POST /user/proxy",
        "DELETE /user/{userId}",
        "PUT /userlicense",
        "POST /users",
      ],
    });
  });
});

describe("createUserManagementClient", () => {
  it("pages users at /api/rest/v1/management/user with pageNumber and pageSize, with a token asked for scope user_management only", async () => {
    const mock = createMockDealCloud();
    const received: { method: string; search: string; authorized: boolean }[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v1/management/user`, ({ request }) => {
        received.push({
          method: request.method,
          search: new URL(request.url).search,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
        });
        return HttpResponse.json([user]);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createUserManagementClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.GET("/user", { params: { query: { pageNumber: 2, pageSize: 1000 } } });

    expect(error).toBeUndefined();
    expect(data).toEqual([user]);
    expect(received).toEqual([{ method: "GET", search: "?pageNumber=2&pageSize=1000", authorized: true }]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["user_management"]);
  });

  it("posts the activity filter as the camelCase JSON the docs show, with paging in the query, and returns the { rows } page", async () => {
    const mock = createMockDealCloud();
    const page: UserActivityPage = { rows: [{ userId: 8278, activity: 8, source: 3 }], totalRecords: 1 };
    const received: { method: string; path: string; search: string; authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/management/user/activity`, async ({ request }) => {
        const url = new URL(request.url);
        received.push({
          method: request.method,
          path: url.pathname,
          search: url.search,
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return HttpResponse.json(page);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createUserManagementClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.POST("/user/activity", {
      params: { query: { pageNumber: 1, pageSize: 10 } },
      body: {
        userIds: [8278],
        dateFrom: "2024-01-01T00:00:00Z",
        dateTo: "2024-01-31T00:00:00Z",
        activity: 8,
        source: 3,
        exportDataType: 0,
      },
    });

    expect(error).toBeUndefined();
    expect(data).toEqual(page);
    expect(received).toEqual([
      {
        method: "POST",
        path: "/api/rest/v1/management/user/activity",
        search: "?pageNumber=1&pageSize=10",
        authorized: true,
        body: {
          userIds: [8278],
          dateFrom: "2024-01-01T00:00:00Z",
          dateTo: "2024-01-31T00:00:00Z",
          activity: 8,
          source: 3,
          exportDataType: 0,
        },
      },
    ]);
    expect(mock.tokenRequests.map((record) => record.scope)).toEqual(["user_management"]);
  });

  it("sends a proxy assignment as { proxyUserId, users } and hands the vendor's 400 for an unknown proxy user back as error.message", async () => {
    const mock = createMockDealCloud();
    const received: { authorized: boolean; body: unknown }[] = [];
    server.use(
      http.post(`${BASE_URL}/api/rest/v1/management/user/proxy`, async ({ request }) => {
        received.push({
          authorized: mock.authenticate(request.headers.get("authorization")).ok,
          body: await request.json(),
        });
        return HttpResponse.json({ message: "Proxy user with provided id does not exist." }, { status: 400 });
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createUserManagementClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error, response } = await client.POST("/user/proxy", {
      body: { proxyUserId: 999999, users: [8278, 6045] },
    });

    expect(data).toBeUndefined();
    expect(response.status).toBe(400);
    expect(error?.message).toBe("Proxy user with provided id does not exist.");
    expect(received).toEqual([{ authorized: true, body: { proxyUserId: 999999, users: [8278, 6045] } }]);
  });

  it("reads one user at /user/{userId} as an object, not an array, as recorded in 2022", async () => {
    const mock = createMockDealCloud();
    const paths: string[] = [];
    server.use(
      http.get(`${BASE_URL}/api/rest/v1/management/user/:userId`, ({ request }) => {
        paths.push(new URL(request.url).pathname);
        return HttpResponse.json(user);
      }),
      ...mswHandlers(mock, { baseUrl: BASE_URL }),
    );
    const client = createUserManagementClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT });

    const { data, error } = await client.GET("/user/{userId}", { params: { path: { userId: 8278 } } });

    expect(error).toBeUndefined();
    expect(data).toEqual(user);
    expect(paths).toEqual(["/api/rest/v1/management/user/8278"]);
  });
});
