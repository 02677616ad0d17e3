// Runs the Worker in workerd (the open-source Workers runtime) against the mock DealCloud on loopback, and checks
// what a caller sees. `node test/worker.test.mjs`; prints `N passed, N failed`, exits 1 on a failure, and always
// stops workerd and the mocks.
//
// The Worker is bundled with esbuild as `pnpm build` does, and served by `workerd serve` under a generated config
// with three services on three loopback ports: the mock's real credentials, a wrong secret, and a second mock whose
// tokens live 8 s (to watch a background refresh outlive the answer that started it). No compatibility flags.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";

const require = createRequire(import.meta.url);
/** The workerd package: `default` is its binary's path, `compatibilityDate` the newest date it supports. */
const workerd = require("workerd");
const app = join(import.meta.dirname, "..");
const WRONG_SECRET = "not-the-secret-7f3a9c";

// ---- a tiny harness: tests run in order, each result printed as it lands ----
const tests = [];
const test = (name, fn) => tests.push({ name, fn });
function assert(condition, message) {
  if (!condition) throw new Error(message);
}
function assertEqual(actual, expected, what) {
  const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- setup ----
async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function compatibilityDate() {
  const today = new Date().toISOString().slice(0, 10);
  return workerd.compatibilityDate < today ? workerd.compatibilityDate : today;
}

/** One Worker service per entry of `services`, each with its own bindings and loopback port. */
function config(services) {
  const text = (value) => JSON.stringify(String(value));
  const worker = (bindings) => `(
      modules = [ (name = "worker.js", esModule = embed "worker.js") ],
      compatibilityDate = ${text(compatibilityDate())},
      bindings = [ ${Object.entries(bindings)
        .map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
        .join(", ")} ],
      globalOutbound = "internet",
    )`;
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
${services.map((service) => `    (name = ${text(service.name)}, worker = ${worker(service.bindings)}),`).join("\n")}
    # The mock listens on loopback, which workerd's default outbound network ("public" only) refuses.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [
${services.map((service) => `    (name = ${text(service.name)}, address = ${text(`127.0.0.1:${service.port}`)}, http = (), service = ${text(service.name)}),`).join("\n")}
  ],
);
`;
}

/** Waits until the Worker answers on `url`, or fails with workerd's output if it exits or takes too long. */
async function waitUntilServing(url, child, output) {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}:\n${output()}`);
    try {
      await fetch(url);
      return;
    } catch {
      await sleep(50);
    }
  }
  throw new Error(`workerd did not answer on ${url} within 10 s:\n${output()}`);
}

