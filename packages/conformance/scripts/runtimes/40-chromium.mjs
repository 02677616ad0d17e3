// The browser runtime: the suite bundled into a page that Chromium (headless, driven by playwright-core) loads
// from a loopback backend on another origin than the mock. The page uses the token-provider pattern, so it holds
// no secret (the suite then skips its secret-redaction test) and every SDK call to the mock is a CORS request.
// Chromium is Debian's package, found or installed by scripts/ensure-chromium.sh at the repo root (playwright's
// own browser download does not work here); set CHROMIUM_PATH to use another binary.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { serveBrowserBackend } from "../chromium-backend.mjs";
import { bundleBrowserPage } from "../chromium-bundle.mjs";

const here = import.meta.dirname;
const ensureScript = join(here, "../../../../scripts/ensure-chromium.sh");
const TIMEOUT_MS = 60_000;

/** The Chromium binary's path, installing Debian's package on first use (once per process). */
let pathPromise;
function chromiumPath() {
  pathPromise ??= new Promise((resolve, reject) => {
    execFile("bash", [ensureScript], { timeout: 10 * 60_000 }, (error, stdout, stderr) => {
      const path = stdout.trim().split("\n").pop();
      if (error || !path)
        reject(new Error(`ensure-chromium.sh failed: ${(stderr || error?.message || "no path printed").trim()}`));
      else resolve(path);
    });
  });
  return pathPromise;
}

/** `chromium --version`, e.g. "150.0.7871.100". */
async function chromiumVersion() {
  const path = await chromiumPath();
  const output = await new Promise((resolve, reject) => {
    execFile(path, ["--version"], { timeout: 30_000 }, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
  return /(\d+(?:\.\d+)+)/.exec(output)?.[1] ?? output.trim();
}

/** Bundles the page, serves it, runs it in headless Chromium; resolves with the suite's lines and an exit code. */
async function runInChromium({ mockUrl, log }) {
  const executablePath = await chromiumPath();
  const dir = await bundleBrowserPage();
  let output = "";
  const take = (text) => {
    output += `${text}\n`;
    for (const line of text.split("\n")) if (line.trim()) log(line);
  };
  let backend;
  let browser;
  try {
    backend = await serveBrowserBackend({ dir, mockUrl, log });
    browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
    const page = await browser.newPage();
    // The suite's lines come as console.log; anything else the browser says (CORS refusals, uncaught errors,
    // failed requests) is reported with a prefix, as it explains failures.
    // "Failed to load resource" lines (the 401, 403 and 429 answers the suite provokes) do not name the URL: add it.
    page.on("console", (message) => {
      if (message.type() === "log") return take(message.text());
      const where = message.text().startsWith("Failed to load resource") ? ` (${message.location().url})` : "";
      take(`console.${message.type()}: ${message.text()}${where}`);
    });
    page.on("pageerror", (error) => take(`page error: ${error.message}`));
    page.on("requestfailed", (request) => {
      const reason = request.failure()?.errorText ?? "failed";
      // Aborted requests are expected: the suite aborts one on purpose.
      if (reason !== "net::ERR_ABORTED") take(`request failed: ${request.method()} ${request.url()} ${reason}`);
    });
    await page.goto(`${backend.url}/?mock=${encodeURIComponent(mockUrl)}`);
    let summary;
    try {
      summary = await (
        await page.waitForFunction(() => window.__conformance, undefined, { timeout: TIMEOUT_MS })
      ).jsonValue();
    } catch (error) {
      take(`the page did not finish within ${TIMEOUT_MS / 1000} s: ${error.message.split("\n")[0]}`);
      return { code: 1, output };
    }
    return { code: summary.failed === 0 && summary.passed > 0 ? 0 : 1, output };
  } finally {
    await browser?.close().catch(() => {});
    await backend?.close();
  }
}

/** @type {import("../run.mjs").Runtime[]} */
export const runtimes = [
  {
    name: "Chromium",
    version: chromiumVersion,
    run: runInChromium,
  },
];
