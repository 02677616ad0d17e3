import { AbortedError, InvalidOptionError, type PageProgress, PermissionDeniedError } from "@dealcloud-ts/client";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { describe, expect, it } from "vitest";
import { createUserManagementClient, paginateUserActivity, paginateUsers } from "../src/index.js";

const BASE_URL = "https://acme.dealcloud.com";
const MANAGEMENT = "/api/rest/v1/management";

/** An in-process mock site with `extraUsers` more users, behind a fetch that records the management requests. */
async function site(extraUsers = 0) {
  const mock = createMockDealCloud();
  const seen: URL[] = [];
  const fetch = async (input: Request | string, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname.startsWith(MANAGEMENT)) seen.push(url);
    return mock.handle(request);
  };
  const transport = { baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch };
  const client = createUserManagementClient(transport);
  for (let k = 0; k < extraUsers; k += 100) {
    const batch = Array.from({ length: Math.min(100, extraUsers - k) }, (_, n) => ({
      firstName: "Test",
      lastName: `User ${k + n}`,
      email: `test.user.${k + n}@acme.test`,
      groups: [2],
    }));
    await client.POST("/user", { body: batch });
  }
  seen.length = 0;
  return { mock, seen, client, transport };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const pageNumbers = (seen: readonly URL[]) => seen.map((url) => Number(url.searchParams.get("pageNumber")));

describe("paginateUsers", () => {
  it("stops at the short page, with no request past the end (concurrency 1)", async () => {
    const { seen, client } = await site(246);
    const pages = await all(paginateUsers(client, { pageSize: 100 }));
    expect(pages.map((page) => page.users.length)).toEqual([100, 100, 50]);
    expect(pages.map((page) => page.pageNumber)).toEqual([1, 2, 3]);
    expect(new Set(pages.flatMap((page) => page.users.map((user) => user.id))).size).toBe(250);
    expect(pageNumbers(seen)).toEqual([1, 2, 3]);
    expect(seen.every((url) => url.searchParams.get("pageSize") === "100")).toBe(true);
  });

  it("stops at the empty page after a full one", async () => {
    const { seen, client } = await site(196);
    const pages = await all(paginateUsers(client, { pageSize: 100 }));
    expect(pages.map((page) => page.users.length)).toEqual([100, 100, 0]);
    expect(pageNumbers(seen)).toEqual([1, 2, 3]);
  });

  it("with concurrency 4 yields nothing past the end and sends at most 3 extra requests", async () => {
    const { seen, client } = await site(246);
    const pages = await all(paginateUsers(client, { pageSize: 50, concurrency: 4 }));
    // 250 users in pages of 50: five full pages, then the empty one that ends the list.
    expect(pages.map((page) => page.users.length)).toEqual([50, 50, 50, 50, 50, 0]);
    const extra = pageNumbers(seen).filter((number) => number > 6);
    expect(extra.length).toBeLessThanOrEqual(3);
    expect(new Set(pageNumbers(seen)).size).toBe(seen.length);
  });

  it("keeps the filters on every page and reports progress without a total", async () => {
    const { seen, client } = await site(30);
    const progress: PageProgress[] = [];
    const since = new Date(Date.now() - 60_000);
    const pages = await all(
      paginateUsers(client, {
        pageSize: 10,
        modifiedSince: since,
        userGroupID: 2,
        onProgress: (p) => progress.push(p),
      }),
    );
    expect(pages.flatMap((page) => page.users)).toHaveLength(30);
    expect(seen.every((url) => url.searchParams.get("userGroupID") === "2")).toBe(true);
    expect(seen.every((url) => url.searchParams.get("modifiedSince") === since.toISOString())).toBe(true);
    expect(progress.map(({ done, total, pages }) => [done, total, pages])).toEqual([
      [10, undefined, 1],
      [20, undefined, 2],
      [30, undefined, 3],
      [30, undefined, 4],
    ]);
  });

  it("checks its options before any request", async () => {
    const { seen, client, mock } = await site();
    const tokensBefore = mock.tokenRequests.length;
    expect(() => paginateUsers(client, { pageSize: 1001 })).toThrow(/pass pageSize as an integer from 1 to 1000/);
    expect(() => paginateUsers(client, { modifiedSince: "yesterday" })).toThrow(InvalidOptionError);
    expect(() => paginateUsers(client, { userGroupID: "2" as never })).toThrow(/userGroupID/);
    expect(() => paginateUsers(client, { concurrency: 99 })).toThrow(/concurrency/);
    expect(seen).toHaveLength(0);
    expect(mock.tokenRequests.length).toBe(tokensBefore);
  });

  it("an HTTP error rejects with the typed error, in the plain and the throwing form; abort rejects with AbortedError", async () => {
    const { mock, client, transport } = await site();
    const throwing = createUserManagementClient({ ...transport, throwOnError: true });
    for (const form of [client, throwing]) {
      mock.faults.add({ route: "user-management", status: 403 });
      await expect(all(paginateUsers(form))).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(all(paginateUsers(form, { signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(AbortedError);
    }
  });
});

describe("paginateUserActivity", () => {
  it("pages the activity log with the filters on every page and stops at the end", async () => {
    const { mock } = await site();
    // The mock logs one "Login Successful" per token it issues to a site user: 25 logins.
    for (let n = 0; n < 25; n++) {
      await mock.handle(
        new Request(`${BASE_URL}/api/rest/v1/oauth/token`, {
          method: "POST",
          body: new URLSearchParams({ grant_type: "client_credentials", ...DEFAULT_MOCK_CLIENT_FORM, scope: "data" }),
        }),
      );
    }
    const seenBodies: unknown[] = [];
    const fetch = async (input: Request | string, init?: RequestInit) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname.endsWith("/user/activity")) seenBodies.push(await request.clone().json());
      return mock.handle(request);
    };
    const recording = createUserManagementClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch });
    const pages = await all(paginateUserActivity(recording, { filters: { activity: 1 }, pageSize: 10 }));
    const rows = pages.flatMap((page) => page.rows);
    expect(rows.length).toBe(pages[0]!.totalRecords);
    expect(rows.length).toBeGreaterThanOrEqual(25);
    expect(pages.map((page) => page.pageNumber)).toEqual(pages.map((_, k) => k + 1));
    expect(seenBodies.every((body) => JSON.stringify(body) === '{"activity":1}')).toBe(true);
  });
});

const DEFAULT_MOCK_CLIENT_FORM = {
  client_id: DEFAULT_MOCK_CLIENT.clientId,
  client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
};
