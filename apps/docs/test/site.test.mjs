// Browser test of the built docs site (apps/docs/dist, built by `typedoc --options typedoc.json`):
//   node test/site.test.mjs            (from apps/docs; `pnpm --filter @dealcloud-ts/docs test`)
// Serves dist on loopback with serveDocs (scripts/serve.mjs), opens it in the system Chromium through playwright-core
// (scripts/ensure-chromium.sh gives the path; no browser is ever downloaded), and checks what a reader meets: the
// home page and its rendered README, one page per public package, search, every internal link and #fragment
// (crawled over HTTP, see crawl.mjs), the console, the nav (a name on every entry, the guides group), and the docs
// links of the package READMEs, one h1 on the home page, and the layout of every page (nothing in the content
// column runs past it or into the "On this page" column, at 1280 px). Prints `ok N - name` / `not ok N - name`, then
// "N passed, N failed"; writes { passed, failed, skipped } to .test-report.json for the workspace summary and
// screenshots of the home page (artifacts/home.png) and the Data API page's wide table (artifacts/data-api.png).
// Exits 1 on any failure.
// DOCS_SITE_DIR=<dir> points it at another build (for trying a config out); the default is dist.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serveDocs } from "../scripts/serve.mjs";
import { crawl } from "./crawl.mjs";

const started = performance.now();
const APP = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const REPO = resolve(APP, "..", "..");
const DIST = resolve(process.env.DOCS_SITE_DIR ?? join(APP, "dist"));
const REPORT = join(APP, ".test-report.json");
const SCREENSHOT = join(APP, "artifacts", "home.png");
// Wide enough for typedoc's three columns (navigation, content, "On this page"), which start at 1200 px.
const LAYOUT_VIEWPORT = { width: 1280, height: 800 };
const WIDE_TABLE_PAGE = "documents/Data_API.html"; // its operation table is the widest on the site
const WIDE_TABLE_SCREENSHOT = join(APP, "artifacts", "data-api.png");
const DOCS_SITE = "https://dealcloud-ts.github.io/dealcloud-ts/"; // where the package READMEs link to
const PROJECT = JSON.parse(readFileSync(join(APP, "typedoc.json"), "utf8")).name;

const publicPackages = readdirSync(join(REPO, "packages"))
  .filter((dir) => existsSync(join(REPO, "packages", dir, "package.json")))
  .map((dir) => ({ dir, ...JSON.parse(readFileSync(join(REPO, "packages", dir, "package.json"), "utf8")) }))
  .filter((pkg) => !pkg.private);
