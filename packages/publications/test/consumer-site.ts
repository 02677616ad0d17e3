// A mock DealCloud site for the consumer's tests: a Publications client over it that records every
// acknowledgement sent, and a Data writer that makes `default-data` events.
import type { ApiDescriptor } from "@dealcloud-ts/client";
import { createApiClient } from "@dealcloud-ts/client";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT, type MockDealCloudOptions } from "@dealcloud-ts/mock";
import { expect, vi } from "vitest";
import { createPublicationsClient } from "../src/index.js";

export const BASE_URL = "https://acme.dealcloud.com";

/** Just enough of the Data API to write rows (the Data package is not a dependency of this one). */
const dataWrites: ApiDescriptor<any> = {
  name: "data",
  packageName: "test",
  basePath: "/api/rest/v4/data",
  scopes: ["data"],
  operationScopes: {},
  idempotentOperations: [],
};

export function consumerSite(options: MockDealCloudOptions = {}) {
  const mock = createMockDealCloud({ seed: { sampleEntries: false }, ...options });
  const acknowledgements: { Name: string; Offset: number }[][] = [];
  const polls: unknown[] = [];
  const fetch = async (input: Request | string, init?: RequestInit) => {
    const request = new Request(input, init);
    const path = new URL(request.url).pathname;
    if (path.endsWith("/publication/acknowledge")) acknowledgements.push(await request.clone().json());
    if (path.endsWith("/publication/poll")) polls.push(await request.clone().json());
    // Like a real fetch: the request's signal ends the wait, and a dropped connection is a TypeError.
    const response = await new Promise<Response>((resolve, reject) => {
      const onAbort = () => reject(request.signal.reason);
      if (request.signal.aborted) return onAbort();
      request.signal.addEventListener("abort", onAbort, { once: true });
      mock.handle(request).then(resolve, reject);
    });
    if (response.type === "error") throw new TypeError("fetch failed");
    return response;
  };
  const client = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch });
  const data = createApiClient(dataWrites, { baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch });
  let written = 0;
  /** One rows write of `rows` new companies: one `default-data` event. */
  async function writeCompanies(rows = 1, values: Record<string, unknown> = {}) {
    const body = Array.from({ length: rows }, (_, index) => ({
      EntryId: -(index + 1),
      CompanyName: `Company ${++written}`,
      ...values,
    }));
    const { response } = await (data as any).POST("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: "company" } },
      body,
    });
    expect(response.status).toBe(200);
  }
  /** Every Offset acknowledged for `topic`, in the order sent. */
  const acknowledged = (topic = "default-data") =>
    acknowledgements.flatMap((call) => call.filter((item) => item.Name === topic).map((item) => item.Offset));
  return { mock, client, writeCompanies, acknowledgements, acknowledged, polls };
}

/** Moves the fake clock a second at a time until `work` settles (bounded), and returns its result. */
export async function drive<T>(work: Promise<T>, maxSeconds = 7_200): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  done.catch(() => {});
  for (let second = 0; second < maxSeconds && !settled; second++) await vi.advanceTimersByTimeAsync(1_000);
  expect(settled, `still running after ${maxSeconds} s of fake time`).toBe(true);
  return done;
}

export const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);
