import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest } from "../http-error.js";
import type { SiteUser } from "../state/users.js";
import { intArray, objectBody, pageOf, pageParams, prop, requiredInt } from "./body-fields.js";
import { arrayBody, boolParam, dateParam, intParam, isObject } from "./params.js";
import { userChanges } from "./site-events.js";
import { renderUserGroup, SITE_USER_GROUPS } from "./user-groups.js";

/**
 * The User Management API (catalogue §5), over the site's shared users (`context.users`): the same users and
 * proxy assignments the Data API's `As-User` checks. Groups are fixed (`user-groups.ts`); licenses live in the
 * area. Messages the vendor documents are verbatim; the others are the mock's own.
 */

/** The site's dedicated email domain, for `addexistinguser` (the mock site's host). */
export const SITE_EMAIL_DOMAIN = "mock.dealcloud.test";

const NO_USER = "User with provided id does not exist.";
const NO_GROUP = "There is no user group with provided id.";
const NO_PROXY_USER = "Proxy user with provided id does not exist.";
const DAY = 86_400_000;

/** Activity codes and names (catalogue §5.2). */
const ACTIVITY_NAMES: Readonly<Record<number, string>> = {
  1: "Login Successful",
  2: "Login Failed",
  3: "Logout",
  4: "Session Expired",
  5: "LoginFailedLockedOut",
  6: "LoginFailedRequiresVerification",
  7: "LoginFailedForbidden",
  8: "Export Data",
  9: "UserSwitch",
  10: "BackupAccess",
};
const SOURCE_NAMES: Readonly<Record<number, string>> = { 1: "Web UI", 2: "Mobile", 3: "API", 4: "Add-In" };

/** A zone-less date-time with milliseconds, as the recorded User shows (`2019-03-28T18:43:27.293`); UTC wall time (the zone is not stated). */
export function formatUserDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

/** A user as the API answers it (catalogue §5.2). `federationId` is stored but not answered: the spec's User lacks it. */
export function renderUser(user: SiteUser): Record<string, unknown> {
  return {
    id: user.id,
    email: user.email,
    firstName: user.firstName,
    lastName: user.lastName,
    isActive: user.isActive,
    isLocked: user.isLocked,
    userTimeZoneId: user.userTimeZoneId,
    groups: [...user.groups],
    createdDate: formatUserDate(user.createdDate),
    createdBy: user.createdBy,
    modifiedDate: formatUserDate(user.modifiedDate),
    modifiedBy: user.modifiedBy,
  };
}

/** A license (the Elixir SDK's `{ userId, licenseType, description }`; codes unknown). */
interface License {
  licenseType: number;
  description: string;
}

/** Every user starts with this license (the mock's assumption: license codes are not documented). */
const DEFAULT_LICENSE: License = { licenseType: 1, description: "Standard" };

