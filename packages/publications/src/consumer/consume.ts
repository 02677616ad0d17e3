import {
  AbortedError,
  APIError,
  type ApiClient,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  sendRequest,
  type ThrowingApiClient,
  TimeoutError,
  UnexpectedAnswerError,
} from "@dealcloud-ts/client";
import type { paths, PublicationEvent } from "../generated/openapi.js";
import { type CheckpointStore, createMemoryCheckpointStore } from "./checkpoint.js";
import { PublicationsConsumerError } from "./errors.js";
import { createLedger, type Gap, type Message, type Ready } from "./ledger.js";
import { type ConsumePublicationsOptions, type ConsumerSettings, resolveConsumerOptions } from "./options.js";
import { markLargeTexts } from "./parts.js";
import type { ConsumerProgress, SessionWaitProgress } from "./progress.js";

/** Either form of a Publications client: `createPublicationsClient(…)` (plain or throwing) or `dc.publications`. */
export type PublicationsApi = ApiClient<paths> | ThrowingApiClient<paths>;

/** What the consumer adds to each event. */
export interface EventAck {
  /**
   * Marks the event processed (and records it in the checkpoint store); resolves once recorded. Needed in
   * `ack: "manual"` mode; in auto mode it marks the event before the loop's next turn would (e.g. before a
   * `break`, which otherwise leaves the current event unprocessed). Not enumerable, so `JSON.stringify(event)`
   * is the event as DealCloud sent it (large texts marked).
   */
  readonly ack: () => Promise<void>;
}

/** An event handed out by the consumer: a {@link PublicationEvent} (narrow it on `entityType`) with its `ack`. */
export type ConsumedEvent = PublicationEvent & EventAck;

/** Sessions expire 5 minutes after the last poll (catalogue §6, DOC-pub-ack). */
export const SESSION_TTL_MS = 5 * 60_000;
/** How much longer than the expiry the consumer waits before it counts on a new session. */
const SESSION_MARGIN_MS = 30_000;
const OPERATION = "consumePublications";
/** DealCloud's 400 for a topic that has received no message yet (catalogue §6, DOC-pub-poll). */
const NOT_IN_KAFKA = /does not exist in kafka/i;

/**
 * Follows publication topics as an `AsyncIterable` of typed events, in topic-offset order per topic: checking
 * `event.entityType` narrows `event.payload` without casts. Split messages (`isLastPart`, `partNumber`) come out
 * as one event, and text values DealCloud did not send (`isLargeText`) as the {@link LargeText} marker, never as
 * empty strings. A topic that has received no message yet (DealCloud's "does not exist in Kafka" 400) simply
 * yields nothing until it has. Polls and acknowledgements go through the client, which gives each poll its
 * `TimeOut` plus a margin and retries acknowledgements; it does not retry a poll (repeating one whose answer was
 * lost would skip its events), so the consumer does: after 5xx, 408, 429 and network failures it backs off with
 * the client's rules (`maxPollFailures` in a row at most) and checks the next answer for a gap.
 *
 * Acknowledgements: an event's offset + 1 is acknowledged only once you have moved past it (the loop's next
 * turn, or `event.ack()` with `ack: "manual"`), per topic, in one acknowledge call before each poll. `break`,
 * `return` or the `signal` stop polling and send the acknowledgements due (in auto mode the event you were
 * holding is not processed: call its `ack()` first to count it). A consumer that is dropped (its process dies)
 * sends nothing more.
 *
 * Guarantees (DealCloud applies acknowledgements only when a session starts, and a session lives until 5
 * minutes after its last poll):
 * - Always: no event is skipped without notice. The consumer checks that offsets continue in each topic; when a
 *   poll answer skipped some (an answer lost on the way, or a session an earlier consumer left alive), it sends
 *   its acknowledgements, waits for the session to expire and resumes from them; a gap that is still there in
 *   the new session is a hole in the topic (events past the 9-day retention), reported as `gap-accepted`.
 *   Within one consumer every event is handed out once.
 * - Without a checkpoint store (the default in-memory one): at-least-once across restarts. Before its first
 *   poll the consumer waits for any earlier session to expire (`sessionStart: "await-expiry"`), so a restart
 *   gets the events from the last acknowledgement on: the events the previous consumer processed after its last
 *   acknowledge call are delivered again.
 * - With a checkpoint store that is written when events are processed (e.g. Redis, a file): a restart hands out
 *   every event after the last one processed exactly once, provided the store and the acknowledgements are not
 *   shared with another consumer of the same user: redelivered events at or below the checkpoint are dropped.
 *   An event processed but whose checkpoint write did not finish is delivered again.
 *
 * @example
 * ```ts
 * import { createPublicationsClient } from "@dealcloud-ts/publications";
 * import { consumePublications } from "@dealcloud-ts/publications/consumer";
 *
 * const client = createPublicationsClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const event of consumePublications(client, { topics: ["default-data"] })) {
 *   if (event.entityType === "Data") {
 *     for (const item of event.payload.entities.updated ?? []) console.log(event.topicOffset, item.entryFields.length);
 *   }
 * }
 * ```
 */
