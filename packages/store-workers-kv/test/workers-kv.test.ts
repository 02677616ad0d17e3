// The Workers stores under workerd, through Miniflare (Cloudflare's local simulator of KV and Durable Objects):
// two Workers (two isolates, each with its own token managers) share one KV namespace and one Durable Object
// namespace, and call the mock DealCloud on loopback. The Worker is test/workers/worker.ts, bundled by esbuild.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SCOPES, type Scope } from "@dealcloud-ts/auth";
import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { type MockDealCloudServer, serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

const pkg = join(import.meta.dirname, "..");
let dir: string;
let site: MockDealCloudServer;
let mf: Miniflare;

interface TokensReport {
  ok: number;
  failed: number;
  codes: string[];
  stats: { tokenRequests: number; cacheHits: number };
  warnings: string[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "store-workers-kv-"));
  site = await serveMockDealCloud({ port: 0 });
  await build({
    entryPoints: [join(pkg, "test/workers/worker.ts")],
    outfile: join(dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "warning",
  });
  const bindings = {
    DEALCLOUD_URL: site.url,
    DEALCLOUD_CLIENT_ID: DEFAULT_MOCK_CLIENT.clientId,
    DEALCLOUD_CLIENT_SECRET: DEFAULT_MOCK_CLIENT.clientSecret,
  };
  const worker = {
    modules: true,
    modulesRoot: dir,
    scriptPath: join(dir, "worker.js"),
    compatibilityDate: "2026-07-30",
    bindings,
  };
  mf = new Miniflare({
    workers: [
      {
        ...worker,
        name: "one",
        kvNamespaces: { TOKENS: "tokens" },
        durableObjects: { COORDINATOR: "TokenCoordinatorDurableObject" },
      },
      {
        ...worker,
        name: "two",
        kvNamespaces: { TOKENS: "tokens" },
        durableObjects: { COORDINATOR: { className: "TokenCoordinatorDurableObject", scriptName: "one" } },
      },
    ],
  });
  await mf.ready;
}, 60_000);
afterEach(() => site.mock.faults.clear());
afterAll(async () => {
  await mf?.dispose();
  await site?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** GET `path` from the Worker `name` (its own isolate); answers the JSON body, failing on a non-200. */
async function ask<T>(name: "one" | "two", path: string): Promise<T> {
  const worker = await mf.getWorker(name);
  const response = await worker.fetch(`http://worker${path}`);
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${name} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

let objects = 0;
/** A Durable Object (and KV prefix) no other test used, so each test starts cold. */
const fresh = () => `test-${objects++}`;
const scopesParam = (sets: Scope[][]) => encodeURIComponent(sets.map((set) => set.join(",")).join("|"));
const tokenRequestsSince = (before: number) => site.mock.tokenRequests.slice(before);
const countByScope = (records: { scope: string }[]) => {
  const counts: Record<string, number> = {};
  for (const { scope } of records) counts[scope] = (counts[scope] ?? 0) + 1;
  return counts;
};
/** Every non-empty set of DealCloud's five scopes: 31. */
const allScopeSets = (): Scope[][] =>
  Array.from({ length: 2 ** SCOPES.length - 1 }, (_, mask) => SCOPES.filter((_, bit) => (mask + 1) & (1 << bit)));

describe("Workers KV token cache under workerd", { timeout: 60_000 }, () => {
  it("meets @dealcloud-ts/auth's shared-store contract for a store that only shares tokens, inside a Worker", async () => {
    const checks = tokenStoreContract(() => ({ get: () => undefined, set() {}, delete() {} }), {
      coordination: false,
    }).length;
    const report = await ask<{ passed: number; failures: string[] }>("one", `/contract?store=kv&object=${fresh()}`);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(checks);
  });

  it("a token one isolate obtained is reused by later requests and by the other isolate (1 token request)", async () => {
    const before = site.mock.tokenRequests.length;
    const object = fresh();
    const first = await ask<TokensReport>("one", `/tokens?store=kv&object=${object}&scopes=data`);
    const again = await ask<TokensReport>("one", `/tokens?store=kv&object=${object}&scopes=data`);
    const other = await ask<TokensReport>("two", `/tokens?store=kv&object=${object}&scopes=data`);
    expect([first.ok, again.ok, other.ok]).toEqual([1, 1, 1]);
    expect(tokenRequestsSince(before).map((record) => record.scope)).toEqual(["data"]);
    expect(other.stats.tokenRequests).toBe(0); // the second isolate read the first one's token from KV
  });

  it("has no lock: two isolates starting cold together may each ask for their own token (at most one each)", async () => {
    const before = site.mock.tokenRequests.length;
    const object = fresh();
    site.mock.faults.add({ route: "token", delayMs: 300, times: 2 }); // both are in flight before either caches
    const reports = await Promise.all(
      (["one", "two"] as const).map((name) =>
        ask<TokensReport>(name, `/tokens?store=kv&object=${object}&scopes=data&concurrency=50`),
      ),
    );
    expect(reports.map((report) => report.ok)).toEqual([50, 50]);
    expect(tokenRequestsSince(before).length).toBe(2); // per-isolate single flight, no cross-isolate one
  });
});

describe("Durable Object token store under workerd", { timeout: 60_000 }, () => {
  it("meets @dealcloud-ts/auth's shared-store contract (tokens, lock, budget, pause), inside a Worker", async () => {
    const checks = tokenStoreContract(() => ({ get: () => undefined, set() {}, delete() {} })).length;
    const report = await ask<{ passed: number; failures: string[] }>("one", `/contract?store=do&object=${fresh()}`);
    expect(report.failures).toEqual([]);
    expect(report.passed).toBe(checks);
  });

  it("2 isolates × 50 concurrent cold getToken calls for 3 scope sets: 1 token request per scope set", async () => {
    const before = site.mock.tokenRequests.length;
    const object = fresh();
    const scopes = scopesParam([["data"], ["data", "publish"], ["user_management"]]);
    site.mock.faults.add({ route: "token", delayMs: 200, times: 6 }); // keep the first requests in flight a while
    const reports = await Promise.all(
      (["one", "two"] as const).map((name) =>
        ask<TokensReport>(name, `/tokens?store=do&object=${object}&scopes=${scopes}&concurrency=50`),
      ),
    );
    expect(reports.map((report) => [report.ok, report.failed])).toEqual([
      [150, 0],
      [150, 0],
    ]);
    expect(countByScope(tokenRequestsSince(before))).toEqual({ data: 1, "data publish": 1, user_management: 1 });
  });

  it("a manager kept for the isolate's life reaches the object in later requests too (1 token request, no warning)", async () => {
    const before = site.mock.tokenRequests.length;
    const object = fresh();
    const first = await ask<TokensReport>("one", `/tokens?store=do&object=${object}&scopes=data`);
    const later = await ask<TokensReport>("one", `/tokens?store=do&object=${object}&scopes=data`);
    const other = await ask<TokensReport>("two", `/tokens?store=do&object=${object}&scopes=data`);
    expect([first, later, other].map((report) => [report.ok, report.warnings])).toEqual([
      [1, []],
      [1, []],
      [1, []],
    ]);
    expect(tokenRequestsSince(before)).toHaveLength(1);
  });

  it("a refresh that failed frees its lock: the other isolate's next request does not wait out the lock's 20 s", async () => {
    const object = fresh();
    site.mock.faults.add({ route: "token", status: 500, times: Number.POSITIVE_INFINITY });
    const failed = await ask<TokensReport>("one", `/tokens?store=do&object=${object}&scopes=data`);
    expect([failed.ok, failed.failed, failed.codes]).toEqual([0, 1, ["SERVER_ERROR"]]);
    site.mock.faults.clear();
    const started = Date.now();
    const next = await ask<TokensReport>("two", `/tokens?store=do&object=${object}&scopes=data`);
    expect([next.ok, next.warnings]).toEqual([1, []]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ["succeeded", false],
    ["failed", true],
  ])(
    "frees the lock of a refresh that %s within the request (its waitUntil), however slowly the object answers",
    async (_, fails) => {
      const object = fresh();
      if (fails) site.mock.faults.add({ route: "token", status: 500, times: Number.POSITIVE_INFINITY });
      // Each release reaches the object 500 ms late: a Worker that answered meanwhile must still send it.
      const report = await ask<TokensReport>("one", `/tokens?store=do&object=${object}&scopes=data&slowRelease=500`);
      expect([report.ok, report.failed]).toEqual(fails ? [0, 1] : [1, 0]);
      site.mock.faults.clear();
      // Time enough for a release left outside the request to happen all the same (it does not: it is cancelled).
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(await ask<{ free: boolean }>("two", `/lock?object=${object}&scopes=data`)).toEqual({ free: true });
    },
  );

  it("2 isolates asking for all 31 scope sets while the token endpoint answers 500: at most the budget (10) reach the mock", async () => {
    site.mock.faults.add({ route: "token", status: 500, times: Number.POSITIVE_INFINITY });
    const before = site.mock.tokenRequests.length;
    const object = fresh();
    const scopes = scopesParam(allScopeSets());
    const reports = await Promise.all(
      (["one", "two"] as const).map((name) =>
        ask<TokensReport>(name, `/tokens?store=do&object=${object}&scopes=${scopes}&perMinute=10&maxWait=0`),
      ),
    );
    expect(reports.map((report) => [report.ok, report.failed])).toEqual([
      [0, 31],
      [0, 31],
    ]);
    // The run takes well under 60 s, so every request the mock saw is in one window.
    const requests = tokenRequestsSince(before);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.length).toBeLessThanOrEqual(10);
  });
});
