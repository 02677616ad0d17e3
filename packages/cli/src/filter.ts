// `--filter '<json>'`: a rows query, checked before anything is sent.
import type { SiteEntryType, SiteModel } from "@dealcloud-ts/site";
import { fieldOf } from "./connect.js";
import { UsageError } from "./errors.js";

const EXAMPLE = `e.g. --filter '{"City": "Boston"}' or --filter '{"Revenue": {"$gt": 1000000}}'`;

/** Parses the filter text into an object, or a UsageError saying where it is malformed. */
export function parseFilter(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--filter is not valid JSON: ${(error as Error).message}; ${EXAMPLE}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UsageError(`--filter must be a JSON object of fields to conditions; ${EXAMPLE}.`);
  return parsed as Record<string, unknown>;
}

/** Checks that every field the filter names exists (operators such as `$or` may nest them). */
export function checkFilterFields(model: SiteModel, type: SiteEntryType, filter: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(filter)) {
    if (key.startsWith("$")) {
      for (const item of Array.isArray(value) ? value : [value])
        if (typeof item === "object" && item !== null && !Array.isArray(item))
          checkFilterFields(model, type, item as Record<string, unknown>);
      continue;
    }
    fieldOf(model, type, key, "field in --filter");
  }
}
