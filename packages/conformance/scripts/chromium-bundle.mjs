// Builds the browser page for the Chromium runtime: runners/browser.js bundled by esbuild (ESM, platform browser,
// the BUILT packages resolved by their bare specifiers) plus an index.html, into .build/chromium/ (gitignored).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const pkg = join(import.meta.dirname, "..");

const INDEX_HTML = `<!doctype html>
<html lang="en">
<meta charset="utf-8">
<title>dealcloud-ts conformance</title>
<pre id="out"></pre>
<script type="module" src="/browser.js"></script>
</html>
`;

/** Bundles the page; resolves with the folder holding index.html, browser.js and its source map. */
export async function bundleBrowserPage({ outdir = join(pkg, ".build/chromium") } = {}) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(pkg, "runners/browser.js")],
    outfile: join(outdir, "browser.js"),
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    sourcemap: "linked",
    logLevel: "error",
  });
  writeFileSync(join(outdir, "index.html"), INDEX_HTML);
  return outdir;
}
