import {
  checkPagingOptions,
  InvalidOptionError,
  type PageProgress,
  paginate,
  sendRequest,
  type ThrowingApiClient,
  UnexpectedAnswerError,
} from "@dealcloud-ts/client";
import type { paths, User, UserActivityRequest } from "./generated/openapi.js";
import type { UserManagementClient } from "./index.js";

/** Either form of the User Management client: plain (`{ data, error }`) or throwing (`throwOnError: true`). */
export type AnyUserManagementClient = UserManagementClient | ThrowingApiClient<paths>;

/** The options both paged User Management helpers share. */
export interface ManagementPagingOptions {
  /**
   * Pages fetched ahead of the one being read, and the most ever held; default 1. These lists carry no total,
   * so with more than 1 up to `concurrency - 1` requests past the last page are sent (and aborted).
   */
  concurrency?: number | undefined;
  /** Stops the read: requests in flight are aborted, none is sent after, and it rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Called once per page, in order: items so far (`done`), `total` when the API says, `pages`, `elapsedMs`. */
  onProgress?: ((progress: PageProgress) => void) | undefined;
}

/** Options of {@link paginateUsers}: the filters of `GET /user`, and paging. */
export interface PaginateUsersOptions extends ManagementPagingOptions {
  /** Only users modified since then. */
  modifiedSince?: Date | string | undefined;
  /** Only the user with this email address. */
  email?: string | undefined;
  /** Only the members of this user group. */
  userGroupID?: number | undefined;
  /** Users per request, 1 to 1,000 (DealCloud's maximum); default 1,000. */
  pageSize?: number | undefined;
}

/** One page of users. */
export interface UsersPage {
  /** The page's users. */
  users: User[];
  /** The page's number, from 1. */
  pageNumber: number;
}

/** Options of {@link paginateUserActivity}: the activity filters (the request body) and paging. */
export interface PaginateUserActivityOptions extends ManagementPagingOptions {
  /** The filters, sent with every page; DealCloud's defaults (the last 90 days) when omitted. */
  filters?: UserActivityRequest | undefined;
  /** Activity rows per request, 1 to 1,000; default 10, DealCloud's default (its maximum is not documented). */
  pageSize?: number | undefined;
}

/** One page of user activity. */
export interface UserActivityPageRead {
  /** The page's activity rows; their shape is not documented. */
  rows: unknown[];
  /** The page's number, from 1. */
  pageNumber: number;
  /** How many rows match, when the answer says (likely but not documented). */
  totalRecords: number | undefined;
}

const MAX_PAGE_SIZE = 1000;

function checkPageSize(where: string, pageSize: unknown): void {
  if (
    pageSize !== undefined &&
    !(Number.isInteger(pageSize) && (pageSize as number) >= 1 && (pageSize as number) <= MAX_PAGE_SIZE)
  )
    throw new InvalidOptionError(where, "pageSize", `an integer from 1 to ${MAX_PAGE_SIZE}`, pageSize);
}

/** A date option as the ISO string the API takes, or a typed error. */
function isoDate(where: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidOptionError(where, name, "a Date or an ISO 8601 date-time", value);
  return new Date(ms).toISOString();
}

/**
 * Reads all users that match the filters (`GET /user`), as pages in order: `pageNumber` from 1, `pageSize` up to
 * 1,000. The answer carries no total, so the read stops at the first short or empty page.
 *
 * @example
 * ```ts
 * import { createUserManagementClient, paginateUsers } from "@dealcloud-ts/user-management";
 *
 * const users = createUserManagementClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const page of paginateUsers(users, { pageSize: 500 })) {
 *   for (const user of page.users) console.log(user.id, user.email, user.isActive);
 * }
 * ```
 */
export function paginateUsers(
  client: AnyUserManagementClient,
  options: PaginateUsersOptions = {},
): AsyncIterable<UsersPage> {
  const where = "paginateUsers";
  checkPageSize(where, options.pageSize);
  checkPagingOptions(where, options);
  const { email, userGroupID, pageSize = MAX_PAGE_SIZE } = options;
  if (email !== undefined && typeof email !== "string") throw new InvalidOptionError(where, "email", "a string", email);
  if (userGroupID !== undefined && !Number.isInteger(userGroupID))
    throw new InvalidOptionError(where, "userGroupID", "a user group id", userGroupID);
  const modifiedSince = isoDate(where, "modifiedSince", options.modifiedSince);
  return paginate({
    ...options,
    operation: where,
    inspect: (page: UsersPage) => ({ items: page.users.length, last: page.users.length < pageSize }),
    async fetchPage(index, signal) {
      const pageNumber = index + 1;
      const query = { modifiedSince, email, userGroupID, pageNumber, pageSize };
      const users = await sendRequest(client, "GET", "/user", { params: { query }, signal });
      if (!Array.isArray(users)) throw new UnexpectedAnswerError("GET /user", "an array");
      return { users, pageNumber };
    },
  });
}

/**
 * Reads the user activity log (`POST /user/activity`), as pages in order, the same `filters` on every page. It
 * stops at a short or empty page, or at `totalRecords` when the answer has it (likely, but not documented).
 *
 * @example
 * ```ts
 * import { createUserManagementClient, paginateUserActivity } from "@dealcloud-ts/user-management";
 *
 * const users = createUserManagementClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const page of paginateUserActivity(users, { filters: { activity: 8 }, pageSize: 100 })) {
 *   console.log(page.pageNumber, page.rows.length);
 * }
 * ```
 */
export function paginateUserActivity(
  client: AnyUserManagementClient,
  options: PaginateUserActivityOptions = {},
): AsyncIterable<UserActivityPageRead> {
  const where = "paginateUserActivity";
  checkPageSize(where, options.pageSize);
  checkPagingOptions(where, options);
  const { filters = {}, pageSize = 10 } = options;
  if (typeof filters !== "object" || filters === null || Array.isArray(filters))
    throw new InvalidOptionError(where, "filters", "an object of activity filters", filters);
  return paginate({
    ...options,
    operation: where,
    inspect: (page: UserActivityPageRead) => ({
      items: page.rows.length,
      total: page.totalRecords,
      pages: page.totalRecords === undefined ? undefined : Math.ceil(page.totalRecords / pageSize),
      last: page.rows.length < pageSize,
    }),
    async fetchPage(index, signal) {
      const pageNumber = index + 1;
      const init = { params: { query: { pageNumber, pageSize } }, body: filters, signal };
      const answer = (await sendRequest(client, "POST", "/user/activity", init)) as {
        rows?: unknown;
        totalRecords?: unknown;
      };
      if (!Array.isArray(answer?.rows)) throw new UnexpectedAnswerError("POST /user/activity", "a rows array");
      const total = answer.totalRecords;
      return { rows: answer.rows, pageNumber, totalRecords: typeof total === "number" ? total : undefined };
    },
  });
}
