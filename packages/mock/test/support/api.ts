// The tests' way into the mock's API areas: every answer goes through `assertMatchesSpec`, so every test of
// every area also checks that the mock answers what the OpenAPI documents promise.
import {
  createMockDealCloud,
  DEFAULT_MOCK_CLIENT,
  type MockDealCloud,
  type MockDealCloudOptions,
} from "../../src/index.js";
import { assertMatchesSpec } from "./validate.js";

export const BASE_URL = "https://mock.dealcloud.test";

/** Base paths of the API areas, as in each package's OpenAPI `servers`. */
export const API = {
  data: "/api/rest/v4/data",
  schema: "/api/rest/v4/schema",
  userManagement: "/api/rest/v1/management",
  publications: "/api/rest/v1/publication",
  riImport: "/api/rest/v4/ri/import",
  backups: "/api/rest/v4/backups",
} as const;

export interface CallOptions {
  /** JSON body (serialised) or a ready body (FormData, string). */
  body?: unknown;
  query?: Record<string, string | number | boolean | readonly (string | number)[]>;
  headers?: Record<string, string>;
  /** The scope string of the token to send (default `"data user_management publish ri_import backup"`). */
  scope?: string;
  /** Send this Authorization header value instead of a fresh token ("" sends none). */
  authorization?: string;
}

export interface CallResult<T = any> {
  status: number;
  /** Parsed JSON, or the text when the body is not JSON, or undefined when empty. */
  body: T;
  headers: Headers;
}

export const ALL_SCOPES = "data user_management publish ri_import backup";

/** A mock site plus helpers to call it the way an SDK would. */
export function testSite(options: MockDealCloudOptions = {}) {
  const mock: MockDealCloud = createMockDealCloud(options);
  const tokens = new Map<string, string>();

  async function token(scope = ALL_SCOPES): Promise<string> {
    const cached = tokens.get(scope);
    if (cached && mock.authenticate(`Bearer ${cached}`).ok) return cached;
    const response = await mock.handle(
      new Request(`${BASE_URL}/api/rest/v1/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: DEFAULT_MOCK_CLIENT.clientId,
          client_secret: DEFAULT_MOCK_CLIENT.clientSecret,
          scope,
        }),
      }),
    );
    const value = ((await response.json()) as { access_token: string }).access_token;
    tokens.set(scope, value);
    return value;
  }

  function request(method: string, path: string, options: CallOptions = {}, authorization?: string): Request {
    const url = new URL(BASE_URL + path);
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (Array.isArray(value)) for (const item of value) url.searchParams.append(name, String(item));
      else url.searchParams.set(name, String(value));
    }
    const headers = new Headers(options.headers);
    if (authorization) headers.set("authorization", authorization);
    let body: BodyInit | undefined;
    if (options.body !== undefined) {
      if (typeof options.body === "string" || options.body instanceof FormData) body = options.body;
      else {
        body = JSON.stringify(options.body);
        headers.set("content-type", "application/json");
      }
    }
    return new Request(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  }

  /** Calls `method path` (path from the site root), validates the answer against the specs, and parses it. */
  async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<CallResult<T>> {
    const authorization = options.authorization ?? `Bearer ${await token(options.scope)}`;
    const sent = request(method, path, options, authorization);
    const response = await mock.handle(sent.clone());
    await assertMatchesSpec(sent, response.clone());
    const text = await response.text();
    let body: unknown;
    if (text !== "") {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  return { mock, token, call, request };
}
