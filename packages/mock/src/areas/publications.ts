import { createApiArea, type ApiArea, type ApiCall } from "../api-area.js";
import type { SiteContext } from "../area.js";
import { json } from "../http.js";
import { badRequest } from "../http-error.js";
import { noContent, objectBody, prop } from "./body-fields.js";
import { arrayBody, isObject } from "./params.js";
import { dataEvent, splitMessage, userEvent, type EventDraft } from "./publications-events.js";
import { userChanges } from "./site-events.js";

/**
 * The Publications API (catalogue §6): session-based polling of the default topics. Data writes (every change the
 * entry store announces) go to `default-data`, User Management's user changes to `default-users`; nothing
 * writes to `default-schema` (the mock's schema does not change). Sessions are kept per token client id.
 */

/** The default topics (catalogue §6); the mock has no custom topics. */
export const TOPICS = ["default-data", "default-schema", "default-users"] as const;
type TopicName = (typeof TOPICS)[number];

/** The vendor's answer for a topic it does not know (catalogue §6, DOC-pub-poll), verbatim. */
export const UNKNOWN_TOPIC =
  "One or more topics does not exist in Kafka. Probably no messages has been sent into that topic yet.";
/** Sessions expire 5 minutes after the last poll (catalogue §6, DOC-pub-ack). */
export const SESSION_TTL_MS = 5 * 60_000;
/** Events are kept 9 days (catalogue §6, DOC-pub). */
export const RETENTION_MS = 9 * 86_400_000;
/** The longest a poll waits for a first event, whatever its TimeOut (the mock's cap). */
export const MAX_WAIT_MS = 60_000;

interface StoredEvent {
  /** Order of arrival across topics. */
  readonly seq: number;
  /** Site clock, ms. */
  readonly at: number;
  readonly topic: TopicName;
  readonly offset: number;
  readonly body: Record<string, unknown>;
}

/** A session: a server-side consumer with a read position per topic. */
interface Session {
  lastPollAt: number;
  /** The next offset to read, per topic polled in this session. */
  readonly positions: Map<TopicName, number>;
  /** The acknowledgements as they were when the session started (later ones wait for the next session). */
  readonly startAcks: ReadonlyMap<TopicName, number>;
  /** Set by a site reset: the session reads nothing more. */
  closed: boolean;
}

const isTopic = (name: unknown): name is TopicName =>
  typeof name === "string" && (TOPICS as readonly string[]).includes(name);

