import { DealCloudError } from "@dealcloud-ts/auth";

/** The error for a bad option of a client or transport, thrown before anything is sent. */
export const invalidOption = (message: string) => new DealCloudError("INVALID_OPTION", message);

/**
 * A numeric option, checked before anything is sent: a typo such as `timeoutMs: "abc"` or `maxConcurrency: -1`
 * fails at creation with a message saying what to pass, instead of timing out every request or hanging forever.
 */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max: number,
  integer = false,
) {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= min && value <= max) || (integer && !Number.isInteger(value))) {
    throw invalidOption(
      `${name} must be ${integer ? "an integer" : "a number"} from ${min} to ${max} (got ${typeof value === "number" ? value : typeof value}).`,
    );
  }
  return value;
}
