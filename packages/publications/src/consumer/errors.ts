import { DealCloudError, type DealCloudErrorCode } from "@dealcloud-ts/client";
import type { AcknowledgedOffset } from "./progress.js";

/** The codes of {@link PublicationsConsumerError}: `CHECKPOINT_FAILED` and `ACKNOWLEDGE_FAILED`. */
export type PublicationsConsumerErrorCode = Extract<DealCloudErrorCode, "CHECKPOINT_FAILED" | "ACKNOWLEDGE_FAILED">;

/**
 * The consumer could not record its progress: the checkpoint store threw (`CHECKPOINT_FAILED`; the event is not
 * marked processed, so it is delivered again), or the acknowledgement sent when the consumer stopped failed
 * (`ACKNOWLEDGE_FAILED`; `offsets` lists what was not acknowledged, and those events are delivered again to the
 * next consumer, which drops the ones its checkpoint store holds). `cause` is the underlying error.
 */
export class PublicationsConsumerError extends DealCloudError {
  /** Always `"PublicationsConsumerError"`, also in minified bundles. */
  override readonly name: string = "PublicationsConsumerError";
  declare readonly code: PublicationsConsumerErrorCode;
  /** For `ACKNOWLEDGE_FAILED`: the offsets (next to read, per topic) that were not acknowledged. */
  readonly offsets: readonly AcknowledgedOffset[];
  constructor(
    code: PublicationsConsumerErrorCode,
    message: string,
    cause: unknown,
    offsets: readonly AcknowledgedOffset[] = [],
  ) {
    super(code, message, { cause });
    this.offsets = offsets;
  }
}
