/**
 * Typed client for the DealCloud User Management API (`/api/rest/v1/management`, scope `user_management`): users, user groups, proxy assignments, licenses and user activity of a site. Types are generated from
 * `openapi.yaml`, reconstructed from public sources; each operation's TSDoc says what it is known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { userManagement } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { userManagement };
export type * from "./generated/openapi.js";
export {
  paginateUserActivity,
  paginateUsers,
  type AnyUserManagementClient,
  type ManagementPagingOptions,
  type PaginateUserActivityOptions,
  type PaginateUsersOptions,
  type UserActivityPageRead,
  type UsersPage,
} from "./paging.js";

/** A typed client for the User Management API. */
export type UserManagementClient = ApiClient<paths>;

/**
 * A typed client for the User Management API, asking for tokens with scope `user_management` only.
 * Pages with `pageNumber` (from 1) and `pageSize` (at most 1,000), not Data's `skip`/`limit`.
 *
 * @example
 * ```ts
 * import { createUserManagementClient } from "@dealcloud-ts/user-management";
 *
 * const users = createUserManagementClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const { data: page } = await users.GET("/user", { params: { query: { pageNumber: 1, pageSize: 1000 } } });
 * for (const user of page ?? []) console.log(user.id, user.email, user.isActive);
 * ```
 */
export function createUserManagementClient(
  options: ApiClientOptions & { throwOnError: true },
): ThrowingApiClient<paths>;
export function createUserManagementClient(options: ApiClientOptions): UserManagementClient;
export function createUserManagementClient(options: ApiClientOptions): UserManagementClient | ThrowingApiClient<paths> {
  return createApiClient(userManagement, options);
}
