import { DealCloudError } from "@dealcloud-ts/auth";
import { errorForResponse } from "./errors.js";

type Answer = { data?: unknown; error?: unknown; response: Response };
type Method = (path: string, init: object) => Promise<Answer>;

/**
 * Sends one request through either form of an API client (plain, answering `{ data, error }`, or throwing) and
 * resolves with its `data`; an HTTP error answer rejects with the typed `APIError` subclass in both forms. For
 * helpers that take any client of an API, such as the paging helpers.
 *
 * @example
 * ```ts
 * import { sendRequest } from "@dealcloud-ts/client";
 * import { createDataClient } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const entries = await sendRequest(dataApi, "GET", "/entrydata/{entryTypeId}/entries", {
 *   params: { path: { entryTypeId: "company" } },
 * });
 * ```
 */
export async function sendRequest(client: object, method: string, path: string, init: object): Promise<unknown> {
  const { data, error, response } = await (client as Record<string, Method>)[method]!(path, init);
  if (response.ok) return data;
  // A plain client does not say which scopes its token asked for; the throwing one never gets this far.
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