const readme = readFileSync(join(REPO, "README.md"), "utf8");
const readmeHeading = /^# (.+)$/m.exec(readme)?.[1].trim();
const guidesDir = join(REPO, "docs", "guides");
const guides = (existsSync(guidesDir) ? readdirSync(guidesDir) : [])
  .filter((name) => name.endsWith(".md"))
  .map((name) => {
    const text = readFileSync(join(guidesDir, name), "utf8");
    const title =
      /^---\n[\s\S]*?^title:\s*["']?(.+?)["']?\s*$[\s\S]*?^---$/m.exec(text)?.[1] ??
      /^# (.+)$/m.exec(text)?.[1] ??
      name;
    return { file: name, title: title.trim() };
  });

const tests = [];
const test = (name, fn, { skip, timeoutMs = 120_000 } = {}) => tests.push({ name, fn, skip, timeoutMs });
const assert = (condition, message) => {
  if (!condition) throw new Error(message);
};
const withTimeout = (promise, ms, what) =>
  Promise.race([
    promise,
    new Promise((_, fail) => setTimeout(() => fail(new Error(`${what}: timed out after ${ms / 1000}s`)), ms).unref()),
  ]);

let server;
let browser;
let base;
let home; // the home page, loaded once by the first test
const homeProblems = []; // console errors, page errors and failed requests while the home page loads
let crawled;

test(`the home page loads, with the project name "${PROJECT}" and the README's heading "${readmeHeading}"`, async () => {
  home = await browser.newPage();
  home.on(
    "console",
    (msg) => msg.type() === "error" && homeProblems.push(`console.error: ${msg.text()} (${msg.location().url})`),
  );
  home.on("pageerror", (error) => homeProblems.push(`uncaught: ${error.message}`));
  home.on("requestfailed", (req) => homeProblems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  home.on("response", (res) => res.status() >= 400 && homeProblems.push(`HTTP ${res.status()}: ${res.url()}`));
  const response = await home.goto(base, { waitUntil: "load" });
  assert(response?.ok(), `GET ${base} answered ${response?.status()}`);
  await home.waitForLoadState("networkidle");
  const title = await home.title();
  assert(title.includes(PROJECT), `the page title is "${title}", expected it to name ${PROJECT}`);
  const toolbarTitle = (await home.locator("header.tsd-page-toolbar a.title").first().textContent())?.trim();
  assert(toolbarTitle?.includes(PROJECT), `the toolbar title is "${toolbarTitle}", expected ${PROJECT}`);
  const headings = (await home.locator(".col-content h1, .col-content h2").allTextContents()).map((t) => t.trim());
  assert(
    readmeHeading && headings.includes(readmeHeading),
    `no heading "${readmeHeading}" on the home page (headings: ${headings.join(" | ")})`,
  );
  const firstSection = /^## (.+)$/m.exec(readme)?.[1].trim();
  assert(
    !firstSection || headings.includes(firstSection),
    `the README's section "${firstSection}" is not on the home page`,
  );
  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await home.screenshot({ path: SCREENSHOT, fullPage: true });
  console.log(`# screenshot: ${SCREENSHOT}`);
});

test("the README's Markdown renders on the home page (its tables are tables)", async () => {
  assert(home, "the home page did not load");
  // A table row typedoc did not take for a table (e.g. after a blank line inside the table) stays as text "| … |".
  const raw = (await home.locator(".col-content p").allTextContents()).filter((text) => /^\s*\|.*\|/.test(text));
  assert(raw.length === 0, `${raw.length} paragraph(s) of raw table rows, e.g. "${raw[0]?.trim().slice(0, 100)}…"`);
  const tables = (readme.match(/^\|.*\|\n\|[\s:|-]+\|$/gm) ?? []).length; // header row + separator row
  const rendered = await home.locator(".col-content table").count();
  assert(rendered >= tables, `the README has ${tables} table(s), the home page shows ${rendered}`);
});

test("the home page shows its title once (exactly one h1)", async () => {
  assert(home, "the home page did not load");
  const h1s = (await home.locator("h1").allTextContents()).map((t) => t.trim());
  assert(h1s.length === 1, `${h1s.length} h1 elements on the home page: ${h1s.map((t) => `"${t}"`).join(", ")}`);
});

test(`one page per public package (${publicPackages.length}) exists and loads`, async () => {
  // The packages index typedoc writes (modules.html) links each package's page under its name.
  const page = await browser.newPage();
  try {
    const response = await page.goto(new URL("modules.html", base).href);
    assert(response?.ok(), `modules.html answered ${response?.status()}`);
    const links = await page
      .locator(".col-content a[href]")
      .evaluateAll((as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href })));
    const problems = [];
    for (const pkg of publicPackages) {
      const found = links.filter((l) => l.text === pkg.name);
      if (found.length !== 1) {
        problems.push(`${pkg.name}: ${found.length} links on modules.html`);
        continue;
      }
      const errors = [];
      const onError = (error) => errors.push(error.message);
      page.on("pageerror", onError);
      const res = await page.goto(found[0].href, { waitUntil: "load" });
      page.off("pageerror", onError);
      const h1 = (await page.locator("h1").first().textContent())?.trim() ?? "";
      if (!res?.ok()) problems.push(`${pkg.name}: ${found[0].href} answered ${res?.status()}`);
      else if (!h1.includes(pkg.name)) problems.push(`${pkg.name}: the page's heading is "${h1}"`);
      else if (errors.length) problems.push(`${pkg.name}: ${errors.join("; ")}`);
    }
    assert(problems.length === 0, problems.join("\n"));
  } finally {
    await page.close();
  }
});

test("the search box finds createTokenManager and links to its page", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(base, { waitUntil: "load" });
    await page.locator("#tsd-search-trigger").click();
    const input = page.locator("#tsd-search-input");
    await input.waitFor({ state: "visible" });
    await input.fill("createTokenManager");
    const result = page.locator("#tsd-search-results a", { hasText: "createTokenManager" }).first();
    await result.waitFor({ timeout: 15_000 });
    const href = await result.evaluate((a) => a.href);
    assert(href.startsWith(base), `the result links outside the site: ${href}`);
    await Promise.all([page.waitForURL((url) => url.href.split("#")[0] === href.split("#")[0]), result.click()]);
    const h1 = (await page.locator("h1").first().textContent())?.trim() ?? "";
    assert(h1.includes("createTokenManager"), `the result's page (${href}) has the heading "${h1}"`);
  } finally {
    await page.close();
  }
});