export function consumePublications(
  client: PublicationsApi,
  options: ConsumePublicationsOptions,
): AsyncGenerator<ConsumedEvent, void, undefined> {
  const settings = resolveConsumerOptions(client, options);
  return consume(client, settings, settings.checkpoint ?? createMemoryCheckpointStore());
}

async function* consume(
  client: PublicationsApi,
  settings: ConsumerSettings,
  store: CheckpointStore,
): AsyncGenerator<ConsumedEvent, void, undefined> {
  const { topics, signal, manual } = settings;
  const now = () => Date.now();
  const report = (progress: ConsumerProgress) => settings.onProgress?.(progress);
  const ledger = createLedger(topics);
  const missing = new Set<string>();
  let probeAt = 0;
  let lastPollEnd: number | undefined;
  let writes: Promise<void> = Promise.resolve();
  let checkpointFailed = false;
  let failed = false;
  // After a wait for a new session, a gap that shows again at the same place is a hole in the topic.
  let fresh = false;
  let lastGap: Gap | undefined;

  const aborted = () => new AbortedError(OPERATION, signal?.reason);
  const pause = (ms: number) =>
    sleep(ms, signal).catch(() => {
      throw aborted();
    });

  /** Marks an event processed and records the grown prefix in the store, one write after another. */
  function record(item: Ready): Promise<void> {
    const offset = ledger.processed(item);
    if (offset === undefined) return writes;
    writes = writes.then(async () => {
      try {
        await store.set(item.topic, offset);
      } catch (error) {
        checkpointFailed = true;
        throw new PublicationsConsumerError(
          "CHECKPOINT_FAILED",
          `${OPERATION}: the checkpoint store's set("${item.topic}", ${offset}) failed; the consumer stops without acknowledging more`,
          error,
        );
      }
    });
    return writes;
  }

  function handOut(item: Ready): ConsumedEvent {
    const event = item.event as unknown as Record<string, unknown>;
    markLargeTexts(event);
    Object.defineProperty(event, "ack", { value: () => record(item), enumerable: false });
    return event as unknown as ConsumedEvent;
  }

  /** Sends the acknowledgements due in one call. Before a poll a failure is reported and retried next time. */
  async function acknowledge(stopping: boolean): Promise<void> {
    const offsets = ledger.due();
    if (offsets.length === 0) return;
    try {
      // While stopping the caller's signal may have fired: the last acknowledgement is sent regardless.
      await sendRequest(client, "POST", "/acknowledge", { body: offsets, ...(stopping || !signal ? {} : { signal }) });
      ledger.acknowledged(offsets);
      report({ type: "acknowledged", offsets });
    } catch (error) {
      if (stopping)
        throw new PublicationsConsumerError(
          "ACKNOWLEDGE_FAILED",
          `${OPERATION}: the acknowledgement sent on stopping failed; the events from these offsets on will be delivered again`,
          error,
          offsets,
        );
      if (signal?.aborted) throw aborted();
      report({ type: "acknowledge-failed", offsets, error });
    }
  }

  async function poll(names: readonly string[], timeOut: number): Promise<Message[]> {
    const body = { Topics: [...names], TimeOut: timeOut, Count: settings.count };
    const answer = await sendRequest(client, "POST", "/poll", signal ? { body, signal } : { body });
    if (!Array.isArray(answer) || !answer.every(isMessage))
      throw new UnexpectedAnswerError("POST /poll", "an array of events with topicName and topicOffset");
    return answer;
  }

  /** A poll of one topic that answers at once; undefined when DealCloud says the topic has no message yet. */
  async function probe(topic: string): Promise<Message[] | undefined> {
    try {
      return await poll([topic], 0);
    } catch (error) {
      if (isNotInKafka(error)) return undefined;
      throw error;
    }
  }

  /** One round of polling: topics without a message yet are left out, and probed alone every `pollTimeoutMs`. */
  async function pollTopics(): Promise<Message[]> {
    if (missing.size > 0 && now() >= probeAt) {
      const found: Message[] = [];
      for (const topic of [...missing]) {
        const messages = await probe(topic);
        if (messages) missing.delete(topic), found.push(...messages);
      }
      probeAt = now() + settings.pollTimeoutMs;
      if (found.length > 0) return found;
    }
    const live = topics.filter((topic) => !missing.has(topic));
    if (live.length === 0) {
      await pause(Math.max(0, probeAt - now()));
      return [];
    }
    try {
      return await poll(live, settings.pollTimeoutMs);
    } catch (error) {
      if (!isNotInKafka(error)) throw error;
      // "One or more topics": find out which, one at a time.
      const found: Message[] = [];
      for (const topic of live) {
        const messages = await probe(topic);
        if (messages) found.push(...messages);
        else missing.add(topic), report({ type: "topic-missing", topic });
      }
      probeAt = now() + settings.pollTimeoutMs;
      return found;
    }
  }

  /**
   * Polls until an answer comes, backing off after failures with the client's rules (the client does not retry
   * a poll itself). A failed poll may have moved the session past events it never delivered: where the offsets
   * a topic must continue from are known, the next answer's gap check finds that out; where they are not, the
   * consumer waits for a new session instead.
   */
  async function pollWithRetries(): Promise<Message[]> {
    for (let failures = 1; ; failures++) {
      if (signal?.aborted) throw aborted();
      try {
        const messages = await pollTopics();
        lastPollEnd = now();
        return messages;
      } catch (error) {
        lastPollEnd = now();
        if (signal?.aborted) throw aborted();
        if (!isTransient(error) || failures > settings.maxPollFailures) throw error;
        const blind = !(error instanceof RateLimitError) && !ledger.expectsNext(topics.filter((t) => !missing.has(t)));
        const retryInMs = blind ? SESSION_TTL_MS + SESSION_MARGIN_MS : backoff(failures, error);
        report({ type: "poll-failed", error, failures, retryInMs });
        if (blind) {
          await acknowledge(false);
          await awaitNewSession("lost-answer");
          fresh = true;
        } else await pause(retryInMs);
      }
    }
  }

  /** Waits until the current server session has expired, so the next poll starts a new one at the acknowledgements. */
  async function awaitNewSession(reason: SessionWaitProgress["reason"], gap?: Gap): Promise<void> {
    const untilMs = (lastPollEnd ?? now()) + SESSION_TTL_MS + SESSION_MARGIN_MS;
    report({ type: "awaiting-new-session", reason, untilMs, ...(gap ? { gap } : {}) });
    await pause(Math.max(0, untilMs - now()));
  }

  try {
    for (const topic of topics) {
      const offset = await readCheckpoint(store, topic);
      if (offset !== undefined) ledger.restore(topic, offset);
    }
    const startFresh =
      (settings.sessionStart ?? (ledger.knowsEveryTopic() ? "immediate" : "await-expiry")) === "await-expiry";
    if (startFresh) await awaitNewSession("startup");
    fresh = startFresh;
    for (;;) {
      await acknowledge(false);
      const messages = await pollWithRetries();
      let recover: Gap | undefined;
      for (let gap = ledger.findGap(messages); gap; gap = ledger.findGap(messages)) {
        if (fresh && lastGap?.topic === gap.topic && lastGap.expected === gap.expected) {
          ledger.skipGap(gap);
          report({ type: "gap-accepted", gap });
        } else {
          recover = gap;
          break;
        }
      }
      if (recover) {
        lastGap = recover;
        await acknowledge(false);
        await awaitNewSession("gap", recover);
        fresh = true;
        continue;
      }
      if (messages.length > 0) fresh = false;
      const { ready, duplicates } = ledger.take(messages);
      report({ type: "polled", messages: messages.length, duplicates });
      for (const item of ready) {
        if (signal?.aborted) throw aborted();
        yield handOut(item);
        if (!manual) await record(item);
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (!checkpointFailed) {
      try {
        await writes;
        await acknowledge(true);
      } catch (error) {
        // An error already on its way out wins; otherwise the stop (`break`, `return`) itself failed, and says so.
        // biome-ignore lint/correctness/noUnsafeFinally: replacing a `return` with the failed acknowledgement is the point
        if (!failed) throw error;
      }
    }
  }
}

async function readCheckpoint(store: CheckpointStore, topic: string): Promise<number | undefined> {
  let offset: unknown;
  try {
    offset = await store.get(topic);
  } catch (error) {
    throw new PublicationsConsumerError(
      "CHECKPOINT_FAILED",
      `${OPERATION}: the checkpoint store's get("${topic}") failed`,
      error,
    );
  }
  if (offset === undefined || offset === null) return undefined;
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < -1)
    throw new PublicationsConsumerError(
      "CHECKPOINT_FAILED",
      `${OPERATION}: the checkpoint store's get("${topic}") gave ${typeof offset === "number" ? offset : typeof offset}, not an offset`,
      undefined,
    );
  return offset;
}

function isMessage(value: unknown): value is Message {
  const message = value as Partial<Message> | null;
  return (
    typeof message === "object" &&
    message !== null &&
    typeof message.topicName === "string" &&
    Number.isInteger(message.topicOffset)
  );
}

function isNotInKafka(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  return NOT_IN_KAFKA.test(String((error.body as { message?: unknown } | undefined)?.message ?? error.body));
}

/** The failures the client retries too: no answer, a cut or garbled one, 408, 429 and 5xx. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof ConnectionError ||
    error instanceof TimeoutError ||
    error instanceof InternalServerError ||
    error instanceof RateLimitError ||
    (error instanceof InvalidResponseError && error.code === "INVALID_RESPONSE") ||
    (error instanceof APIError && error.status === 408)
  );
}

/** The client's rule: full jitter up to min(8 s, 0.5 s × 2^n), or the server's `Retry-After`. */
function backoff(failures: number, error: unknown): number {
  const retryAfter = error instanceof RateLimitError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return retryAfter;
  return Math.floor(Math.random() * Math.min(8_000, 500 * 2 ** failures));
}

/** Resolves after `ms` (the global `setTimeout`, looked up now, so fake timers apply), or rejects on abort. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
