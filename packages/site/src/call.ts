// One call through a plain or throwing client, answering the body or throwing the typed error.
import { APIError } from "@dealcloud-ts/client";

/** A plain openapi-fetch client or its throwing variant: the site helpers take either. */
export type AnyClient<C> = C | { [K in keyof C]: any };

type Call = (path: string, init: object) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** Calls `method path` and answers the body; an error answer throws an `APIError` in both client modes. */
export async function callApi<T>(client: unknown, method: string, path: string, init: object): Promise<T> {
  const answer = await (client as Record<string, Call>)[method]!(path, init);
  if (answer.error !== undefined || !answer.response.ok)
    throw new APIError({
      operation: `${method} ${path}`,
      body: answer.error,
      requestedScopes: [],
      response: answer.response,
    });
  return answer.data as T;
}
