import { DealCloudError } from "@dealcloud-ts/client";

/** One value that names nothing on the site, with the nearest names that do exist. */
export interface UnknownValue {
  /** The field's apiName. */
  readonly field: string;
  /** The value as given. */
  readonly value: string;
  /** The closest existing names (edit distance), nearest first; may be empty. */
  readonly suggestions: readonly string[];
}

/**
 * A choice, reference or user value names nothing on the site (after one refresh of the model). Nothing was
 * written for the row. `unknown` lists every such value of the row with the closest existing names.
 */
export class UnknownNameError extends DealCloudError {
  /** Always `"UnknownNameError"`, also in minified bundles. */
  override readonly name: string = "UnknownNameError";
  declare readonly code: "UNKNOWN_NAME";
  /** Every unknown value of the row. */
  readonly unknown: readonly UnknownValue[];
  constructor(unknown: readonly UnknownValue[]) {
    super(
      "UNKNOWN_NAME",
      unknown
        .map(
          ({ field, value, suggestions }) =>
            `${field}: no "${value}"${suggestions.length ? ` (closest: ${suggestions.map((s) => `"${s}"`).join(", ")})` : ""}`,
        )
        .join("; "),
    );
    this.unknown = unknown;
  }
}

/** An upsert key matches several existing entries, so the row cannot say which one to update. Nothing was written for it. */
export class AmbiguousKeyError extends DealCloudError {
  /** Always `"AmbiguousKeyError"`, also in minified bundles. */
  override readonly name: string = "AmbiguousKeyError";
  declare readonly code: "AMBIGUOUS_KEY";
  /** The key's values, by field apiName. */
  readonly key: Readonly<Record<string, unknown>>;
  /** The `EntryId`s of the entries it matches. */
  readonly entryIds: readonly number[];
  constructor(key: Readonly<Record<string, unknown>>, entryIds: readonly number[]) {
    super("AMBIGUOUS_KEY", `Key ${JSON.stringify(key)} matches entries ${entryIds.join(", ")}`);
    this.key = key;
    this.entryIds = entryIds;
  }
}