test("every internal link of every page resolves", async () => {
  crawled = await crawl(base);
  const htmlFiles = listHtml(DIST);
  const reached = new Set(
    crawled.pages.map((p) => (p === "/" ? "index.html" : p.endsWith("/") ? `${p}index.html` : p)),
  );
  const pageCount = reached.size;
  const orphans = htmlFiles.filter((f) => !reached.has(f));
  console.log(
    `# crawled ${pageCount} pages, ${crawled.targets} distinct targets, ${crawled.checkedLinks} links; ${htmlFiles.length} HTML files in dist${orphans.length ? `, not linked from anywhere: ${orphans.join(", ")}` : ""}`,
  );
  const broken = crawled.broken.sort((a, b) => a.from.localeCompare(b.from) || a.href.localeCompare(b.href));
  if (broken.length === 0) return;
  if (broken.length <= 40) {
    assert(
      false,
      `${broken.length} broken link(s), page → href:\n${broken.map((b) => `${b.from} → ${b.href} (${b.reason})`).join("\n")}`,
    );
  }
  // Many: one line per target, with a few of the pages linking to it.
  const byTarget = new Map();
  for (const b of broken) {
    const key = `${b.href.replace(/^(\.\.\/)+/, "")} (${b.reason})`;
    byTarget.set(key, [...(byTarget.get(key) ?? []), b.from]);
  }
  const lines = [...byTarget].map(
    ([target, from]) =>
      `${from.slice(0, 3).join(", ")}${from.length > 3 ? ` and ${from.length - 3} more` : ""} → ${target}`,
  );
  assert(
    false,
    `${broken.length} broken link(s) to ${byTarget.size} target(s), page → href:\n${lines.slice(0, 100).join("\n")}${lines.length > 100 ? `\n… and ${lines.length - 100} more targets` : ""}`,
  );
});

test(
  `no element of any page's content column crosses its right edge or the "On this page" column (${LAYOUT_VIEWPORT.width} px wide)`,
  async () => {
    // Without JavaScript: the content's layout is typedoc's HTML and CSS (the scripts build the nav, search and the
    // collapsing, and hold the page hidden for up to 500 ms while they load); every section is then open, so this
    // sees at least what a reader can open. Four pages at a time keep 260 pages within a minute or so.
    const context = await browser.newContext({ viewport: LAYOUT_VIEWPORT, javaScriptEnabled: false });
    const problems = [];
    let offenders = 0;
    try {
      const files = listHtml(DIST);
      const queue = [...files];
      const worker = async () => {
        const page = await context.newPage();
        for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
          await page.goto(new URL(file, base).href, { waitUntil: "load" });
          const found = await page.evaluate(contentOverflow);
          if (found.length === 0) continue;
          offenders += found.length;
          const shown = found.slice(0, 3).map((o) => `${o.element} by ${o.by} px (${o.where})`);
          problems.push(`${file}: ${found.length} element(s): ${shown.join("; ")}${found.length > 3 ? "; …" : ""}`);
        }
      };
      await Promise.all(Array.from({ length: 4 }, worker));
      problems.sort();
      console.log(`# layout: ${files.length} pages checked, ${problems.length} with overflow, ${offenders} element(s)`);
    } finally {
      await context.close();
    }
    // A look at the widest table as a reader sees it (scripts on), for the artifacts.
    if (existsSync(join(DIST, WIDE_TABLE_PAGE))) {
      const page = await browser.newPage({ viewport: LAYOUT_VIEWPORT });
      try {
        await page.goto(new URL(WIDE_TABLE_PAGE, base).href, { waitUntil: "networkidle" });
        await page.locator(".col-content table").last().scrollIntoViewIfNeeded();
        await page.screenshot({ path: WIDE_TABLE_SCREENSHOT });
        console.log(`# screenshot: ${WIDE_TABLE_SCREENSHOT}`);
      } finally {
        await page.close();
      }
    }
    assert(
      problems.length === 0,
      `${problems.length} page(s) where content runs out of its column:\n${problems.join("\n")}`,
    );
    // The generated operations/paths pages are about 1 MB of HTML each and take seconds apiece to lay out.
  },
  { timeoutMs: 600_000 },
);

