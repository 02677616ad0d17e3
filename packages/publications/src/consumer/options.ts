import { InvalidOptionError } from "@dealcloud-ts/client";
import type { CheckpointStore } from "./checkpoint.js";
import type { ConsumerProgress } from "./progress.js";

/** Options of `consumePublications`. */
export interface ConsumePublicationsOptions {
  /** The publication topics to follow, e.g. `["default-data"]`; at least one, each named once. */
  topics: readonly string[];
  /** How many events one poll waits for (the poll's `Count`): it returns at that many or at its time-out. Default 100. */
  count?: number | undefined;
  /**
   * How long one poll may wait for `count` events, in ms (the poll's `TimeOut`), from 1,000 to 240,000, so that
   * polling keeps the server session alive well inside its 5-minute expiry. Default 60,000. The client gives the
   * request this long plus a margin before it times out.
   */
  pollTimeoutMs?: number | undefined;
  /** Stops the consumer: the poll in flight is aborted, the acknowledgements due are sent, and iteration rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /**
   * Where the offsets of processed events are kept per topic, so that a restarted consumer drops the events it
   * is given again. Default: a new in-memory store ({@link createMemoryCheckpointStore}), which drops duplicates
   * within this consumer's life only. See `consumePublications` for what each choice guarantees.
   */
  checkpoint?: CheckpointStore | undefined;
  /**
   * When an event counts as processed. `"auto"` (default): when you ask for the next event (the loop's next
   * turn). `"manual"`: when you call its `ack()`, in any order; the acknowledgement then stops at the first event
   * not acknowledged.
   */
  ack?: "auto" | "manual" | undefined;
  /**
   * Whether to wait for any earlier server session of this user to expire (5 minutes after its last poll) before
   * the first poll. `"await-expiry"` makes a restart safe without a checkpoint: a session still alive would go on
   * after the events the previous consumer polled but did not process. `"immediate"` polls at once. Default:
   * `"immediate"` when the checkpoint store holds an offset for every topic (a continued session then shows as a
   * gap, which the consumer handles by waiting for a new session), `"await-expiry"` otherwise.
   */
  sessionStart?: "await-expiry" | "immediate" | undefined;
  /** Failed polls in a row (after the client's own retries) before the consumer gives up and rethrows. Default 10. */
  maxPollFailures?: number | undefined;
  /** Called with what the consumer does: polls, acknowledgements, failures, waits for a new session. */
  onProgress?: ((progress: ConsumerProgress) => void) | undefined;
}

/** The options with defaults filled in. */
export interface ConsumerSettings {
  readonly topics: readonly string[];
  readonly count: number;
  readonly pollTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly checkpoint: CheckpointStore | undefined;
  readonly manual: boolean;
  readonly sessionStart: "await-expiry" | "immediate" | undefined;
  readonly maxPollFailures: number;
  readonly onProgress: ((progress: ConsumerProgress) => void) | undefined;
}

const WHERE = "consumePublications";

function integer(option: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max)
    throw new InvalidOptionError(WHERE, option, `an integer from ${min} to ${max}`, value);
  return value;
}

function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T | undefined {
  if (value === undefined || allowed.includes(value as T)) return value as T | undefined;
  throw new InvalidOptionError(WHERE, option, allowed.map((one) => JSON.stringify(one)).join(" or "), value);
}

/** Checks every option before anything is sent; throws `InvalidOptionError` saying what to pass. */
export function resolveConsumerOptions(client: unknown, options: ConsumePublicationsOptions): ConsumerSettings {
  if (typeof (client as { POST?: unknown } | null)?.POST !== "function")
    throw new InvalidOptionError(
      WHERE,
      "client",
      "a Publications client (createPublicationsClient or dc.publications)",
      client,
    );
  if (typeof options !== "object" || options === null)
    throw new InvalidOptionError(WHERE, "options", '{ topics: ["default-data"] }', options);
  const { topics, signal, checkpoint, onProgress } = options;
  if (
    !Array.isArray(topics) ||
    topics.length === 0 ||
    !topics.every((topic) => typeof topic === "string" && topic !== "") ||
    new Set(topics).size !== topics.length
  )
    throw new InvalidOptionError(
      WHERE,
      "topics",
      'a non-empty array of distinct topic names, e.g. ["default-data"]',
      topics,
    );
  if (signal !== undefined && typeof (signal as AbortSignal)?.addEventListener !== "function")
    throw new InvalidOptionError(WHERE, "signal", "an AbortSignal", signal);
  if (
    checkpoint !== undefined &&
    (typeof checkpoint?.get !== "function" || typeof (checkpoint as CheckpointStore | null)?.set !== "function")
  )
    throw new InvalidOptionError(WHERE, "checkpoint", "a { get(topic), set(topic, offset) } store", checkpoint);
  if (onProgress !== undefined && typeof onProgress !== "function")
    throw new InvalidOptionError(WHERE, "onProgress", "a function", onProgress);
  return {
    topics: [...topics],
    count: integer("count", options.count, 100, 1, 10_000),
    pollTimeoutMs: integer("pollTimeoutMs", options.pollTimeoutMs, 60_000, 1_000, 240_000),
    signal,
    checkpoint,
    manual: oneOf("ack", options.ack, ["auto", "manual"]) === "manual",
    sessionStart: oneOf("sessionStart", options.sessionStart, ["await-expiry", "immediate"]),
    maxPollFailures: integer("maxPollFailures", options.maxPollFailures, 10, 0, 1_000),
    onProgress,
  };
}