const dir = mkdtempSync(join(tmpdir(), "worker-example-"));
const site = await serveMockDealCloud({ port: 0 });
const shortSite = await serveMockDealCloud({ port: 0, tokenLifetimeSeconds: 8 });
const coldSite = await serveMockDealCloud({ port: 0 });
let child;
let logs = "";
let passed = 0;
let failed = 0;
try {
  await build({
    entryPoints: [join(app, "src/worker.ts")],
    outfile: join(dir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "warning",
  });
  const credentials = (url, secret = DEFAULT_MOCK_CLIENT.clientSecret) => ({
    DEALCLOUD_URL: url,
    DEALCLOUD_CLIENT_ID: DEFAULT_MOCK_CLIENT.clientId,
    DEALCLOUD_CLIENT_SECRET: secret,
  });
  const services = [
    { name: "main", port: await freePort(), bindings: credentials(site.url) },
    { name: "wrong-secret", port: await freePort(), bindings: credentials(site.url, WRONG_SECRET) },
    { name: "short-tokens", port: await freePort(), bindings: credentials(shortSite.url) },
    { name: "cold", port: await freePort(), bindings: credentials(coldSite.url) },
  ];
  writeFileSync(join(dir, "config.capnp"), config(services));
  child = spawn(workerd.default, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (chunk) => (logs += chunk));
  child.stderr.on("data", (chunk) => (logs += chunk));
  const [main, wrongSecret, shortTokens, cold] = services.map((service) => `http://127.0.0.1:${service.port}`);
  for (const url of [main, wrongSecret, shortTokens, cold]) await waitUntilServing(url, child, () => logs);
  const tokenRequests = (mock = site.mock) => mock.tokenRequests.filter((record) => record.status === 200);

  test("GET /companies?name=Intapp answers the matching row as JSON", async () => {
    const response = await fetch(`${main}/companies?name=Intapp`);
    assertEqual(response.status, 200, "status");
    assert(response.headers.get("content-type")?.startsWith("application/json"), "a JSON answer");
    const body = await response.json();
    assertEqual(body.totalRecords, 1, "totalRecords");
    assertEqual(
      body.rows.map((row) => [row.EntryId, row.CompanyName?.name]),
      [[5000001, "Intapp"]],
      "rows",
    );
  });

  test("a second request reuses the token of the first (one token request, scope data)", async () => {
    const response = await fetch(`${main}/companies?name=health`);
    assertEqual(response.status, 200, "status");
    assertEqual(
      (await response.json()).rows.map((row) => row.CompanyName?.name),
      ["Contoso Health"],
      "rows",
    );
    assertEqual(
      tokenRequests().map((record) => record.scope),
      ["data"],
      "token requests",
    );
  });

  test("requests arriving together on a cold isolate share one token request (one manager for the isolate)", async () => {
    // waitUntilServing's probe went to /, which needs no token.
    const answers = await Promise.all(Array.from({ length: 10 }, () => fetch(`${cold}/companies?name=Intapp`)));
    assertEqual(
      answers.map((answer) => answer.status),
      answers.map(() => 200),
      "statuses",
    );
    assertEqual(tokenRequests(coldSite.mock).length, 1, "token requests");
  });

  test("a name nothing matches answers no rows", async () => {
    const response = await fetch(`${main}/companies?name=${encodeURIComponent("no such company")}`);
    assertEqual(response.status, 200, "status");
    assertEqual(await response.json(), { totalRecords: 0, rows: [] }, "body");
  });

  test("a 403 from DealCloud becomes a JSON error naming the upstream status", async () => {
    site.mock.faults.add({ route: "data", status: 403 });
    const response = await fetch(`${main}/companies?name=Intapp`);
    assertEqual(response.status, 502, "status");
    const { error } = await response.json();
    assertEqual([error.code, error.upstreamStatus], ["PERMISSION_DENIED", 403], "error");
  });

  test("a wrong secret gives a JSON error that does not contain it", async () => {
    const response = await fetch(`${wrongSecret}/companies?name=Intapp`);
    assertEqual(response.status, 502, "status");
    const text = await response.text();
    assertEqual(JSON.parse(text).error.code, "INVALID_CLIENT", "code");
    for (const secret of [WRONG_SECRET, DEFAULT_MOCK_CLIENT.clientSecret])
      assert(!text.includes(secret), "a secret is in the answer");
  });

  test("an unknown path answers 404 JSON", async () => {
    const response = await fetch(`${main}/nope`);
    assertEqual(response.status, 404, "status");
    assertEqual((await response.json()).error.code, "NOT_FOUND", "code");
  });

  test("near expiry, a background refresh outlives the answer (waitUntil) and later requests use its token", async () => {
    // Tokens of this mock live 8 s: from 4 s the SDK serves the cached token and refreshes in the background;
    // from 6 s a caller would have to wait for a new one. The margins are wide so a busy CI machine keeps to them.
    assertEqual((await fetch(`${shortTokens}/companies?name=Intapp`)).status, 200, "first status");
    assertEqual(tokenRequests(shortSite.mock).length, 1, "token requests after the first call");
    await sleep(4_300);
    shortSite.mock.faults.add({ route: "token", delayMs: 1_200 }); // the refresh takes longer than the answer
    assertEqual((await fetch(`${shortTokens}/companies?name=Intapp`)).status, 200, "status in the refresh window");
    assertEqual(tokenRequests(shortSite.mock).length, 1, "the answer came before the refresh ended");
    for (let i = 0; i < 200 && tokenRequests(shortSite.mock).length < 2; i++) await sleep(20);
    assertEqual(tokenRequests(shortSite.mock).length, 2, "token requests once the mock answered the refresh");
    assertEqual((await fetch(`${shortTokens}/companies?name=Intapp`)).status, 200, "status after the refresh");
    // Without waitUntil workerd cancels the refresh when the answer is sent: the mock still answers it, but the
    // token never reaches the cache, so this request would ask for a third one.
    assertEqual(tokenRequests(shortSite.mock).length, 2, "the next request uses the refreshed token from the cache");
  });

  for (const { name, fn } of tests) {
    try {
      await fn();
      passed++;
      console.log(`ok ${passed + failed} - ${name}`);
    } catch (error) {
      failed++;
      console.log(`not ok ${passed + failed} - ${name}\n  # ${error instanceof Error ? error.message : String(error)}`);
    }
  }
} catch (error) {
  failed++;
  console.log(`not ok - could not run the Worker: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 3_000);
    await exited;
    clearTimeout(timer);
  }
  await Promise.all([site.close(), shortSite.close(), coldSite.close()]);
  rmSync(dir, { recursive: true, force: true });
}
// Checked once workerd has stopped, so every line it logged is in: the Worker logs failures, never a secret.
if (child) {
  const leaked = [WRONG_SECRET, DEFAULT_MOCK_CLIENT.clientSecret].some((secret) => logs.includes(secret));
  if (leaked) failed++;
  else passed++;
  console.log(
    `${leaked ? "not ok" : "ok"} ${passed + failed} - workerd's output (the Worker's logs) contains no secret`,
  );
}
if (failed > 0 && logs.trim()) console.log(`# workerd's output:\n${logs.replace(/^/gm, "#   ")}`);
console.log(`${passed} passed, ${failed} failed`);
// The workspace's test summary adds this up with the vitest and Deno reports.
writeFileSync(new URL("../.test-report.json", import.meta.url), `${JSON.stringify({ passed, failed })}\n`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
