import { DealCloudError } from "@dealcloud-ts/client";

/** An argument of a batch helper is wrong; thrown before anything is sent. The message says what to pass. */
export class InvalidArgumentError extends DealCloudError {
  /** Always `"InvalidArgumentError"`, also in minified bundles. */
  override readonly name: string = "InvalidArgumentError";
  declare readonly code: "INVALID_ARGUMENT";
  constructor(message: string) {
    super("INVALID_ARGUMENT", message);
  }
}

/**
 * One per-row error as DealCloud lists it on a row of a write answer (`Errors` or `errors`). The shape is the
 * one a Swashbuckle sample and a vendor-SDK user show: `{ field, code, description }`; it is not documented, so
 * every key is optional and anything else is kept.
 */
export interface RowErrorEntry {
  /** The field at fault, when the entry names one. */
  readonly field?: string;
  /** DealCloud's error code (their meanings are not documented). */
  readonly code?: number;
  /** What is wrong, in DealCloud's words. */
  readonly description?: string;
  /** Any other key DealCloud sent. */
  readonly [key: string]: unknown;
}

/** Why a row (or id, or merge) of a batch helper's input did not land; see `DataErrorCode` in `@dealcloud-ts/auth`. */
export type WriteErrorCode = "ROW_REJECTED" | "BATCH_REJECTED" | "OUTCOME_UNKNOWN" | "NOT_SENT";

/** What a {@link WriteError} knows besides its code and message. */
export interface WriteErrorDetails {
  /** The HTTP status of the answer, when there was one. */
  status?: number | undefined;
  /** The per-row errors DealCloud listed for this row (per-row answers only). */
  errors?: readonly RowErrorEntry[] | undefined;
  /** The underlying error (a `ConnectionError`, `TimeoutError`, a token failure). */
  cause?: unknown;
}

/**
 * Why one input row did not land, in a {@link WriteReport}'s `failed` list. Branch on `code`:
 * `ROW_REJECTED` (DealCloud refused the row itself), `BATCH_REJECTED` (its request was refused for a reason
 * that is not about rows; nothing in it was written), `OUTCOME_UNKNOWN` (no answer, or a 500/502/504: the row
 * may or may not have been written; it was not sent again) and `NOT_SENT` (aborted before it was sent).
 */
export class WriteError extends DealCloudError {
  /** Always `"WriteError"`, also in minified bundles. */
  override readonly name: string = "WriteError";
  declare readonly code: WriteErrorCode;
  /** The HTTP status of the answer, when there was one. */
  readonly status: number | undefined;
  /** The per-row errors DealCloud listed for this row (empty unless a 200 answer listed some). */
  readonly errors: readonly RowErrorEntry[];
  constructor(code: WriteErrorCode, message: string, details: WriteErrorDetails = {}) {
    super(code, message, "cause" in details ? { cause: details.cause } : undefined);
    this.status = details.status;
    this.errors = details.errors ?? [];
  }
}
