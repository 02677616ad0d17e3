// Runs the BUILT `dealcloud` bin as a subprocess (as a user would), against a mock site on loopback that the test
// can inspect; counts the Data API writes that reach it.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMockDealCloud, DEFAULT_MOCK_CLIENT, type MockDealCloudOptions } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";

/** The built bin (`pnpm build` first: the tests run what users run). */
export const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

/** What one run of the bin did. */
export interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment with nothing of the machine's DealCloud settings, so a test sees only what it passes. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env))
    if (value !== undefined && !/^(DEALCLOUD_|DC_SDK_)/.test(name)) env[name] = value;
  env["XDG_CONFIG_HOME"] = join(tmpdir(), "dealcloud-cli-test-no-config");
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

/** Runs `dealcloud ...args`; resolves when it exits (killed after `timeoutMs`, default 60 s). */
export function runBin(
  args: readonly string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: options.env ?? cleanEnv(),
      cwd: options.cwd,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** A mock site served on loopback, the environment that points the bin at it, and a count of writes. */
export async function serveSite(options: MockDealCloudOptions = {}) {
  const mock = createMockDealCloud(options);
  const received: { method: string; path: string; body?: unknown }[] = [];
  // The server calls `handle`; every other member stays the mock's own.
  const counted = Object.create(mock, {
    handle: {
      value: async (request: Request) => {
        const path = new URL(request.url).pathname;
        // Publications acknowledgements are kept with their body, to check what was acknowledged.
        const body = path.endsWith("/publication/acknowledge") ? await request.clone().json() : undefined;
        received.push({ method: request.method, path, ...(body === undefined ? {} : { body }) });
        return mock.handle(request);
      },
    },
  });
  const server = await serveMockDealCloud({ mock: counted });
  const env = cleanEnv({
    DEALCLOUD_SITE: server.url,
    DEALCLOUD_CLIENT_ID: DEFAULT_MOCK_CLIENT.clientId,
    DEALCLOUD_CLIENT_SECRET: DEFAULT_MOCK_CLIENT.clientSecret,
  });
  return {
    mock,
    url: server.url,
    env,
    received,
    /** Data API writes (rows and cells POST/PUT/PATCH/DELETE) that reached the site. */
    writes: () =>
      received.filter(
        (r) =>
          r.path.startsWith("/api/rest/v4/data/entrydata/") && r.method !== "GET" && !r.path.includes("/rows/query/"),
      ).length,
    /** Every Publications acknowledgement sent, as `[{ Name, Offset }]` lists, in order. */
    acknowledgements: () =>
      received.filter((r) => r.body !== undefined).map((r) => r.body as { Name: string; Offset: number }[]),
    close: () => server.close(),
  };
}

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "dealcloud-cli-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A mock row's value as the CLI writes it by name: `{ id, name }` objects become their name. */
export function byName(value: unknown, multi: boolean): unknown {
  const one = (item: unknown) =>
    typeof item === "object" && item !== null && "name" in item ? (item as { name: unknown }).name : item;
  if (Array.isArray(value)) return multi ? value.map(one) : one(value[0]);
  return multi && value !== null && value !== undefined ? [one(value)] : one(value);
}
