import { inspect } from "node:util";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MockFault } from "@dealcloud-ts/mock";
import type { Scope, TokenManagerOptions } from "../src/index.js";
import { managerFor, mockSite } from "./site.js";

const SECRET = "S3CR3T-never-print-me";
const LEAKY_TOKEN = "TOKEN-inside-a-bad-answer";
const client = { clientId: "7007", clientSecret: SECRET };

/** Everything a person or a log pipeline could see of a value the package returned or threw. */
function renderings(value: unknown): string[] {
  const out = [
    String(value),
    JSON.stringify(value) ?? "",
    inspect(value, { depth: 10, showHidden: true, getters: true }),
  ];
  const deno = (value as Record<symbol, unknown> | null)?.[Symbol.for("Deno.customInspect")];
  if (typeof deno === "function") out.push(String(deno.call(value)));
  for (let error: unknown = value; error instanceof Error; error = error.cause) {
    out.push(error.message, error.stack ?? "", inspect(error.cause, { depth: 10, showHidden: true }));
  }
  return out;
}

beforeEach(() => void vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] }));
afterEach(() => void vi.useRealTimers());

describe("secrets never leak", () => {
  const faultPaths: [string, MockFault | null, Partial<TokenManagerOptions>, readonly Scope[]][] = [
    ["wrong secret", null, { clientSecret: `${SECRET}-typo` }, ["data"]],
    [
      "invalid_scope",
      { route: "token", status: 400, body: '{"error":"invalid_scope","error_description":"S3CR3T"}' },
      {},
      ["data"],
    ],
    ["403", { route: "token", status: 403 }, {}, ["publish"]],
    ["429", { route: "token", status: 429, retryAfter: "600" }, {}, ["data"]],
    ["500", { route: "token", status: 500, times: Infinity }, {}, ["data"]],
    ["dropped connection", { route: "token", dropConnection: true, times: Infinity }, {}, ["data"]],
    ["timeout", { route: "token", delayMs: 60_000, times: Infinity }, { tokenTimeoutMs: 10 }, ["data"]],
    [
      "malformed answer holding a token",
      { route: "token", status: 200, body: `{"access_token":"${LEAKY_TOKEN}","token_type":"mac"}` },
      {},
      ["data"],
    ],
    ["answer that is not JSON", { route: "token", status: 200, body: `access_token=${LEAKY_TOKEN}` }, {}, ["data"]],
    ["budget refusal", null, { tokenRequestsPerMinute: 1, maxRateLimitWaitMs: 0 }, ["data", "backup"]],
    ["unknown scope", null, {}, ["datta" as Scope]],
  ];

  it.each(faultPaths)(
    "%s: no secret or token in the error, its cause, stack, JSON, String() or inspect",
    async (_, fault, override, scopes) => {
      const mock = mockSite({ clients: [client] });
      if (fault) mock.faults.add(fault);
      const logs: unknown[] = [];
      const logger = {
        debug: (...line: unknown[]) => void logs.push(line),
        warn: (...line: unknown[]) => void logs.push(line),
      };
      const tokens = managerFor({ ...client, ...override, logger, maxAttempts: 2 });
      if (override.tokenRequestsPerMinute) await tokens.getToken("publish");

      const settled = Promise.allSettled([tokens.getToken(scopes)]);
      await vi.advanceTimersByTimeAsync(120_000);
      const [result] = await settled;
      expect(result?.status).toBe("rejected");

      const issued = [...mock.issuedTokens.keys()];
      const seen = [
        ...renderings((result as PromiseRejectedResult).reason),
        ...renderings(logs),
        ...renderings(tokens),
        ...renderings(tokens.stats()),
      ].join("\n");
      for (const secret of [SECRET, LEAKY_TOKEN, ...issued]) expect(seen).not.toContain(secret);
    },
  );

  it("a token the manager returns hides its value from JSON, String() and Node/Deno inspect", async () => {
    const mock = mockSite({ clients: [client] });
    const logs: unknown[] = [];
    const tokens = managerFor({ ...client, logger: { debug: (...line) => void logs.push(line) } });
    const token = await tokens.getToken(["data"]);
    const [value] = [...mock.issuedTokens.keys()];

    expect(token.value).toBe(value);
    const seen = [
      ...renderings(token),
      ...renderings([token]),
      ...renderings({ nested: { token } }),
      ...renderings(logs),
      ...renderings(tokens),
    ].join("\n");
    expect(seen).not.toContain(value);
    expect(seen).not.toContain(SECRET);
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      value: "[redacted]",
      type: "bearer",
      scopes: ["data"],
      expiresAt: token.expiresAt,
    });
    expect(inspect(token)).toContain("bearer");
  });
});
