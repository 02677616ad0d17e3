import { DealCloudError } from "@dealcloud-ts/auth";

/**
 * An option of a helper (`paginate`, `paginateRows`, …) is missing, of the wrong type or out of range. Thrown
 * before anything is sent; the message says what to pass.
 */
export class InvalidOptionError extends DealCloudError {
  /** Always `"InvalidOptionError"`, also in minified bundles. */
  override readonly name: string = "InvalidOptionError";
  /** The option, e.g. `"pageSize"`. */
  readonly option: string;
  constructor(where: string, option: string, expected: string, got: unknown) {
    super("INVALID_OPTION", `${where}: pass ${option} as ${expected} (got ${describe(got)}).`);
    this.option = option;
  }
}

/** A short, secret-free picture of a bad value: its type, and the value itself for numbers and booleans. */
function describe(value: unknown): string {
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (typeof value === "string") return value.length > 40 ? "a long string" : JSON.stringify(value);
  return Array.isArray(value) ? "an array" : `a ${typeof value}`;
}