test("no console errors on the home page", async () => {
  assert(home, "the home page did not load");
  assert(homeProblems.length === 0, homeProblems.join("\n"));
});

test(
  `the nav has a "Guides" group listing every docs/guides page (${guides.length})`,
  async () => {
    const page = await browser.newPage();
    try {
      await page.goto(base, { waitUntil: "load" });
      await page.locator("#tsd-nav-container a").first().waitFor({ state: "attached", timeout: 15_000 });
      // typedoc renders a nav group as <details><summary>name</summary>…links…</details>.
      const groups = await page.locator("#tsd-nav-container details").evaluateAll((all) =>
        all.map((d) => ({
          name: d.querySelector(":scope > summary")?.textContent.trim() ?? "",
          links: [...d.querySelectorAll("a")].map((a) => a.textContent.trim()),
        })),
      );
      const group = groups.find((g) => /^guides$/i.test(g.name));
      const topLevel = await page.locator("#tsd-nav-container > li > a").allTextContents();
      assert(
        group,
        `no "Guides" group in the nav (groups: ${groups.map((g) => g.name).join(", ") || "none"}; top-level links: ${topLevel.map((t) => t.trim()).join(", ")})`,
      );
      const missing = guides.filter((g) => !group.links.includes(g.title));
      assert(
        missing.length === 0,
        `not in the Guides group: ${missing.map((g) => `${g.title} (${g.file})`).join(", ")}`,
      );
    } finally {
      await page.close();
    }
  },
  { skip: guides.length === 0 && "no docs/guides/*.md pages yet" },
);

test("the nav names every entry and lists every public package", async () => {
  const page = await browser.newPage();
  try {
    await page.goto(base, { waitUntil: "load" });
    await page.locator("#tsd-nav-container a").first().waitFor({ state: "attached", timeout: 15_000 });
    const entries = await page.locator("#tsd-nav-container a, #tsd-nav-container summary").evaluateAll((all) =>
      all.map((e) => ({
        text: e.textContent.trim(),
        where: e.getAttribute("href") ?? `group ${e.getAttribute("data-key")}`,
      })),
    );
    const unnamed = entries.filter((e) => e.text === "").map((e) => e.where);
    const texts = entries.map((e) => e.text.replace(/\s+/g, ""));
    const missing = publicPackages.filter((pkg) => !texts.some((t) => t === pkg.name || t === pkg.name.split("/")[1]));
    assert(unnamed.length === 0, `nav entries without a name: ${unnamed.join(", ")}`);
    assert(missing.length === 0, `packages not in the nav: ${missing.map((p) => p.name).join(", ")}`);
  } finally {
    await page.close();
  }
});

test("the package READMEs link to docs pages that exist", async () => {
  const problems = [];
  for (const pkg of publicPackages) {
    const file = join(REPO, "packages", pkg.dir, "README.md");
    if (!existsSync(file)) continue;
    for (const m of readFileSync(file, "utf8").matchAll(/\]\((https?:\/\/[^)\s]+)\)/g)) {
      if (!m[1].startsWith(DOCS_SITE)) continue;
      const path = m[1].slice(DOCS_SITE.length).split("#")[0];
      const res = await fetch(new URL(path, base));
      if (res.status !== 200) problems.push(`packages/${pkg.dir}/README.md → ${m[1]} (HTTP ${res.status} here)`);
    }
  }
  assert(problems.length === 0, problems.join("\n"));
});

/**
 * Runs in the page: every element inside .col-content whose ink (what it paints, cut by any scrolling or clipping
 * ancestor up to the column) ends past the column's right edge or reaches into the "On this page" column
 * (.page-menu, when it is shown beside the content). Ink is the border box of an element that paints a background,
 * a border or is replaced (img, svg, …), else its content box (typedoc's headings pad 24 px into the gutters for the
 * anchor icon; empty padding is not seen), plus the boxes of its own text. Only the outermost offender is reported.
 */
