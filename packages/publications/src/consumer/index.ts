/**
 * The Publications consumer: {@link consumePublications} follows publication topics as an async iterable of typed
 * events, acknowledging only what was processed, resuming without skipping after lost answers and restarts, and
 * reassembling split messages. A separate entry of `@dealcloud-ts/publications`, so users of the API client alone
 * pay nothing for it.
 *
 * @packageDocumentation
 */
export { createMemoryCheckpointStore, type CheckpointStore, type MemoryCheckpointStore } from "./checkpoint.js";
export {
  consumePublications,
  SESSION_TTL_MS,
  type ConsumedEvent,
  type EventAck,
  type PublicationsApi,
} from "./consume.js";
export { PublicationsConsumerError, type PublicationsConsumerErrorCode } from "./errors.js";
export type { ConsumePublicationsOptions } from "./options.js";
export { isLargeText, type LargeText } from "./parts.js";
export type {
  AcknowledgedOffset,
  AcknowledgedProgress,
  ConsumerProgress,
  Gap,
  GapAcceptedProgress,
  PolledProgress,
  PollFailedProgress,
  SessionWaitProgress,
  TopicMissingProgress,
} from "./progress.js";
