import type { Gap } from "./ledger.js";

export type { Gap };

/** One acknowledgement item: the topic and the next offset to read (the processed event's offset + 1). */
export interface AcknowledgedOffset {
  /** The topic. */
  readonly Name: string;
  /** The next offset to read. */
  readonly Offset: number;
}

/** A poll answered. */
export interface PolledProgress {
  /** What happened. */
  readonly type: "polled";
  /** Messages in the answer (parts of split events count one each). */
  readonly messages: number;
  /** Of those, messages dropped because they were already handed out or are at or below the checkpoint. */
  readonly duplicates: number;
}

/** Acknowledgements sent (one call), or failed (they are sent again before the next poll). */
export interface AcknowledgedProgress {
  /** What happened. */
  readonly type: "acknowledged" | "acknowledge-failed";
  /** The offsets sent. */
  readonly offsets: readonly AcknowledgedOffset[];
  /** For `acknowledge-failed`: why. */
  readonly error?: unknown;
}

/** A poll failed after the client's own retries; the consumer waits, then polls again. */
export interface PollFailedProgress {
  /** What happened. */
  readonly type: "poll-failed";
  /** The failure (an `InternalServerError`, `ConnectionError`, `TimeoutError`, …). */
  readonly error: unknown;
  /** Failed polls in a row, this one included. */
  readonly failures: number;
  /** How long the consumer waits before polling again, in ms. */
  readonly retryInMs: number;
}

/**
 * The consumer waits for the server session to expire, so that the next poll starts a new one from the
 * acknowledged offsets: at start-up (`sessionStart: "await-expiry"`); after a gap (a poll answer lost on the way,
 * or a session an earlier consumer left alive, made the session pass events this consumer never got); or after a
 * failed poll (`lost-answer`) when a topic's next offset is not known yet, so a gap could not be seen.
 */
export interface SessionWaitProgress {
  /** What happened. */
  readonly type: "awaiting-new-session";
  /** Why. */
  readonly reason: "startup" | "gap" | "lost-answer";
  /** For `gap`: where. */
  readonly gap?: Gap;
  /** Until when (clock ms) the consumer waits. */
  readonly untilMs: number;
}

/** A gap seen again right after a new session: offsets the topic no longer has (9-day retention) or never had. */
export interface GapAcceptedProgress {
  /** What happened. */
  readonly type: "gap-accepted";
  /** Where. */
  readonly gap: Gap;
}

/** A topic answered DealCloud's "does not exist in Kafka" (no message sent to it yet): polled again later. */
export interface TopicMissingProgress {
  /** What happened. */
  readonly type: "topic-missing";
  /** The topic. */
  readonly topic: string;
}

/** What `onProgress` is told. */
export type ConsumerProgress =
  | PolledProgress
  | AcknowledgedProgress
  | PollFailedProgress
  | SessionWaitProgress
  | GapAcceptedProgress
  | TopicMissingProgress;
