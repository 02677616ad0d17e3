// Compile-time specifications: `pnpm typecheck` fails if a line marked @ts-expect-error stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createUserManagementClient,
  type ErrorBody,
  type InviteUserRequest,
  type ProxyAssignment,
  type User,
  type UserActivityPage,
  type UserCreate,
  type UserGroup,
  paginateUserActivity,
  paginateUsers,
  type UserActivityPageRead,
  type UsersPage,
} from "../src/index.js";

const client = createUserManagementClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
const user8278 = { params: { path: { userId: 8278 } } } as const;

describe("the User Management API types", () => {
  it("model the recorded user: camelCase keys, isLocked and userTimeZoneId optional, dates as strings", () => {
    expectTypeOf<User["id"]>().toEqualTypeOf<number>();
    expectTypeOf<User["groups"]>().toEqualTypeOf<number[]>();
    expectTypeOf<User["createdDate"]>().toEqualTypeOf<string>();
    expectTypeOf<User["isLocked"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<User["userTimeZoneId"]>().toEqualTypeOf<string | undefined>();
    // A user to create may carry keys no source lists (e.g. federationId, whose type is unknown).
    expectTypeOf<{ email: string; federationId: "abc"; someKeyNotModelled: 1 }>().toExtend<UserCreate>();
    expectTypeOf<{
      email: string;
      groups: number[];
      autoCreateOrLinkContact: boolean;
      mappedContactId: number;
    }>().toExtend<InviteUserRequest>();
    expectTypeOf<{ email: string; groups: number[] }>().not.toExtend<InviteUserRequest>();
  });

  it("check paths and path parameters", () => {
    const typed = () => {
      void client.GET("/user/{userId}", user8278);
      void client.DELETE("/user/{userId}", user8278);
      void client.DELETE("/user", { params: { query: { userId: 8278 } } });
      // @ts-expect-error: the path parameter is required, so the init is too
      void client.GET("/user/{userId}");
      // @ts-expect-error: the userId path parameter is missing
      void client.GET("/user/{userId}", { params: { path: {} } });
      // @ts-expect-error: userId is an integer, not an email
      void client.GET("/user/{userId}", { params: { path: { userId: "firstname.lastname@acme.com" } } });
      // @ts-expect-error: one user is /user/{userId}, singular; /users is only POST (users by ids)
      void client.GET("/users/{userId}", user8278);
      // @ts-expect-error: /users takes the ids in a POST body, there is no GET /users
      void client.GET("/users", {});
      // @ts-expect-error: the group list is /user/group, not /user/groups
      void client.GET("/user/groups", {});
      // @ts-expect-error: the query reading of delete needs userId
      void client.DELETE("/user", {});
    };
    void typed;
  });

  it("check paging and filter parameters", () => {
    const typed = () => {
      void client.GET("/user", {
        params: { query: { pageNumber: 1, pageSize: 1000, email: "a@acme.com", userGroupID: 12 } },
      });
      void client.GET("/user/proxy", { params: { query: { proxyQuery: "Jane", searchByName: true, pageSize: 100 } } });
      // @ts-expect-error: pageSize is a number, not a string
      void client.GET("/user", { params: { query: { pageSize: "10" } } });
      // @ts-expect-error: pageNumber is a number
      void client.GET("/user/proxy", { params: { query: { pageNumber: "2" } } });
      // @ts-expect-error: the vendor spells it userGroupID, not userGroupId
      void client.GET("/user", { params: { query: { userGroupId: 12 } } });
      // @ts-expect-error: Management pages with pageNumber/pageSize, not Data's skip/limit
      void client.GET("/user", { params: { query: { skip: 0, limit: 100 } } });
    };
    void typed;
  });

  it("check body field types and names", () => {
    const typed = () => {
      void client.POST("/users", { body: [8278, 6045] });
      void client.PUT("/user", { body: [{ id: 8278, isActive: false }] });
      void client.POST("/user/proxy", { body: { proxyUserId: 8278, users: [6045] } });
      void client.POST("/user/activity", { body: {} });
      void client.POST("/user/invite", {
        body: { email: "a@acme.com", duration: 30, groups: [12], autoCreateOrLinkContact: true, mappedContactId: 0 },
      });
      // @ts-expect-error: the ids of POST /users are integers
      void client.POST("/users", { body: ["8278"] });
      // @ts-expect-error: a user to update is named by id, which is required
      void client.PUT("/user", { body: [{ isActive: false }] });
      // @ts-expect-error: isActive is a boolean
      void client.PUT("/user", { body: [{ id: 8278, isActive: "false" }] });
      // @ts-expect-error: userIds are integers
      void client.POST("/user/activity", { body: { userIds: ["x"] } });
      // @ts-expect-error: activity codes are 1 to 10
      void client.POST("/user/activity", { body: { activity: 11 } });
      // @ts-expect-error: the body is camelCase proxyUserId, not PascalCase ProxyUserId
      void client.POST("/user/proxy", { body: { ProxyUserId: 8278, users: [6045] } });
      // @ts-expect-error: the vendor docs name the principals users; userIds is the Elixir SDK's (probably wrong) reading
      void client.POST("/user/proxy", { body: { proxyUserId: 8278, userIds: [6045] } });
      // @ts-expect-error: an invitation needs mappedContactId
      void client.POST("/user/invite", { body: { email: "a@acme.com", groups: [12], autoCreateOrLinkContact: true } });
      void client.POST("/user/addexistinguser", {
        // @ts-expect-error: duration is a number of days
        body: { email: "a@acme.com", duration: "30d", groups: [12], autoCreateOrLinkContact: true, mappedContactId: 0 },
      });
    };
    void typed;
  });

  it("type the responses", () => {
    const typed = async () => {
      const page = await client.GET("/user", { params: { query: { pageNumber: 1 } } });
      expectTypeOf(page.data).toExtend<User[] | undefined>();
      const one = await client.GET("/user/{userId}", user8278);
      expectTypeOf(one.data).toExtend<User | undefined>();
      const byIds = await client.POST("/users", { body: [8278] });
      expectTypeOf(byIds.data).toExtend<User[] | undefined>();
      const group = await client.GET("/user/group/{groupId}", { params: { path: { groupId: 12 } } });
      expectTypeOf(group.data).toExtend<UserGroup | undefined>();
      const proxies = await client.GET("/user/proxy");
      expectTypeOf(proxies.data).toExtend<ProxyAssignment[] | undefined>();
      const activity = await client.POST("/user/activity", { body: { activity: 1 } });
      expectTypeOf(activity.data).toExtend<UserActivityPage | undefined>();
      // No public source shows these answers: they stay unknown rather than guessed.
      const created = await client.POST("/user", { body: [{ email: "a@acme.com" }] });
      expectTypeOf(created.data).toBeUnknown();
      const groups = await client.GET("/user/group");
      expectTypeOf(groups.data).toBeUnknown();
      if (page.error) expectTypeOf(page.error).toEqualTypeOf<ErrorBody>();
    };
    void typed;
  });
});

describe("the request init", () => {
  const throwing = createUserManagementClient({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    throwOnError: true,
  });

  it("refuses misspelt top-level keys in both modes", () => {
    const typed = () => {
      // @ts-expect-error: `header` for `headers`
      void client.GET("/user", { header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void client.GET("/user", { parms: { query: { pageSize: 100 } } });
      // @ts-expect-error: `bodyy` for `body`
      void client.POST("/users", { bodyy: [8278] });
      // @ts-expect-error: `param` for `params`
      void client.GET("/user/{userId}", { param: { path: { userId: 8278 } } });
      // @ts-expect-error: `header` for `headers`
      void throwing.GET("/user/{userId}", { ...user8278, header: { "As-User": 6045 } });
      // @ts-expect-error: `parms` for `params`
      void throwing.DELETE("/user", { parms: { query: { userId: 8278 } } });
      // @ts-expect-error: `bodyy` for `body`
      void throwing.PUT("/user", { bodyy: [{ id: 8278, isActive: false }] });
      // @ts-expect-error: `param` for `params`, through request(method, path, init)
      void throwing.request("get", "/user/{userId}", { param: { path: { userId: 8278 } } });
    };
    void typed;
  });

  it("takes every legitimate key, the per-call timeoutMs included", () => {
    const typed = async () => {
      const signal = new AbortController().signal;
      void client.GET("/user", {
        params: { query: { pageSize: 100 } },
        headers: { "As-User": 6045 },
        signal,
        timeoutMs: 5_000,
        cache: "no-store",
        credentials: "omit",
        keepalive: true,
        redirect: "error",
        parseAs: "json",
      });
      const { data } = await throwing.GET("/user/{userId}", { ...user8278, timeoutMs: 5_000, signal });
      expectTypeOf(data).toEqualTypeOf<User>();
      const { data: viaRequest } = await throwing.request("post", "/users", { body: [8278], timeoutMs: 5_000 });
      expectTypeOf(viaRequest).toExtend<User[]>();
    };
    void typed;
  });
});

describe("the paging helpers' types", () => {
  const plain = createUserManagementClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
  const throwing = createUserManagementClient({
    baseUrl: "https://acme.dealcloud.com",
    clientId: 1,
    clientSecret: "s",
    throwOnError: true,
  });

  it("type pages from the spec", () => {
    expectTypeOf(paginateUsers(plain)).toEqualTypeOf<AsyncIterable<UsersPage>>();
    expectTypeOf(paginateUsers(throwing)).toEqualTypeOf<AsyncIterable<UsersPage>>();
    expectTypeOf<UsersPage["users"]>().toEqualTypeOf<User[]>();
    expectTypeOf(paginateUserActivity(plain)).toEqualTypeOf<AsyncIterable<UserActivityPageRead>>();
    expectTypeOf<UserActivityPageRead["rows"]>().toEqualTypeOf<unknown[]>();
  });

  it("check the options", () => {
    const typed = () => {
      paginateUsers(plain, {
        email: "a@b.test",
        userGroupID: 2,
        modifiedSince: new Date(),
        pageSize: 500,
        concurrency: 2,
      });
      paginateUserActivity(plain, { filters: { activity: 8, exportDataType: 0 }, pageSize: 100 });
      // @ts-expect-error: pageSize is a number
      paginateUsers(plain, { pageSize: "100" });
      // @ts-expect-error: the group filter is an id
      paginateUsers(plain, { userGroupID: "API" });
      // @ts-expect-error: activity filters are typed from the spec
      paginateUserActivity(plain, { filters: { activity: "login" } });
    };
    void typed;
  });
});
