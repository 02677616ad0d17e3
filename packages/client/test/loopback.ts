// A real HTTP server on loopback for what msw cannot play: bodies that drip, stall or are cut mid-way.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createTokenManager } from "@dealcloud-ts/auth";
import { afterEach } from "vitest";

const open: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((close) => close()));
});

/** Serves `handler` on 127.0.0.1; `calls` counts the requests that reached it. Closed after each test. */
export async function loopback(handler: (request: IncomingMessage, response: ServerResponse, n: number) => void) {
  let calls = 0;
  const server = createServer((request, response) => handler(request, response, calls++));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  open.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls: () => calls };
}

/** Tokens for a loopback site without a token endpoint: a provider answers at once. */
export const providedTokens = (baseUrl: string) =>
  createTokenManager({ baseUrl, tokenProvider: async () => ({ access_token: "loopback-token", expires_in: 900 }) });
