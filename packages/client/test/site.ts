// A mock DealCloud site behind msw: the mock's token endpoint plus scripted API routes that check the token
// against the mock and record which scope set each request's token was issued for.
import {
  createMockDealCloud,
  DEFAULT_MOCK_CLIENT,
  type MockDealCloud,
  type MockDealCloudOptions,
} from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { BASE_URL } from "./apis.js";

export { BASE_URL };
export const CREDENTIALS = { baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

export interface ApiCall {
  readonly method: string;
  readonly path: string;
  /** The scope string of the token the request carried, as the mock issued it; undefined if the token was refused. */
  readonly tokenScope: string | undefined;
  readonly body: string;
  /** The request's `As-User` header, if it had one. */
  readonly asUser: string | null;
}

/**
 * Serves every path under /api/rest/ (other than the token endpoint): 401 for tokens the mock does not know or
 * that were revoked, else `answer(call, n)` (n counts calls from 0), default 200 `{ ok: true }`.
 */
export function mockSite(
  answer: (call: ApiCall, n: number) => Response | Promise<Response> = () => HttpResponse.json({ ok: true }),
  options: MockDealCloudOptions = {},
): { mock: MockDealCloud; calls: ApiCall[]; revoked: Set<string> } {
  const mock = createMockDealCloud(options);
  const calls: ApiCall[] = [];
  const revoked = new Set<string>();
  server.use(
    http.all(new RegExp(`^${BASE_URL}/api/rest/(?!v1/oauth/token)`), async ({ request }) => {
      const auth = mock.authenticate(request.headers.get("authorization"));
      const value = request.headers.get("authorization")?.replace(/^Bearer /, "") ?? "";
      const ok = auth.ok && !revoked.has(value);
      const call: ApiCall = {
        method: request.method,
        path: new URL(request.url).pathname,
        tokenScope: ok ? mock.issuedTokens.get(value)?.scopes.join(" ") : undefined,
        body: await request.text(),
        asUser: request.headers.get("as-user"),
      };
      calls.push(call);
      if (!ok) return HttpResponse.json({ message: "Unauthorized" }, { status: 401 });
      return answer(call, calls.length - 1);
    }),
    ...mswHandlers(mock, { baseUrl: BASE_URL }),
  );
  return { mock, calls, revoked };
}
