// The CLI's one error class and its exit codes.
import { DealCloudError } from "@dealcloud-ts/auth";

/**
 * The exit codes of `dealcloud`: 0 done; 1 the command failed (network, credentials refused, a site error);
 * 2 bad usage or bad input, found before anything was sent or written; 3 partial failure (the command ran, some
 * rows failed: see the report); 130 interrupted (Ctrl-C).
 */
export const ExitCode = Object.freeze({
  /** Done. */
  ok: 0,
  /** The command failed: network, credentials refused, an error answer from the site. */
  failure: 1,
  /** Bad usage or input, found before anything was sent or written. */
  usage: 2,
  /** The command ran, but some rows failed (see the report). */
  partial: 3,
  /** Interrupted by Ctrl-C (SIGINT) or SIGTERM. */
  interrupted: 130,
} as const);

/** One of {@link ExitCode}'s values. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Bad usage or bad input (a flag, a file, a filter, an unknown entry type, field or CSV column, a missing
 * credential), found before anything was sent or written. Its message says what to pass; exit code 2.
 */
export class UsageError extends DealCloudError {
  /** Always `"UsageError"`. */
  override readonly name: string = "UsageError";
  declare readonly code: "USAGE_ERROR";
  constructor(message: string) {
    super("USAGE_ERROR", message);
  }
}

/** `--concurrency` of export, import and sync: requests in flight, 1 to 16 (the library's own limit). */
export function checkConcurrency(concurrency: number): void {
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 16)
    throw new UsageError(`--concurrency must be an integer from 1 to 16; got ${String(concurrency)}.`);
}
