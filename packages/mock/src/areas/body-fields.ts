import type { ApiCall } from "../api-area.js";
import { badRequest } from "../http-error.js";
import { intParam, isObject } from "./params.js";

/**
 * Small readers shared by the User Management, RI Import, Backups and Publications areas: case-insensitive body
 * keys, 1-based paging and the empty 204 answer.
 */

/**
 * A key of a JSON object, matched case-insensitively. DealCloud's ASP.NET binding reads bodies that way, and the
 * vendor docs spell several keys two ways (`userIds`/`userIDs`, `uniqueId`/`uniqueID`, `recipientsCc`/`recipientsCC`).
 */
export function prop(body: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name in body) return body[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(body)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A JSON object body, or a 400 saying what to send. */
export function objectBody(body: unknown, what: string): Record<string, unknown> {
  return isObject(body) ? body : badRequest(`The body must be a JSON object: ${what}.`);
}

/** An integer, or a 400 naming it. */
export function requiredInt(value: unknown, name: string, min = Number.MIN_SAFE_INTEGER): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    return badRequest(`${name} must be an integer (got ${JSON.stringify(value) ?? "nothing"}).`);
  if (value < min) return badRequest(`${name} must be at least ${min} (got ${value}).`);
  return value;
}

/** An array of integers, or a 400 naming it. */
export function intArray(value: unknown, name: string): number[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "number" && Number.isInteger(item))) {
    return badRequest(`${name} must be an array of integer ids (got ${JSON.stringify(value) ?? "nothing"}).`);
  }
  return value as number[];
}

/** One page: `pageNumber` (1-based, default 1) and `pageSize` (default and maximum per endpoint). */
export interface Page {
  readonly number: number;
  readonly size: number;
}

/** Reads `pageNumber` / `pageSize` from the query; a 400 above `maxSize` (when the endpoint has one). */
export function pageParams(call: ApiCall, defaultSize: number, maxSize?: number): Page {
  const number = intParam(call.query.get("pageNumber") ?? undefined, "pageNumber", 1) ?? 1;
  const size = intParam(call.query.get("pageSize") ?? undefined, "pageSize", 1) ?? defaultSize;
  if (maxSize !== undefined && size > maxSize) badRequest(`pageSize must not exceed ${maxSize} (got ${size}).`);
  return { number, size };
}

/** The items of one page. */
export function pageOf<T>(items: readonly T[], page: Page): T[] {
  const start = (page.number - 1) * page.size;
  return items.slice(start, start + page.size);
}

/** 204 No Content: no body and no content type. */
export function noContent(): Response {
  return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
}
