// A mock DealCloud site behind a Data client, recording every Data API request that reaches it.
import { createMockDealCloud, DEFAULT_MOCK_CLIENT, type MockDealCloudOptions } from "@dealcloud-ts/mock";
import { createDataClient } from "../../src/index.js";

export const BASE_URL = "https://acme.dealcloud.com";

/** One Data API request as the site received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: any;
}

export function writeSite(options: MockDealCloudOptions = {}, client: { throwOnError?: boolean } = {}) {
  const mock = createMockDealCloud(options);
  const received: Received[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const isData = url.pathname.startsWith("/api/rest/v4/data");
    if (isData) {
      const text = await request.clone().text();
      received.push({
        method: request.method,
        path: url.pathname,
        query: url.searchParams,
        body: text && JSON.parse(text),
      });
      maxInFlight = Math.max(maxInFlight, ++inFlight);
    }
    try {
      const response = await mock.handle(request);
      // A dropped connection is a network error, as fetch reports it.
      if (response.type === "error") throw new TypeError("fetch failed");
      return response;
    } finally {
      if (isData) inFlight--;
    }
  };
  const dataApi = createDataClient({
    baseUrl: BASE_URL,
    ...DEFAULT_MOCK_CLIENT,
    fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    ...(client.throwOnError ? { throwOnError: true } : {}),
  });
  return {
    mock,
    dataApi,
    received,
    /** The rows writes received, as the number of rows in each. */
    rowsPerRequest: () => received.filter((r) => r.path.includes("/entrydata/rows/")).map((r) => r.body.length),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}
