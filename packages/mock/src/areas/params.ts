import type { ApiCall } from "../api-area.js";
import { badRequest } from "../http-error.js";
import type { RenderOptions, ValueSite } from "../state/values.js";

/** Query and body parameter readers shared by the Data and Schema areas: a 400 naming the parameter on bad input. */

export function boolParam(value: unknown, name: string): boolean | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True") return true;
  if (value === "false" || value === "False") return false;
  return badRequest(`${name} must be true or false (got ${JSON.stringify(value)}).`);
}

export function intParam(value: unknown, name: string, min = 0): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const number = typeof value === "number" ? value : Number(value);
  if (!Number.isInteger(number) || number < min)
    return badRequest(`${name} must be an integer of at least ${min} (got ${JSON.stringify(value)}).`);
  return number;
}

export function dateParam(value: unknown, name: string): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const ms =
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value)
      ? Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) || value.length === 10 ? value : `${value}Z`)
      : Number.NaN;
  return Number.isNaN(ms)
    ? badRequest(`${name} must be an ISO 8601 date-time, e.g. 2020-04-26T01:16:40.030Z (got ${JSON.stringify(value)}).`)
    : ms;
}

/** A JSON array body, or a 400 saying what to send. */
export function arrayBody(body: unknown, what: string): unknown[] {
  return Array.isArray(body) ? body : badRequest(`The body must be a JSON array of ${what}.`);
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * How a read renders values: `wrapIntoArrays`, reference URLs and `dateTimeBehavior` (1 = the acting user's
 * time zone: catalogue §1 "Time zones").
 */
export function renderOptions(
  site: ValueSite,
  call: ApiCall,
  source: { wrapIntoArrays?: unknown; resolveReferenceUrls?: unknown; dateTimeBehavior?: unknown },
): RenderOptions {
  const behavior = intParam(source.dateTimeBehavior, "dateTimeBehavior") ?? 0;
  if (behavior > 1) badRequest(`dateTimeBehavior must be 0 (UTC) or 1 (the user's time zone) (got ${behavior}).`);
  const wrap = boolParam(source.wrapIntoArrays, "wrapIntoArrays");
  const urls = boolParam(source.resolveReferenceUrls, "resolveReferenceUrls");
  return {
    ...(wrap !== undefined ? { wrapIntoArrays: wrap } : {}),
    ...(urls !== undefined ? { resolveReferenceUrls: urls } : {}),
    origin: call.url.origin,
    ...(behavior === 1 ? { timeZone: site.users.timeZoneOf(call.userId) } : {}),
  };
}
