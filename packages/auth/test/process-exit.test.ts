// Issue 13 item 2, in a real process: a script whose only caller gives up must exit promptly, not linger on a
// refresh nobody waits for. Real time, bounded: each child is killed after 10 s.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_MOCK_CLIENT, type MockFault } from "@dealcloud-ts/mock";
import { type MockDealCloudServer, serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

let dir: string;
let server: MockDealCloudServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "dealcloud-auth-exit-"));
  // The package's current source, bundled, so the child runs exactly what the tests see.
  await build({
    entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
    bundle: true,
    format: "esm",
    platform: "neutral",
    outfile: join(dir, "auth.mjs"),
  });
  writeFileSync(
    join(dir, "script.mjs"),
    `import { createTokenManager } from "./auth.mjs";
const [baseUrl, clientId, clientSecret] = process.argv.slice(2);
const fetchLogged = (url, init) => (console.log("request"), fetch(url, init));
const tokens = createTokenManager({ baseUrl, clientId, clientSecret, fetch: fetchLogged });
const controller = new AbortController();
setTimeout(() => (console.log("abort"), controller.abort()), 200);
const error = await tokens.getToken("data", { signal: controller.signal }).catch((e) => e);
console.log("settled", error.code);
`,
  );
  server = await serveMockDealCloud();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the script; resolves how long after its abort it exited (Infinity when it had to be killed). */
function run(): Promise<{ afterAbortMs: number; output: string }> {
  const { clientId, clientSecret } = DEFAULT_MOCK_CLIENT;
  const child = spawn(process.execPath, [join(dir, "script.mjs"), server.url, clientId, clientSecret]);
  let output = "";
  let abortedAt = Number.NaN;
  child.stdout.on("data", (chunk: Buffer) => {
    output += String(chunk);
    if (Number.isNaN(abortedAt) && output.includes("abort")) abortedAt = performance.now();
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      clearTimeout(killer);
      resolve({ afterAbortMs: code === 0 ? performance.now() - abortedAt : Number.POSITIVE_INFINITY, output });
    }),
  );
}

describe("a script whose only caller aborts exits promptly", () => {
  it.each<[string, MockFault]>([
    ["the token endpoint hangs", { route: "token", delayMs: 90_000, times: Number.POSITIVE_INFINITY }],
    ["the token endpoint answers 429 Retry-After: 50", { route: "token", status: 429, retryAfter: "50", times: 5 }],
  ])(
    "%s",
    async (_, fault) => {
      server.mock.faults.clear();
      server.mock.faults.add(fault);
      const { afterAbortMs, output } = await run();

      expect(output).toContain("settled ABORTED");
      expect(afterAbortMs).toBeLessThan(2_000); // before: killed at 10 s (it lingered 90 s / 100 s)
      expect(output.match(/^request$/gm)).toHaveLength(1); // before: 3
    },
    20_000,
  );
});
