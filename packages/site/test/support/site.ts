// A mock DealCloud site behind createDealCloud({ schema, data }), counting every API request that reaches it.
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT, type MockDealCloudOptions } from "@dealcloud-ts/mock";
import { schema } from "@dealcloud-ts/schema";

/** One API request as the site received it. */
export interface Received {
  readonly method: string;
  readonly path: string;
  readonly body: any;
}

export function mockSite(options: MockDealCloudOptions = {}) {
  const mock = createMockDealCloud(options);
  const received: Received[] = [];
  const fetch = async (input: Request | string, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.pathname.startsWith("/api/rest/v4/")) {
      const text = await request.clone().text();
      received.push({ method: request.method, path: url.pathname, body: text && JSON.parse(text) });
    }
    return mock.handle(request);
  };
  const dc = createDealCloud({
    baseUrl: "https://acme.dealcloud.com",
    ...DEFAULT_MOCK_CLIENT,
    fetch,
    retry: { baseDelayMs: 1, maxDelayMs: 1 },
    apis: { schema, data },
  });
  const count = (test: (r: Received) => boolean) => received.filter(test).length;
  return {
    mock,
    dc,
    received,
    // Row reads: the POST query form, and the GET form paginateRows uses while a filter fits a GET URL.
    lookups: () =>
      count(
        (r) =>
          r.path.includes("/entrydata/rows/query/") || (r.method === "GET" && /\/entrydata\/rows\/[^/]+$/.test(r.path)),
      ),
    writes: () => count((r) => /\/entrydata\/rows\/[^/]+$/.test(r.path) && r.method !== "GET"),
    schemaCalls: () => count((r) => r.path.startsWith("/api/rest/v4/schema")),
    clear: () => received.splice(0),
  };
}
