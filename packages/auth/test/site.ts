// A mock DealCloud site behind msw for one test file: real HTTP semantics through the global fetch,
// counted and scripted at the mock.
import {
  createMockDealCloud,
  DEFAULT_MOCK_CLIENT,
  type MockDealCloud,
  type MockDealCloudOptions,
} from "@dealcloud-ts/mock";
import { mswHandlers } from "@dealcloud-ts/mock/msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import { createTokenManager, type TokenManagerOptions } from "../src/index.js";

export const BASE_URL = "https://acme.dealcloud.com";
export const { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET } = DEFAULT_MOCK_CLIENT;

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A fresh mock site served at `baseUrl` for the current test. */
export function mockSite(options: MockDealCloudOptions = {}, baseUrl = BASE_URL): MockDealCloud {
  const mock = createMockDealCloud(options);
  server.resetHandlers(...mswHandlers(mock, { baseUrl }));
  return mock;
}

/** Every request msw sees, cloned, for checks of what went on the wire. */
export function captureRequests(): Request[] {
  const seen: Request[] = [];
  server.events.on("request:start", ({ request }) => void seen.push(request.clone()));
  return seen;
}

/** A manager for the mock's default client with the given overrides. */
export const managerFor = (overrides: Partial<TokenManagerOptions> = {}) =>
  createTokenManager({ baseUrl: BASE_URL, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...overrides });
