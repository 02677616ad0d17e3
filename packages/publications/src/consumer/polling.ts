import {
  APIError,
  ConnectionError,
  InternalServerError,
  InvalidResponseError,
  RateLimitError,
  sendRequest,
  TimeoutError,
  UnexpectedAnswerError,
} from "@dealcloud-ts/client";
import type { PublicationsApi } from "./consume.js";
import type { Message } from "./ledger.js";
import type { ConsumerSettings } from "./options.js";
import type { ConsumerProgress } from "./progress.js";

/** DealCloud's 400 for a topic that has received no message yet (catalogue §6, DOC-pub-poll). */
const NOT_IN_KAFKA = /does not exist in kafka/i;

/**
 * The consumer's polls: one poll of every topic that has messages, topics DealCloud says have none yet ("does not
 * exist in Kafka") left out and probed alone every `pollTimeoutMs`, and each answer checked to be events.
 */
export function createTopicPoller(
  client: PublicationsApi,
  settings: ConsumerSettings,
  report: (progress: ConsumerProgress) => void,
  pause: (ms: number) => Promise<void>,
) {
  const { topics, signal } = settings;
  const now = () => Date.now();
  const missing = new Set<string>();
  let probeAt = 0;

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

  return {
    pollTopics,
    /** The topics polled now (those not known to lack messages). */
    liveTopics: () => topics.filter((topic) => !missing.has(topic)),
  };
}

export function isMessage(value: unknown): value is Message {
  const message = value as Partial<Message> | null;
  return (
    typeof message === "object" &&
    message !== null &&
    typeof message.topicName === "string" &&
    Number.isInteger(message.topicOffset)
  );
}

export function isNotInKafka(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  return NOT_IN_KAFKA.test(String((error.body as { message?: unknown } | undefined)?.message ?? error.body));
}

/** The failures the client retries too: no answer, a cut or garbled one, 408, 429 and 5xx. */
export function isTransient(error: unknown): boolean {
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
export function backoff(failures: number, error: unknown): number {
  const retryAfter = error instanceof RateLimitError ? error.retryAfterMs : undefined;
  if (retryAfter !== undefined) return retryAfter;
  return Math.floor(Math.random() * Math.min(8_000, 500 * 2 ** failures));
}