export function createUserManagementArea(context: SiteContext): ApiArea {
  const { users } = context;
  const changes = userChanges(context);
  let licenses = new Map<number, License>();

  const now = () => context.settings.now();
  const actor = (call: ApiCall) => call.userId ?? 0;
  const announce = (kind: "created" | "updated" | "deleted", changed: readonly SiteUser[], call: ApiCall) => {
    if (changed.length > 0) changes.emit({ kind, users: changed.map(renderUser), userId: call.userId, at: now() });
  };

  function userOr400(id: number): SiteUser {
    return users.get(id) ?? badRequest(NO_USER);
  }

  function pathId(call: ApiCall, name: string): number {
    const raw = call.params[name] ?? "";
    return /^-?\d+$/.test(raw) ? Number(raw) : badRequest(`${name} must be an integer (got ${JSON.stringify(raw)}).`);
  }

  function checkGroups(value: unknown, name: string): number[] {
    const groups = intArray(value, name);
    for (const id of groups) if (!SITE_USER_GROUPS.some((group) => group.id === id)) badRequest(NO_GROUP);
    return [...new Set(groups)];
  }

  function optionalString(body: Record<string, unknown>, key: string, where: string): string | undefined {
    const value = prop(body, key);
    if (value === undefined || value === null) return undefined;
    return typeof value === "string" ? value : badRequest(`${key} must be a string (${where}).`);
  }

  function optionalBool(body: Record<string, unknown>, key: string, where: string): boolean | undefined {
    const value = prop(body, key);
    if (value === undefined || value === null) return undefined;
    return typeof value === "boolean" ? value : badRequest(`${key} must be true or false (${where}).`);
  }

  function email(value: unknown, where: string): string {
    if (typeof value !== "string" || !/^[^@\s]+@[^@\s]+$/.test(value.trim()))
      badRequest(`email must be an email address (${where}).`);
    return (value as string).trim();
  }

  /** Names for a user known only by email: `jane.doe@…` gives Jane / Doe (the mock's choice). */
  function namesFrom(address: string): { firstName: string; lastName: string } {
    const [first = "", ...rest] = address
      .split("@")[0]!
      .split(/[._-]+/)
      .filter(Boolean);
    const title = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
    return { firstName: title(first), lastName: rest.map(title).join(" ") };
  }

  function alreadyInUniverse(address: string): never {
    return badRequest(
      `A user with email ${address} already exists in the DealCloud Universe: invite them (POST /user/invite) ` +
        "or add them as an existing user (POST /user/addexistinguser) instead.",
    );
  }

  // ---- Users -------------------------------------------------------------------------------------------------

  function listUsers(call: ApiCall): Response {
    const since = dateParam(call.query.get("modifiedSince") ?? undefined, "modifiedSince");
    const address = call.query.get("email");
    // An unknown group filters everything out (the mock's assumption; the vendor's answer is not documented).
    const groupId = intParam(call.query.get("userGroupID") ?? undefined, "userGroupID", 1);
    const page = pageParams(call, 10, 1000);
    const found = users
      .all()
      .filter((user) => since === undefined || user.modifiedDate >= since)
      .filter((user) => !address || user.email.toLowerCase() === address.trim().toLowerCase())
      .filter((user) => groupId === undefined || user.groups.includes(groupId));
    return json(200, pageOf(found, page).map(renderUser));
  }

  function getUser(call: ApiCall): Response {
    return json(200, renderUser(userOr400(pathId(call, "userId"))));
  }

  async function getUsersByIds(call: ApiCall): Promise<Response> {
    const ids = intArray(await call.json(), "The body");
    // Unknown ids are left out (the mock's assumption); the answer keeps the order asked for.
    const found = [...new Set(ids)].map((id) => users.get(id)).filter((user): user is SiteUser => user !== undefined);
    return json(200, found.map(renderUser));
  }

  async function createUsers(call: ApiCall): Promise<Response> {
    const items = arrayBody(await call.json(), "users to create");
    const seen = new Set<string>();
    // Check every item first: a bad one fails the whole request (the mock's assumption).
    const planned = items.map((item, index) => {
      const where = `user ${index + 1} of the body`;
      if (!isObject(item)) return badRequest(`Each user must be an object (${where}).`);
      const address = email(prop(item, "email"), where);
      if (users.byEmail(address) || seen.has(address.toLowerCase())) alreadyInUniverse(address);
      seen.add(address.toLowerCase());
      const federation = prop(item, "federationId");
      if (
        federation !== undefined &&
        federation !== null &&
        typeof federation !== "string" &&
        typeof federation !== "number"
      ) {
        badRequest(`federationId must be a string (${where}).`);
      }
      return {
        email: address,
        firstName: optionalString(item, "firstName", where) ?? "",
        lastName: optionalString(item, "lastName", where) ?? "",
        isActive: optionalBool(item, "isActive", where) ?? true,
        // New users get UTC unless a Windows zone name is sent (the mock's assumption).
        userTimeZoneId: optionalString(item, "userTimeZoneId", where) ?? "UTC",
        groups: prop(item, "groups") === undefined ? [] : checkGroups(prop(item, "groups"), `groups (${where})`),
        ...(federation !== undefined && federation !== null ? { federationId: String(federation) } : {}),
      };
    });
    const at = now();
    const created = planned.map((user) => users.add({ ...user, createdBy: actor(call), modifiedBy: actor(call) }, at));
    announce("created", created, call);
    return json(200, created.map(renderUser));
  }

  async function updateUsers(call: ApiCall): Promise<Response> {
    const items = arrayBody(await call.json(), "users to update, each with its id");
    const claimed = new Map<string, number>();
    // Omitted keys keep their values (the mock's assumption); every item is checked before any is applied.
    const planned = items.map((item, index) => {
      const where = `user ${index + 1} of the body`;
      if (!isObject(item)) return badRequest(`Each user must be an object with an id (${where}).`);
      const user = userOr400(requiredInt(prop(item, "id"), `id (${where})`));
      const rawEmail = prop(item, "email");
      const address = rawEmail === undefined || rawEmail === null ? undefined : email(rawEmail, where);
      if (address !== undefined) {
        const owner = users.byEmail(address);
        const claimedBy = claimed.get(address.toLowerCase());
        if ((owner && owner.id !== user.id) || (claimedBy !== undefined && claimedBy !== user.id)) {
          badRequest(`Another user already has the email ${address}.`);
        }
        claimed.set(address.toLowerCase(), user.id);
      }
      const firstName = optionalString(item, "firstName", where);
      const lastName = optionalString(item, "lastName", where);
      const isActive = optionalBool(item, "isActive", where);
      const isLocked = optionalBool(item, "isLocked", where);
      const userTimeZoneId = optionalString(item, "userTimeZoneId", where);
      const groups =
        prop(item, "groups") === undefined || prop(item, "groups") === null
          ? undefined
          : checkGroups(prop(item, "groups"), `groups (${where})`);
      return () => {
        if (address !== undefined) user.email = address;
        if (firstName !== undefined) user.firstName = firstName;
        if (lastName !== undefined) user.lastName = lastName;
        if (isActive !== undefined) user.isActive = isActive;
        if (isLocked !== undefined) user.isLocked = isLocked;
        if (userTimeZoneId !== undefined) user.userTimeZoneId = userTimeZoneId;
        if (groups !== undefined) user.groups = groups;
        user.modifiedDate = now();
        user.modifiedBy = actor(call);
        return user;
      };
    });
    const updated = [...new Set(planned.map((apply) => apply()))];
    announce("updated", updated, call);
    return json(200, updated.map(renderUser));
  }

  function deleteUserById(id: number, call: ApiCall): Response {
    const user = userOr400(id);
    const rendered = renderUser(user);
    users.remove(id);
    licenses.delete(id);
    announce("deleted", [user], call);
    // The answer is undocumented: the mock answers the deleted user.
    return json(200, rendered);
  }

  function deleteUserFromQuery(call: ApiCall): Response {
    const raw = call.query.get("userId");
    if (raw === null || raw.trim() === "") badRequest("userId is required: DELETE /user?userId=<id>.");
    return deleteUserById(intParam(raw, "userId", 1)!, call);
  }

  /** The body of invite and add-existing-user, with the keys the spec requires (catalogue §5.1 U7). */
  async function inviteBody(call: ApiCall) {
    const body = objectBody(
      await call.json(),
      "{ email, groups, autoCreateOrLinkContact, mappedContactId, duration? }",
    );
    const address = email(prop(body, "email"), "the invitation");
    if (prop(body, "groups") === undefined)
      badRequest("groups is required: the ids of the user groups to put the user in.");
    const groups = checkGroups(prop(body, "groups"), "groups");
    if (typeof prop(body, "autoCreateOrLinkContact") !== "boolean")
      badRequest("autoCreateOrLinkContact is required and must be true or false.");
    requiredInt(prop(body, "mappedContactId"), "mappedContactId");
    const duration = prop(body, "duration");
    if (duration !== undefined && duration !== null) requiredInt(duration, "duration (days of temporary access)", 1);
    if (users.byEmail(address)) badRequest(`A user with email ${address} is already a user of this site.`);
    return { address, groups };
  }

  async function inviteUser(call: ApiCall): Promise<Response> {
    const { address, groups } = await inviteBody(call);
    // The invited user stays inactive until someone activates them (the mock cannot accept invitations).
    const user = users.add(
      {
        email: address,
        ...namesFrom(address),
        isActive: false,
        userTimeZoneId: "UTC",
        groups,
        createdBy: actor(call),
        modifiedBy: actor(call),
      },
      now(),
    );
    announce("created", [user], call);
    return json(200, renderUser(user));
  }

  async function addExistingUser(call: ApiCall): Promise<Response> {
    const { address, groups } = await inviteBody(call);
    const domain = address.split("@")[1]!.toLowerCase();
    if (domain !== SITE_EMAIL_DOMAIN) {
      badRequest(
        `Only users whose email domain matches the site's domain (${SITE_EMAIL_DOMAIN}) can be added as existing users; ` +
          "invite others with POST /user/invite.",
      );
    }
    const user = users.add(
      {
        email: address,
        ...namesFrom(address),
        isActive: true,
        userTimeZoneId: "UTC",
        groups,
        createdBy: actor(call),
        modifiedBy: actor(call),
      },
      now(),
    );
    announce("created", [user], call);
    return json(200, renderUser(user));
  }

  // ---- Groups ------------------------------------------------------------------------------------------------

  const membersOf = (groupId: number) =>
    users
      .all()
      .filter((user) => user.groups.includes(groupId))
      .map((user) => user.id);

  function listUserGroups(call: ApiCall): Response {
    // Paging defaults are undocumented: 100 per page, at most 1000, like the proxy list (the mock's assumption).
    const page = pageParams(call, 100, 1000);
    return json(
      200,
      pageOf(SITE_USER_GROUPS, page).map((group) => renderUserGroup(group, membersOf(group.id))),
    );
  }

  function getUserGroup(call: ApiCall): Response {
    const raw = call.params["groupId"] ?? "";
    const group = /^\d+$/.test(raw) ? SITE_USER_GROUPS.find((candidate) => candidate.id === Number(raw)) : undefined;
    if (!group) return badRequest(NO_GROUP);
    return json(200, renderUserGroup(group, membersOf(group.id)));
  }

  // ---- Proxy assignments -------------------------------------------------------------------------------------

  const proxyUser = (user: SiteUser) => ({ id: user.id, email: user.email, fullName: users.nameOf(user) });

  function listProxyAssignments(call: ApiCall): Response {
    const byName = boolParam(call.query.get("searchByName") ?? undefined, "searchByName") ?? false;
    const page = pageParams(call, 100, 1000);
    // A query matches the email, or the full name with searchByName=true, as a case-insensitive substring (the mock's reading).
    const matches = (user: SiteUser, query: string | null) =>
      query === null ||
      query.trim() === "" ||
      (byName ? users.nameOf(user) : user.email).toLowerCase().includes(query.trim().toLowerCase());
    const proxyQuery = call.query.get("proxyQuery");
    const userQuery = call.query.get("userQuery");
    const assignments = users
      .proxyUsers()
      .sort((a, b) => a - b)
      .map((id) => users.get(id))
      .filter((user): user is SiteUser => user !== undefined && matches(user, proxyQuery))
      .map((proxy) => ({
        proxyUser: proxyUser(proxy),
        users: users
          .principalsOf(proxy.id)
          .map((id) => users.get(id))
          .filter((user): user is SiteUser => user !== undefined && matches(user, userQuery))
          .map(proxyUser),
      }))
      .filter((assignment) => assignment.users.length > 0);
    return json(200, pageOf(assignments, page));
  }

  async function setProxyAssignment(call: ApiCall): Promise<Response> {
    const body = objectBody(await call.json(), "{ proxyUserId, users: [principal user ids] }");
    const proxyId = requiredInt(prop(body, "proxyUserId"), "proxyUserId");
    if (prop(body, "users") === undefined) {
      badRequest(
        prop(body, "userIds") !== undefined
          ? "users is required (the principal user ids); userIds is not read."
          : "users is required: the ids of the principal users the proxy user may act on behalf of.",
      );
    }
    const principals = intArray(prop(body, "users"), "users");
    const proxy = users.get(proxyId);
    if (!proxy) return badRequest(NO_PROXY_USER);
    for (const id of principals) if (!users.get(id)) badRequest(`${NO_USER} (principal ${id})`);
    // Replaces the proxy user's principals (catalogue §5.1 U12).
    users.setPrincipals(
      proxyId,
      principals.filter((id) => id !== proxyId),
    );
    return json(200, {
      proxyUser: proxyUser(proxy),
      users: users.principalsOf(proxyId).map((id) => proxyUser(users.get(id)!)),
    });
  }

  // ---- Licenses ----------------------------------------------------------------------------------------------

  const licenseOf = (userId: number) => ({ userId, ...(licenses.get(userId) ?? DEFAULT_LICENSE) });

  function getUserLicense(call: ApiCall): Response {
    const user = userOr400(pathId(call, "userId"));
    return json(200, licenseOf(user.id));
  }

  function listUserLicenses(call: ApiCall): Response {
    const billable = boolParam(call.query.get("isBillable") ?? undefined, "isBillable");
    // Paging defaults are undocumented: 100 per page, at most 1000 (the mock's assumption).
    const page = pageParams(call, 100, 1000);
    // A license is billable unless its licenseType is 0 (the mock's assumption: the codes are not documented).
    const all = users.all().map((user) => {
      const license = licenseOf(user.id);
      return { ...license, isBillable: license.licenseType !== 0 };
    });
    return json(
      200,
      pageOf(billable === undefined ? all : all.filter((license) => license.isBillable === billable), page),
    );
  }

  async function setUserLicense(call: ApiCall): Promise<Response> {
    const body = objectBody(await call.json(), "{ userId, licenseType, description }");
    const user = userOr400(requiredInt(prop(body, "userId"), "userId"));
    const licenseType = requiredInt(prop(body, "licenseType"), "licenseType", 0);
    const description = prop(body, "description");
    if (typeof description !== "string") badRequest("description is required and must be a string.");
    licenses.set(user.id, { licenseType, description: description as string });
    return json(200, licenseOf(user.id));
  }

  // ---- Activity ----------------------------------------------------------------------------------------------

  /**
   * The activity the mock records: one "Login Successful" (1) from the "API" source (3) per access token issued
   * to a user of the site (the mock's choice; the real log's rows are not documented).
   */
  function activityRows() {
    return [...context.tokens.issued.values()]
      .filter((token) => /^\d+$/.test(token.clientId) && users.get(Number(token.clientId)) !== undefined)
      .sort((a, b) => a.issuedAt - b.issuedAt)
      .map((token) => {
        const user = users.get(Number(token.clientId))!;
        return { at: token.issuedAt, userId: user.id, email: user.email, activity: 1, source: 3 };
      });
  }

  function enumValue(
    body: Record<string, unknown>,
    key: string,
    allowed: Readonly<Record<number, string>>,
  ): number | undefined {
    const value = prop(body, key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !(value in allowed))
      badRequest(`${key} must be one of ${Object.keys(allowed).join(", ")} (got ${JSON.stringify(value)}).`);
    return value as number;
  }

  async function getUserActivity(call: ApiCall): Promise<Response> {
    const page = pageParams(call, 10);
    const body = objectBody(await call.json(), "the activity filters ({} for the defaults)");
    const rawIds = prop(body, "userIds");
    const userIds = rawIds === undefined || rawIds === null ? undefined : intArray(rawIds, "userIds");
    const fromMs = dateParam(prop(body, "dateFrom"), "dateFrom") ?? now() - 90 * DAY;
    const toMs = dateParam(prop(body, "dateTo"), "dateTo") ?? now();
    // "Evaluated to the nearest day": the mock compares UTC calendar days.
    const fromDay = Math.floor(fromMs / DAY);
    const toDay = Math.floor(toMs / DAY);
    if (toDay - fromDay < 1) badRequest("dateTo must be at least one day after dateFrom.");
    if (toDay - fromDay > 90) badRequest("The range from dateFrom to dateTo may not exceed 90 days.");
    const activity = enumValue(body, "activity", ACTIVITY_NAMES);
    const source = enumValue(body, "source", SOURCE_NAMES);
    const exportDataType = enumValue(body, "exportDataType", {
      0: "Export Data",
      1: "Export Formula",
      2: "Export Image",
      3: "Download Document",
      4: "Template Report",
    });
    if (exportDataType !== undefined && activity !== 8)
      badRequest("exportDataType can only be used with activity 8 (Export Data).");
    const rows = activityRows()
      .filter((row) => Math.floor(row.at / DAY) >= fromDay && Math.floor(row.at / DAY) <= toDay)
      .filter((row) => userIds === undefined || userIds.includes(row.userId))
      .filter((row) => activity === undefined || row.activity === activity)
      .filter((row) => source === undefined || row.source === source)
      // No recorded row is an export, so an exportDataType filter leaves none.
      .filter(() => exportDataType === undefined)
      .map((row) => ({
        userId: row.userId,
        email: row.email,
        activity: row.activity,
        activityName: ACTIVITY_NAMES[row.activity],
        source: row.source,
        sourceName: SOURCE_NAMES[row.source],
        date: formatUserDate(row.at),
      }));
    // `totalRecords` is likely but unconfirmed (catalogue §5.2); the mock sends it.
    return json(200, { rows: pageOf(rows, page), totalRecords: rows.length });
  }

  return createApiArea(
    {
      route: "user-management",
      basePath: "/api/rest/v1/management",
      scope: "user_management",
      routes: [
        { method: "GET", path: "/user", handle: listUsers },
        { method: "POST", path: "/user", handle: createUsers },
        { method: "PUT", path: "/user", handle: updateUsers },
        { method: "DELETE", path: "/user", handle: deleteUserFromQuery },
        { method: "GET", path: "/user/{userId}", handle: getUser },
        { method: "DELETE", path: "/user/{userId}", handle: (call) => deleteUserById(pathId(call, "userId"), call) },
        { method: "POST", path: "/users", handle: getUsersByIds },
        { method: "POST", path: "/user/invite", handle: inviteUser },
        { method: "POST", path: "/user/addexistinguser", handle: addExistingUser },
        { method: "GET", path: "/user/group", handle: listUserGroups },
        { method: "GET", path: "/user/group/{groupId}", handle: getUserGroup },
        { method: "GET", path: "/user/proxy", handle: listProxyAssignments },
        { method: "POST", path: "/user/proxy", handle: setProxyAssignment },
        { method: "GET", path: "/userlicense/{userId}", handle: getUserLicense },
        { method: "GET", path: "/userlicenses", handle: listUserLicenses },
        { method: "PUT", path: "/userlicense", handle: setUserLicense },
        { method: "POST", path: "/user/activity", handle: getUserActivity },
      ],
      reset() {
        licenses = new Map();
      },
    },
    context,
  );
}