function contentOverflow() {
  const column = document.querySelector(".col-content");
  if (!column) return [{ element: "(no .col-content)", by: 0, where: "page" }];
  const columnBox = column.getBoundingClientRect();
  const menu = document.querySelector(".page-menu");
  const menuBox = menu?.getBoundingClientRect();
  const beside = menuBox && menuBox.width > 0 && menuBox.left >= columnBox.right - 1;
  const limit = beside ? Math.min(columnBox.right, menuBox.left) : columnBox.right;
  const replaced = new Set(["IMG", "SVG", "svg", "VIDEO", "CANVAS", "IFRAME", "INPUT", "TEXTAREA", "SELECT", "BUTTON"]);
  const paints = (style) =>
    !/^(transparent|rgba\(0, 0, 0, 0\))$/.test(style.backgroundColor) ||
    style.backgroundImage !== "none" ||
    Number.parseFloat(style.borderRightWidth) > 0 ||
    style.boxShadow !== "none";
  /** The right edge of `el`'s own ink, before clipping. */
  const inkRight = (el, style) => {
    const box = el.getBoundingClientRect();
    let right =
      replaced.has(el.tagName) || paints(style)
        ? box.right
        : box.right - Number.parseFloat(style.paddingRight) - Number.parseFloat(style.borderRightWidth);
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || node.textContent.trim() === "") continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const rect of range.getClientRects()) if (rect.width > 0) right = Math.max(right, rect.right);
    }
    return right;
  };
  /** `right` cut by every ancestor of `el` inside the column that clips (overflow other than visible). */
  const clipped = (el, right) => {
    for (let up = el.parentElement; up && up !== column; up = up.parentElement)
      if (getComputedStyle(up).overflowX !== "visible") right = Math.min(right, up.getBoundingClientRect().right);
    return right;
  };
  const describe = (el) => {
    const cls = [...el.classList]
      .slice(0, 2)
      .map((c) => `.${c}`)
      .join("");
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${cls}>${text ? ` "${text}"` : ""}`;
  };
  const found = [];
  const reported = new Set();
  for (const el of column.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Only a box past the limit or an element whose content overflows it (text too long) can have ink past it.
    if (box.right - limit <= 0.5 && el.scrollWidth <= el.clientWidth + 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden") continue;
    let up = el.parentElement;
    while (up && up !== column && !reported.has(up)) up = up.parentElement;
    if (up && up !== column) continue; // inside an element already reported
    const right = inkRight(el, style);
    if (right - limit <= 0.5 || clipped(el, right) - limit <= 0.5) continue;
    reported.add(el);
    const intoMenu = beside && right > menuBox.left;
    found.push({
      element: describe(el),
      by: Math.round(clipped(el, right) - (intoMenu ? menuBox.left : columnBox.right)),
      where: intoMenu ? "into the On this page column" : "past the content column",
    });
  }
  return found;
}

function listHtml(dir, prefix = "") {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((entry) => {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? listHtml(dir, path) : entry.name.endsWith(".html") ? [path] : [];
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
try {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(
      `${DIST}/index.html does not exist: build the site first (../../pnpmw exec typedoc --options typedoc.json)`,
    );
  }
  const executablePath = execFileSync(join(REPO, "scripts", "ensure-chromium.sh"), { encoding: "utf8" }).trim();
  server = await serveDocs({ port: 0, root: DIST }); // the server of pnpm docs:serve
  base = server.url.endsWith("/") ? server.url : `${server.url}/`;
  browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  console.log(`# ${DIST} served at ${base}, ${executablePath}`);
  for (const [index, { name, fn, skip, timeoutMs }] of tests.entries()) {
    const n = index + 1;
    if (skip) {
      skipped++;
      console.log(`ok ${n} - ${name} # SKIP ${skip}`);
      continue;
    }
    const t = performance.now();
    try {
      await withTimeout(fn(), timeoutMs, name);
      passed++;
      console.log(`ok ${n} - ${name} (${Math.round(performance.now() - t)} ms)`);
    } catch (error) {
      failed++;
      console.log(`not ok ${n} - ${name}`);
      console.log(String(error?.message ?? error).replace(/^/gm, "  # "));
    }
  }
} catch (error) {
  failed++;
  console.log(`not ok - setup: ${error?.message ?? error}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
}
writeFileSync(REPORT, `${JSON.stringify({ passed, failed, skipped })}\n`);
console.log(`# site test took ${((performance.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 ? 1 : 0);
