import { DEFAULT_MOCK_CLIENT } from "../src/index.js";

/** The site address the tests use (a reserved `.test` name: nothing real answers there). */
export const BASE_URL = "https://mock.dealcloud.test";
export const TOKEN_URL = `${BASE_URL}/api/rest/v1/oauth/token`;

/** Form fields of a valid token request for the default client; `undefined` leaves a field out. */
export type TokenFields = Record<string, string | undefined>;

export function tokenForm(fields: TokenFields = {}): URLSearchParams {
  const all: TokenFields = {
    grant_type: "client_credentials",
    client_id: DEFAULT_MOCK_CLIENT.clientId,
    client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
    scope: "data",
    ...fields,
  };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(all)) if (value !== undefined) form.set(name, value);
  return form;
}

/** A token request as an SDK sends it: POST, form-encoded (URLSearchParams sets the content type). */
export function tokenRequest(fields: TokenFields = {}, url = TOKEN_URL): Request {
  return new Request(url, { method: "POST", body: tokenForm(fields) });
}

/** The JSON body of an answer, typed loosely for assertions. */
export async function body(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

/** A settable clock for `now`. */
export function manualClock(start = 1_700_000_000_000) {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}