export function createPublicationsArea(context: SiteContext): ApiArea {
  const now = () => context.settings.now();
  let topics = new Map<TopicName, StoredEvent[]>(TOPICS.map((topic) => [topic, []]));
  let seq = 0;
  let sessions = new Map<string, Session>();
  let acks = new Map<string, Map<TopicName, number>>();
  /** Polls waiting for an event; each is woken by any new event, and looks again. */
  const waiters = new Set<() => void>();

  function wakeAll(): void {
    const woken = [...waiters];
    waiters.clear();
    for (const wake of woken) wake();
  }

  function append(topic: TopicName, draft: EventDraft): void {
    const list = topics.get(topic)!;
    // A large message becomes parts at consecutive offsets (when `publications.maxRowsPerMessage` asks for it).
    const parts = splitMessage(draft.envelope(topic, list.length), context.settings.publications.maxRowsPerMessage);
    for (const part of parts) {
      const offset = list.length;
      list.push({ seq: seq++, at: draft.at, topic, offset, body: { ...part, topicOffset: offset } });
    }
    wakeAll();
  }

  context.entries.subscribe((change) => append("default-data", dataEvent(context, change)));
  userChanges(context).subscribe((change) => append("default-users", userEvent(context, change)));

  /** The client's session, continued when its last poll is less than 5 minutes ago, else a new one. */
  function sessionFor(clientId: string): Session {
    const at = now();
    let session = sessions.get(clientId);
    if (!session || at - session.lastPollAt >= SESSION_TTL_MS) {
      session = { lastPollAt: at, positions: new Map(), startAcks: new Map(acks.get(clientId)), closed: false };
      sessions.set(clientId, session);
    }
    session.lastPollAt = at;
    return session;
  }

  /** Takes up to `count` (0: all) unread events of `names` in arrival order, moving the session past them. */
  function take(session: Session, names: readonly TopicName[], count: number): Record<string, unknown>[] {
    if (session.closed) return [];
    const oldest = now() - RETENTION_MS;
    const pending: StoredEvent[] = [];
    for (const topic of names) {
      const list = topics.get(topic)!;
      let position = session.positions.get(topic)!;
      // Events past retention are gone: a position on them moves to the first kept one.
      while (position < list.length && list[position]!.at < oldest) position++;
      session.positions.set(topic, position);
      pending.push(...list.slice(position));
    }
    pending.sort((a, b) => a.seq - b.seq);
    const taken = count > 0 ? pending.slice(0, count) : pending;
    for (const event of taken) session.positions.set(event.topic, event.offset + 1);
    return taken.map((event) => event.body);
  }

  /**
   * Collects events until `count` arrived (every event when 0), `ms` pass, or the request is aborted: the vendor
   * keeps the poll open "until Count messages arrived or TimeOut elapsed, whichever first" (catalogue §6).
   */
  async function waitForEvents(
    session: Session,
    names: readonly TopicName[],
    count: number,
    ms: number,
    signal: AbortSignal,
  ) {
    let done = false;
    let wake = () => {};
    const finish = () => {
      done = true;
      wake();
    };
    // `setTimeout` is looked up at each call, so fake timers control the wait.
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish);
    try {
      const collected: unknown[] = [];
      for (;;) {
        collected.push(...take(session, names, count > 0 ? count - collected.length : 0));
        if ((count > 0 && collected.length >= count) || done || signal.aborted) return collected;
        await new Promise<void>((resolve) => {
          wake = resolve;
          waiters.add(resolve);
        });
        waiters.delete(wake);
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
    }
  }

  function nonNegativeInt(body: Record<string, unknown>, key: string): number {
    const value = prop(body, key);
    if (value === undefined || value === null)
      return badRequest(`${key} is required: send { "Topics": ["default-data"], "TimeOut": 60000, "Count": 5 }.`);
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0)
      return badRequest(`${key} must be a non-negative integer (got ${JSON.stringify(value)}).`);
    return value;
  }

  async function poll(call: ApiCall): Promise<Response> {
    const body = objectBody(await call.json(), '{ "Topics": ["default-data"], "TimeOut": 60000, "Count": 5 }');
    const names = prop(body, "Topics");
    if (!Array.isArray(names) || names.length === 0 || !names.every((name) => typeof name === "string")) {
      badRequest('Topics must be a non-empty array of topic names, e.g. ["default-data"].');
    }
    const timeout = nonNegativeInt(body, "TimeOut");
    // Count 0 (an older vendor sample's value, meaning undocumented) collects every event until TimeOut (the mock's reading).
    const count = nonNegativeInt(body, "Count");
    if (!(names as unknown[]).every(isTopic)) badRequest(UNKNOWN_TOPIC);
    const polled = [...new Set(names as TopicName[])];
    // DealCloud's topics exist in Kafka from their first message on (catalogue §6), when the mock is asked to say so.
    if (
      context.settings.publications.emptyTopics === "not-in-kafka" &&
      polled.some((topic) => !topics.get(topic)!.length)
    )
      badRequest(UNKNOWN_TOPIC);

    const session = sessionFor(call.token.clientId);
    // Without an acknowledgement a session reads a topic from the beginning; acknowledged offsets are the next to read.
    for (const topic of polled)
      if (!session.positions.has(topic)) session.positions.set(topic, session.startAcks.get(topic) ?? 0);
    // The call returns once Count events arrived, or after TimeOut with what there is.
    const events =
      timeout > 0
        ? await waitForEvents(session, polled, count, Math.min(timeout, MAX_WAIT_MS), call.request.signal)
        : take(session, polled, count);
    session.lastPollAt = now();
    return json(200, events);
  }

  async function acknowledge(call: ApiCall): Promise<Response> {
    const items = arrayBody(
      await call.json(),
      '{ "Name": topic, "Offset": next offset to read } items, e.g. [{ "Name": "default-data", "Offset": 43 }]',
    );
    const offsets = items.map((item) => {
      if (!isObject(item)) return badRequest('Each acknowledgement must be { "Name": topic, "Offset": offset }.');
      const name = prop(item, "Name");
      const offset = prop(item, "Offset");
      if (typeof name !== "string") return badRequest("Name must be a topic name.");
      if (!isTopic(name)) return badRequest(UNKNOWN_TOPIC);
      if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0)
        return badRequest(`Offset must be a non-negative integer (got ${JSON.stringify(offset)}).`);
      return [name, offset] as const;
    });
    const clientAcks = acks.get(call.token.clientId) ?? new Map<TopicName, number>();
    // Takes effect at the start of the client's next session (catalogue §6).
    for (const [name, offset] of offsets) clientAcks.set(name, offset);
    acks.set(call.token.clientId, clientAcks);
    return noContent();
  }

  return createApiArea(
    {
      route: "publications",
      basePath: "/api/rest/v1/publication",
      scope: "publish",
      routes: [
        { method: "POST", path: "/poll", handle: poll },
        { method: "POST", path: "/acknowledge", handle: acknowledge },
      ],
      reset() {
        for (const session of sessions.values()) session.closed = true;
        topics = new Map(TOPICS.map((topic) => [topic, []]));
        seq = 0;
        sessions = new Map();
        acks = new Map();
        wakeAll();
      },
      endSession(token) {
        const session = sessions.get(token.clientId);
        if (session) session.closed = true;
        sessions.delete(token.clientId);
      },
    },
    context,
  );
}
