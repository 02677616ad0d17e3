/**
 * `@dealcloud-ts/mock/msw`: the mock site as [msw](https://mswjs.io) request handlers, so code under test keeps
 * its real `fetch` (Node, browsers, React Native). Needs the optional peer dependency `msw` (2 or later).
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/mock/msw
 */
import { http, HttpResponse, type HttpHandler } from "msw";
import type { MockDealCloud } from "./types.js";

/** Options of {@link mswHandlers}. */
export interface MswHandlersOptions {
  /** The site address the code under test calls, e.g. `https://mock.dealcloud.test` (no trailing slash needed). */
  baseUrl: string;
}

/**
 * msw request handlers that send every request under `baseUrl` to the mock site, so code under test can use its
 * real `fetch`. A dropped connection (a `dropConnection` fault) surfaces as a network error, i.e. a rejected `fetch`.
 *
 * @example
 * ```ts
 * import { setupServer } from "msw/node";
 * import { createMockDealCloud } from "@dealcloud-ts/mock";
 * import { mswHandlers } from "@dealcloud-ts/mock/msw";
 *
 * const mock = createMockDealCloud();
 * const server = setupServer(...mswHandlers(mock, { baseUrl: "https://mock.dealcloud.test" }));
 * server.listen({ onUnhandledFrame: "error" });
 * ```
 */
export function mswHandlers(mock: MockDealCloud, options: MswHandlersOptions): HttpHandler[] {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  return [
    http.all(`${baseUrl}/*`, async ({ request }) => {
      const response = await mock.handle(request);
      // msw 3 also turns a plain Response.error() into a network error; HttpResponse.error() is its documented way.
      return response.type === "error" ? HttpResponse.error() : response;
    }),
  ];
}
