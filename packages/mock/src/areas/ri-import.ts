import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest, MockHttpError } from "../http-error.js";
import type { SiteUser } from "../state/users.js";
import { prop, requiredInt } from "./body-fields.js";
import { arrayBody, dateParam, isObject } from "./params.js";

/**
 * The Relationship Intelligence Import API (catalogue §7). The mock site is set up as RI needs it (Exchange
 * connection type "API Endpoint", RI, email and meeting relationships enabled), so the vendor's two
 * configuration 400s never occur. Every active user of the site counts as RI-enabled (the mock's assumption).
 * Imports are remembered per user: which email `uniqueId`s were processed and when emails and meetings were
 * last synced.
 */

/** At most this many emails per user per request, and per request in all (catalogue §7, DOC-ri). */
export const MAX_EMAILS_PER_USER = 1_000;
export const MAX_EMAILS_PER_REQUEST = 50_000;

/** The sync date of a user who never synced: .NET's `DateTime.MinValue` (the mock's assumption; the format is not shown). */
const NEVER = "0001-01-01T00:00:00";

/** What the site remembers about one user's imports. */
interface UserImports {
  emailIds: Set<string>;
  lastEmailSync?: number;
  lastMeetingSync?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createRiImportArea(context: SiteContext): ApiArea {
  const { users } = context;
  let imports = new Map<number, UserImports>();
  /** Every meetings item received, as sent. */
  let meetings: unknown[] = [];

  const importsOf = (userId: number): UserImports => {
    let found = imports.get(userId);
    if (!found) imports.set(userId, (found = { emailIds: new Set() }));
    return found;
  };

  /** The caller must be an active user of the site: a client id that is no user has no RI capability. */
  function admit(call: ApiCall): void {
    const caller = call.userId === undefined ? undefined : users.get(call.userId);
    if (!caller?.isActive) {
      throw new MockHttpError(401, "Cannot perform the action. User capabilities are required: AccessRiWebService");
    }
  }

  /** The user an import item is for: it must exist and be active (RI-enabled). */
  function riUser(value: unknown, where: string): SiteUser {
    const id = requiredInt(value, `userId (${where})`);
    const user = users.get(id);
    if (!user?.isActive) badRequest(`User ${id} does not exist or is not an active, RI-enabled user (${where}).`);
    return user!;
  }

  function participant(value: unknown, name: string, where: string): void {
    if (!isObject(value) || typeof prop(value, "address") !== "string" || typeof prop(value, "name") !== "string") {
      badRequest(`${name} must be { address, name } strings (${where}).`);
    }
  }

  async function importEmails(call: ApiCall): Promise<Response> {
    const items = arrayBody(await call.json(), "{ userId, handlerType, emails } items, one per user");
    const perUser = new Map<number, number>();
    let total = 0;
    // Check the whole request first: one bad email fails it all (the mock's assumption).
    const batches = items.map((item, index) => {
      const where = `item ${index + 1}`;
      if (!isObject(item)) return badRequest(`Each item must be an object { userId, handlerType, emails } (${where}).`);
      const user = riUser(prop(item, "userId"), where);
      const handlerType = requiredInt(prop(item, "handlerType"), `handlerType (${where})`);
      if (handlerType === 2 || handlerType === 3)
        badRequest(
          `handlerType ${handlerType} (DQA, RI & DQA) is not available yet: use 1 (Relationship Intelligence).`,
        );
      if (handlerType !== 1) badRequest(`handlerType must be 1 (Relationship Intelligence) (got ${handlerType}).`);
      const emails = prop(item, "emails");
      if (!Array.isArray(emails)) return badRequest(`emails must be an array (${where}).`);
      const count = (perUser.get(user.id) ?? 0) + emails.length;
      perUser.set(user.id, count);
      total += emails.length;
      if (count > MAX_EMAILS_PER_USER)
        badRequest(
          `At most ${MAX_EMAILS_PER_USER} emails per user can be imported in one request (user ${user.id} has ${count}).`,
        );
      if (total > MAX_EMAILS_PER_REQUEST)
        badRequest(`At most ${MAX_EMAILS_PER_REQUEST} emails can be imported in one request.`);
      let previous = Number.NEGATIVE_INFINITY;
      const ids = emails.map((email, n) => {
        const at = `email ${n + 1} of ${where}`;
        if (!isObject(email)) return badRequest(`Each email must be an object (${at}).`);
        const uniqueId = prop(email, "uniqueId");
        if (typeof uniqueId !== "string" || uniqueId === "") badRequest(`uniqueId is required (${at}).`);
        const sent = dateParam(prop(email, "sentDate"), `sentDate (${at})`);
        if (sent === undefined) badRequest(`sentDate is required (${at}).`);
        if (dateParam(prop(email, "modifiedDate"), `modifiedDate (${at})`) === undefined)
          badRequest(`modifiedDate is required (${at}).`);
        participant(prop(email, "sender"), "sender", at);
        const to = prop(email, "recipientsTo");
        if (!Array.isArray(to) || to.length === 0) badRequest(`recipientsTo needs at least one recipient (${at}).`);
        for (const recipient of to as unknown[]) participant(recipient, "recipientsTo items", at);
        const cc = prop(email, "recipientsCc");
        if (cc !== undefined && cc !== null) {
          if (!Array.isArray(cc)) badRequest(`recipientsCc must be an array (${at}).`);
          for (const recipient of cc as unknown[]) participant(recipient, "recipientsCc items", at);
        }
        if (sent! < previous)
          badRequest(
            `Emails must be uploaded in chronological order of sentDate (${at} is older than the one before it).`,
          );
        previous = sent!;
        return uniqueId as string;
      });
      return { user, ids };
    });

    const syncedAt = context.settings.now();
    const results = new Map<number, { received: number; added: number; alreadyProcessed: number }>();
    for (const { user, ids } of batches) {
      const state = importsOf(user.id);
      const stats = results.get(user.id) ?? { received: 0, added: 0, alreadyProcessed: 0 };
      for (const id of ids) {
        stats.received++;
        // The same uniqueId of the same user is processed once.
        if (state.emailIds.has(id)) stats.alreadyProcessed++;
        else {
          state.emailIds.add(id);
          stats.added++;
        }
      }
      state.lastEmailSync = syncedAt;
      results.set(user.id, stats);
    }
    return json(
      200,
      [...results].map(([userId, stats]) => ({
        userId,
        status: 1,
        statusText: "Success",
        operationStats: { syncDate: iso(syncedAt), ...stats },
      })),
    );
  }

  async function importMeetings(call: ApiCall): Promise<Response> {
    // The body is undocumented: the mock takes a JSON array and keeps it. Items that name a user with `userId`
    // (like the emails body) credit that user with a meeting sync, counting their `meetings` array if they have
    // one and the item itself otherwise; other items are kept but credited to no one.
    const items = arrayBody(
      await call.json(),
      "meetings (the shape is undocumented; items with a userId are credited to that user)",
    );
    const credited = items.map((item, index) => {
      const userId = isObject(item) ? prop(item, "userId") : undefined;
      if (userId === undefined || userId === null) return undefined;
      const listed = prop(item as Record<string, unknown>, "meetings");
      return { user: riUser(userId, `item ${index + 1}`), received: Array.isArray(listed) ? listed.length : 1 };
    });
    const syncedAt = context.settings.now();
    meetings.push(...items);
    const results = new Map<number, number>();
    for (const credit of credited) {
      if (!credit) continue;
      results.set(credit.user.id, (results.get(credit.user.id) ?? 0) + credit.received);
      importsOf(credit.user.id).lastMeetingSync = syncedAt;
    }
    return json(
      200,
      [...results].map(([userId, received]) => ({
        userId,
        status: 1,
        statusText: "Success",
        operationStats: { syncDate: iso(syncedAt), received },
      })),
    );
  }

  function getImportStatus(call: ApiCall): Response {
    const raw = call.query
      .getAll("userIds")
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter(Boolean);
    for (const value of raw)
      if (!/^-?\d+$/.test(value)) badRequest(`userIds must be integer user ids (got ${JSON.stringify(value)}).`);
    // Unknown or inactive ids are left out (the mock's assumption); without userIds, every RI-enabled user.
    const selected = raw.length > 0 ? [...new Set(raw.map(Number))].map((id) => users.get(id)) : users.all();
    return json(
      200,
      selected
        .filter((user): user is SiteUser => user?.isActive === true)
        .map((user) => {
          const state = imports.get(user.id);
          return {
            userId: user.id,
            emailAddress: user.email,
            lastEmailSyncDate: state?.lastEmailSync === undefined ? NEVER : iso(state.lastEmailSync),
            lastMeetingSyncDate: state?.lastMeetingSync === undefined ? NEVER : iso(state.lastMeetingSync),
          };
        }),
    );
  }

  function getImportSettings(): Response {
    // The shape is undocumented: the mock answers the preconditions the RI pages list, all met.
    return json(200, {
      exchangeConnectionType: "API Endpoint",
      relationshipIntelligenceEnabled: true,
      emailRelationships: true,
      collectRelationshipData: true,
      meetingRelationships: true,
      maxEmailsPerUser: MAX_EMAILS_PER_USER,
      maxEmailsPerRequest: MAX_EMAILS_PER_REQUEST,
    });
  }

  return createApiArea(
    {
      route: "ri-import",
      basePath: "/api/rest/v4/ri/import",
      // The token page gives the v1 prefix, the RI pages v4 (catalogue §7): the mock routes both.
      alternateBasePaths: ["/api/rest/v1/ri/import"],
      scope: "ri_import",
      admit,
      routes: [
        { method: "POST", path: "/emails", handle: importEmails },
        { method: "POST", path: "/meetings", handle: importMeetings },
        { method: "GET", path: "/status", handle: getImportStatus },
        { method: "GET", path: "/settings", handle: getImportSettings },
      ],
      reset() {
        imports = new Map();
        meetings = [];
      },
    },
    context,
  );
}
