import { type MockDealCloudOptions, createMockDealCloud, DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { createDataClient } from "../src/index.js";

export const BASE_URL = "https://acme.dealcloud.com";
const DATA_PATH = "/api/rest/v4/data";

/** One Data API request as it reached the mock. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly url: URL;
  readonly body: unknown;
}

/**
 * An in-process mock site behind an instrumented `fetch`: records every Data API request, counts requests in
 * flight, and lets a test act on a request before the mock sees it (`before`).
 */
export function mockSite(options: MockDealCloudOptions = {}) {
  const mock = createMockDealCloud(options);
  const seen: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const hooks: { before?: (request: SeenRequest) => unknown } = {};
  const fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    // As a real fetch: a request whose signal already aborted is never sent.
    request.signal.throwIfAborted();
    const url = new URL(request.url);
    if (!url.pathname.startsWith(DATA_PATH)) return mock.handle(request);
    const text = request.method === "GET" ? "" : await request.clone().text();
    const record = {
      method: request.method,
      path: url.pathname.slice(DATA_PATH.length),
      url,
      body: text ? JSON.parse(text) : undefined,
    };
    seen.push(record);
    await hooks.before?.(record);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await mock.handle(request);
    } finally {
      inFlight--;
    }
  };
  const transport = { baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch, retry: { baseDelayMs: 1, maxDelayMs: 2 } };
  return {
    mock,
    seen,
    hooks,
    fetch,
    transport,
    client: createDataClient(transport),
    stats: () => ({ inFlight, maxInFlight }),
  };
}

/** The `skip` of a rows read, from the query string (GET) or the body (POST). */
export function skipOf(request: SeenRequest): number {
  const fromBody = (request.body as { skip?: number } | undefined)?.skip;
  return fromBody ?? Number(request.url.searchParams.get("skip") ?? 0);
}

export const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
