import {
  AbortedError,
  type ApiClient,
  RateLimitError,
  sendRequest,
  sleep,
  type ThrowingApiClient,
} from "@dealcloud-ts/client";
import type { paths, PublicationEvent } from "../generated/openapi.js";
import { type CheckpointStore, createMemoryCheckpointStore } from "./checkpoint.js";
import { PublicationsConsumerError } from "./errors.js";
import { createLedger, type Gap, inTopicOrder, type Message, type Ready } from "./ledger.js";
import { type ConsumePublicationsOptions, type ConsumerSettings, resolveConsumerOptions } from "./options.js";
import { markLargeTexts } from "./parts.js";
import { backoff, createTopicPoller, isTransient } from "./polling.js";
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
  let lastPollEnd: number | undefined;
  // The checkpoint write in flight, when the store answered with a promise; later writes queue behind it.
  let writes: Promise<void> | undefined;
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
  const { pollTopics, liveTopics } = createTopicPoller(client, settings, report, pause);

  /**
   * Marks an event processed and records the grown prefix in the store, one write after another. Returns the
   * write to wait for, or undefined when the store answered at once (the in-memory one always does).
   */
  function record(item: Ready): Promise<void> | undefined {
    const offset = ledger.processed(item);
    if (offset === undefined) return writes;
    if (writes) return (writes = writes.then(() => write(item.topic, offset)));
    const pending = write(item.topic, offset);
    if (!pending) return undefined;
    const queued: Promise<void> = pending.then(() => {
      if (writes === queued) writes = undefined;
    });
    return (writes = queued);
  }

  /** One `store.set`; a promise only when the store returned one. */
  function write(topic: string, offset: number): Promise<void> | undefined {
    const failure = (error: unknown) => {
      checkpointFailed = true;
      return new PublicationsConsumerError(
        "CHECKPOINT_FAILED",
        `${OPERATION}: the checkpoint store's set("${topic}", ${offset}) failed; the consumer stops without acknowledging more`,
        error,
      );
    };
    let result: unknown;
    try {
      result = store.set(topic, offset);
    } catch (error) {
      throw failure(error);
    }
    if (typeof (result as PromiseLike<unknown> | null)?.then !== "function") return undefined;
    return Promise.resolve(result).then(undefined, (error: unknown) => {
      throw failure(error);
    });
  }

  function handOut(item: Ready): ConsumedEvent {
    const event = item.event as unknown as Record<string, unknown>;
    markLargeTexts(event);
    Object.defineProperty(event, "ack", { value: async () => record(item), enumerable: false });
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
        const blind = !(error instanceof RateLimitError) && !ledger.expectsNext(liveTopics());
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
      const messages = inTopicOrder(await pollWithRetries());
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
        if (!manual) {
          const written = record(item);
          if (written) await written;
        }
      }
    }
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (!checkpointFailed) {
      try {
        if (writes) await writes;
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
