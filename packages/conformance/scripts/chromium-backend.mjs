// The page's backend for the Chromium runtime, on loopback: serves the bundled page and `/token`, which asks the
// mock DealCloud's real token endpoint with the client secret server-side and relays its answer as is (status,
// body, Retry-After), so the page holds no secret. The page's origin is this server's, not the mock's: every SDK
// call from the page to the mock is a cross-origin (CORS) request.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { MOCK_CLIENT } from "../src/suite.js";

const TOKEN_PATH = "/api/rest/v1/oauth/token";
const FILES = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/index.html": ["index.html", "text/html; charset=utf-8"],
  "/browser.js": ["browser.js", "text/javascript; charset=utf-8"],
  "/browser.js.map": ["browser.js.map", "application/json"],
};
/** Headers of the token answer passed on to the page. */
const RELAYED = ["content-type", "retry-after"];

/**
 * Starts the backend on 127.0.0.1 (a free port). `dir` holds the bundled page; `mockUrl` is the mock site.
 * Resolves with `{ url, tokenRequests(), close() }`.
 */
export async function serveBrowserBackend({ dir, mockUrl, log = () => {} }) {
  let tokenRequests = 0;
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    try {
      if (url.pathname === "/token") {
        if (request.method !== "GET") return send(response, 405, "text/plain", "GET only", { allow: "GET" });
        tokenRequests++;
        const answer = await fetch(`${mockUrl}${TOKEN_PATH}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            grant_type: "client_credentials",
            client_id: MOCK_CLIENT.clientId,
            client_secret: MOCK_CLIENT.clientSecret,
            scope: url.searchParams.get("scope") ?? "",
          }),
        });
        const headers = { "cache-control": "no-store" };
        for (const name of RELAYED) {
          const value = answer.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return send(response, answer.status, undefined, Buffer.from(await answer.arrayBuffer()), headers);
      }
      if (url.pathname === "/favicon.ico") return send(response, 204);
      const file = Object.hasOwn(FILES, url.pathname) ? FILES[url.pathname] : undefined;
      if (!file || (request.method !== "GET" && request.method !== "HEAD"))
        return send(response, 404, "text/plain", "not found");
      return send(response, 200, file[1], await readFile(join(dir, file[0])), { "cache-control": "no-store" });
    } catch (error) {
      log(`backend: ${request.method} ${url.pathname} failed: ${error.message}`);
      return send(response, 502, "text/plain", "backend error");
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    tokenRequests: () => tokenRequests,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      }),
  };
}

function send(response, status, contentType, body, headers = {}) {
  response.writeHead(status, contentType ? { "content-type": contentType, ...headers } : headers);
  response.end(body);
}
