// How the transport reads answers: the whole body inside the attempt, at most maxResponseBytes of it, and a 2xx
// body that is not JSON is a typed, retryable failure instead of a raw SyntaxError.
import { describe, expect, it } from "vitest";
import {
  AbortedError,
  APIError,
  ConnectionError,
  createAuthFetch,
  InvalidResponseError,
  TimeoutError,
} from "../src/index.js";
import { loopback, providedTokens } from "./loopback.js";

const json = { "content-type": "application/json" };

/** A transport over loopback; `retry: false` unless a test says otherwise. */
function transport(url: string, options: Partial<Parameters<typeof createAuthFetch>[0]> = {}) {
  return createAuthFetch({ tokens: providedTokens(url), scopes: ["data"], retry: false, ...options });
}

describe("the attempt's time limit and the caller's signal cover the body", () => {
  it("times out a body that drips for longer than timeoutMs", async () => {
    // Before: resolved 200 after the whole drip (6,052 ms with timeoutMs 500).
    const site = await loopback((_request, response) => {
      response.writeHead(200, json);
      response.write('{"rows":[');
      const drip = setInterval(() => response.write(" "), 100);
      setTimeout(() => (clearInterval(drip), response.end("]}")), 3_000);
      response.on("close", () => clearInterval(drip));
    });
    const call = transport(site.url, { timeoutMs: 300 })(new Request(`${site.url}/rows`));
    await expect(call).rejects.toBeInstanceOf(TimeoutError);
  });

  it("ends a dripping body when the caller aborts", async () => {
    const site = await loopback((_request, response) => {
      response.writeHead(200, json);
      const drip = setInterval(() => response.write(" "), 100);
      response.on("close", () => clearInterval(drip));
    });
    const call = transport(site.url)(new Request(`${site.url}/rows`, { signal: AbortSignal.timeout(300) }));
    await expect(call).rejects.toBeInstanceOf(AbortedError);
  });
});

describe("a 2xx body that is not the declared JSON", () => {
  it("is an InvalidResponseError with a code, not a SyntaxError, and a GET is retried", async () => {
    const site = await loopback((_request, response, n) => {
      if (n < 2) response.writeHead(200, { "content-type": "text/html" }).end("<html>Sign in</html>");
      else response.writeHead(200, json).end('{"ok":true}');
    });
    const once = transport(site.url)(new Request(`${site.url}/rows`));
    await expect(once).rejects.toMatchObject({ name: "InvalidResponseError", code: "INVALID_RESPONSE", status: 200 });

    const retried = await transport(site.url, { retry: { baseDelayMs: 1 } })(new Request(`${site.url}/rows`));
    expect(await retried.json()).toEqual({ ok: true });
    expect(site.calls()).toBe(3);
  });

  it("is an InvalidResponseError when the JSON is truncated", async () => {
    const site = await loopback((_request, response) => response.writeHead(200, json).end('{"rows":[{"EntryId":1'));
    await expect(transport(site.url)(new Request(`${site.url}/rows`))).rejects.toBeInstanceOf(InvalidResponseError);
  });

  it("is a ConnectionError when the body is cut mid-way, and a GET is retried", async () => {
    const site = await loopback((_request, response, n) => {
      if (n > 0) return response.writeHead(200, json).end("[]");
      response.writeHead(200, { ...json, "content-length": "1000" });
      response.write('{"rows":[');
      setTimeout(() => response.socket?.destroy(), 20);
    });
    await expect(transport(site.url)(new Request(`${site.url}/rows`))).rejects.toMatchObject({ code: "CONNECTION" });
    const retried = await transport(site.url, { retry: { baseDelayMs: 1 } })(new Request(`${site.url}/rows`));
    expect(await retried.json()).toEqual([]);
  });

  it("keeps the parsed JSON, so openapi-fetch does not parse it again", async () => {
    const site = await loopback((_request, response) => response.writeHead(200, json).end('{"a":1}'));
    const answer = await transport(site.url)(new Request(`${site.url}/rows`));
    expect(await answer.json()).toEqual({ a: 1 });
    expect(answer.status).toBe(200);
  });
});

describe("maxResponseBytes", () => {
  it("refuses a body whose declared length is over the cap before reading it", async () => {
    const site = await loopback((_request, response) => {
      response.writeHead(200, { ...json, "content-length": String(150 * 2 ** 20) });
      response.write("[");
    });
    const call = transport(site.url)(new Request(`${site.url}/rows`));
    await expect(call).rejects.toMatchObject({ name: "InvalidResponseError", code: "RESPONSE_TOO_LARGE" });
  });

  it("stops reading a chunked body once it passes the cap", async () => {
    const site = await loopback((_request, response) => {
      response.writeHead(200, json);
      for (let i = 0; i < 40; i++) response.write("x".repeat(64 * 1024));
      response.end();
    });
    const call = transport(site.url, { maxResponseBytes: 1_000_000 })(new Request(`${site.url}/rows`));
    await expect(call).rejects.toMatchObject({ code: "RESPONSE_TOO_LARGE" });
  });

  it("reads a chunked body under the cap whole, every chunk in order", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i}`.padEnd(16 * 1024, "x"));
    const site = await loopback(async (_request, response) => {
      response.writeHead(200, json);
      response.write("[");
      for (const [i, row] of rows.entries()) {
        response.write(`${i ? "," : ""}"${row}"`);
        await new Promise((resolve) => setImmediate(resolve));
      }
      response.end("]");
    });
    const answer = await transport(site.url)(new Request(`${site.url}/rows`));
    expect(await answer.json()).toEqual(rows);
  });

  it("is validated", () => {
    expect(() => transport("http://127.0.0.1:1", { maxResponseBytes: 0 })).toThrow(/maxResponseBytes must be/);
  });
});

describe("error messages", () => {
  it("carry at most 300 characters of DealCloud's message", async () => {
    // Before: a 5 MB message became a 5,000,051-character error.message.
    const huge = { message: "x".repeat(5_000_000) };
    const error = new APIError({
      operation: "GET /rows",
      body: huge,
      requestedScopes: ["data"],
      response: new Response(null, { status: 400 }),
    });
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toMatch(/^GET \/rows answered 400: x+…$/);
  });
});

describe("a network failure", () => {
  it("is a ConnectionError", async () => {
    const site = await loopback((request) => request.socket.destroy());
    await expect(transport(site.url)(new Request(`${site.url}/rows`))).rejects.toBeInstanceOf(ConnectionError);
  });
});
