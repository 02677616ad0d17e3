// One call through a plain or throwing client, answering the body or throwing the typed error.
import { sendRequest } from "@dealcloud-ts/client";

/** A plain openapi-fetch client or its throwing variant: the site helpers take either. */
export type AnyClient<C> = C | { [K in keyof C]: any }; /**
 * Calls `method path` and answers the body; an error answer throws the typed `APIError` subclass in both client
 * modes (the client's `sendRequest`, which the paging helpers use too).
 */
export const callApi = <T>(client: unknown, method: string, path: string, init: object): Promise<T> =>
  sendRequest(client as object, method, path, init) as Promise<T>;
