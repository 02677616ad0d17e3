/**
 * `@dealcloud-ts/mock/server`: the mock site behind a real HTTP server on the loopback interface (Node only), for
 * code that runs in another process or runtime: Deno, Bun, workerd, browsers, the demo and benchmarks.
 *
 * @packageDocumentation
 * @module \@dealcloud-ts/mock/server
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createMockDealCloud } from "./site.js";
import type { MockDealCloud, MockDealCloudOptions } from "./types.js";

/** Options of {@link serveMockDealCloud}: where to listen, and either a mock to serve or options to create one. */
export interface ServeMockDealCloudOptions extends MockDealCloudOptions {
  /** TCP port; default 0 picks a free ephemeral port (read it back from `url`). */
  port?: number;
  /** Interface to bind; default `127.0.0.1`, so the mock is reachable from this machine only. */
  host?: string;
  /** An existing site to serve (e.g. one a test also inspects); when given, the other mock options are ignored. */
  mock?: MockDealCloud;
}

/** A running loopback server. */
export interface MockDealCloudServer {
  /** The base URL to give the SDK, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  url: string;
  /** The site behind the server, to inspect requests and add faults. */
  mock: MockDealCloud;
  /**
   * Stops listening and closes every connection, idle keep-alive ones included, so the process can exit
   * promptly. Requests still in flight (e.g. held by a `delayMs` fault) are cut.
   */
  close(): Promise<void>;
}

/**
 * Serves a mock DealCloud site over real HTTP (Node only), for clients that cannot use msw: Deno, Bun, workerd
 * and browser tests, the demo and benchmarks. Answers carry CORS headers; a `dropConnection` fault destroys
 * the socket.
 *
 * @example
 * ```ts
 * import { createDataClient } from "@dealcloud-ts/data";
 * import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
 * import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
 *
 * const server = await serveMockDealCloud({ seed: { rows: { company: 1000 } } });
 * try {
 *   const dataApi = createDataClient({ baseUrl: server.url, ...DEFAULT_MOCK_CLIENT });
 *   const { data: page } = await dataApi.GET("/entrydata/rows/{entryTypeId}", {
 *     params: { path: { entryTypeId: "company" }, query: { limit: 10 } },
 *   });
 *   console.log(page?.totalRecords, server.mock.tokenRequests.length);
 * } finally {
 *   await server.close();
 * }
 * ```
 */
export async function serveMockDealCloud(options: ServeMockDealCloudOptions = {}): Promise<MockDealCloudServer> {
  const { port = 0, host = "127.0.0.1", mock: given, ...mockOptions } = options;
  const mock = given ?? createMockDealCloud(mockOptions);
  // Known once listening; requests cannot arrive before that.
  let origin = "";
  const server = createServer((req, res) => {
    void serve(mock, req, res, origin).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port: actualPort } = server.address() as AddressInfo;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}`;
  return {
    url: origin,
    mock,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Turns one Node request into a web `Request`, asks the mock, and writes the `Response` back. */
async function serve(mock: MockDealCloud, req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const method = req.method ?? "GET";
  const hasBody = method !== "GET" && method !== "HEAD" && chunks.length > 0;
  const request = new Request(new URL(req.url ?? "/", origin), {
    method,
    headers,
    ...(hasBody ? { body: Buffer.concat(chunks) } : {}),
  });
  const response = await mock.handle(request);
  if (response.type === "error") {
    // A network failure: the client sees the connection reset, not an HTTP answer.
    req.socket.destroy();
    return;
  }
  const body = Buffer.from(await response.arrayBuffer());
  const outgoing: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    outgoing[name] = name === "set-cookie" ? response.headers.getSetCookie() : value;
  });
  if (response.body !== null) outgoing["content-length"] = String(body.length);
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [name, value] of Object.entries(outgoing)) res.setHeader(name, value);
  res.end(method === "HEAD" ? undefined : body);
}
