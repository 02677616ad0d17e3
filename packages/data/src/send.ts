import { DealCloudError, errorForResponse, InvalidOptionError, type ThrowingApiClient } from "@dealcloud-ts/client";
import type { DataClient } from "./index.js";
import type { paths } from "./generated/openapi.js";

/** Either form of the Data client: plain (`{ data, error }`) or throwing (`throwOnError: true`). */
export type AnyDataClient = DataClient | ThrowingApiClient<paths>;

type Answer = { data?: unknown; error?: unknown; response: Response };
type Method = (path: string, init: object) => Promise<Answer>;

/**
 * Sends one request through either form of the client and resolves with its `data`; an HTTP error answer
 * rejects with the typed `APIError` subclass in both forms.
 */
export async function send(client: AnyDataClient, method: "GET" | "POST", path: string, init: object) {
  const { data, error, response } = await (client as unknown as Record<string, Method>)[method]!(path, init);
  if (response.ok) return data;
  // The plain client does not know the token's scopes here; the throwing one never gets this far.
  throw errorForResponse({ operation: `${method} ${path}`, body: error, requestedScopes: [], response });
}

/** A 2xx answer without the shape a helper needs (the spec does not declare the answer, or the site differs). */
export class UnexpectedAnswerError extends DealCloudError {
  /** Always `"UnexpectedAnswerError"`, also in minified bundles. */
  override readonly name: string = "UnexpectedAnswerError";
  constructor(operation: string, expected: string) {
    super("UNEXPECTED_ANSWER", `${operation} answered without ${expected}`);
  }
}

/** Throws {@link InvalidOptionError} unless `entryTypeId` is an object id or a non-empty apiName. */
export function checkEntryTypeId(where: string, entryTypeId: unknown): void {
  if (!(Number.isInteger(entryTypeId) || (typeof entryTypeId === "string" && entryTypeId.trim() !== "")))
    throw new InvalidOptionError(where, "entryTypeId", 'an object id or apiName, e.g. "company"', entryTypeId);
}
