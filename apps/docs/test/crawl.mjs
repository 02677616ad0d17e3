// Link crawler for the built docs site, over HTTP (the served site, not the files), so it sees what a browser sees.
// Starting from the home page it fetches every same-origin page it finds a link to, and every other same-origin
// target (assets, media, icons) once. Links come from href/src attributes of the HTML, plus the two link lists
// typedoc's JavaScript renders (the navigation tree in assets/navigation.js and the search index in
// assets/search.js, both base64 deflate JSON), so the nav and search results are checked too.
// A link is broken when its target does not answer 200, or when its #fragment names no id/name in the target.
import { inflateSync } from "node:zlib";

const ENTITIES = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&lt;": "<", "&gt;": ">" };
const decodeEntities = (text) => text.replace(/&(amp|quot|#39|lt|gt);/g, (e) => ENTITIES[e]);

/** href/src values of an HTML (or SVG) document. */
export function linksOf(html) {
  const links = [];
  for (const m of html.matchAll(/\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi))
    links.push(decodeEntities(m[1] ?? m[2]));
  return links;
}

/** Anchor targets of an HTML or SVG document: every id and every <a name>. */
export function anchorsOf(text) {
  const ids = new Set();
  for (const m of text.matchAll(/\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)) ids.add(decodeEntities(m[1] ?? m[2]));
  return ids;
}

/** The JSON typedoc embeds in assets/navigation.js and assets/search.js: `window.x = "<base64 deflate>"`. */
export function typedocData(script) {
  const m = /=\s*"([A-Za-z0-9+/=]+)"/.exec(script);
  if (!m) return undefined;
  return JSON.parse(inflateSync(Buffer.from(m[1], "base64")).toString("utf8"));
}

/** Every `path` in the navigation tree. */
function navigationPaths(nodes, out = []) {
  for (const node of nodes ?? []) {
    if (node.path) out.push(node.path);
    navigationPaths(node.children, out);
  }
  return out;
}

/**
 * Crawls the site at `base` (ends with "/"). Returns { pages, targets, broken, checkedLinks }: pages are the HTML
 * pages reached (paths relative to base), broken the `{ from, href, reason }` of every bad link.
 */
export async function crawl(base, { concurrency = 16 } = {}) {
  const origin = new URL(base).origin;
  const fetched = new Map(); // url without fragment → Promise<{ status, type, anchors }>
  const pages = new Set();
  const links = []; // { from, href, url }
  const queue = [];

  const get = (url) => {
    if (!fetched.has(url)) {
      fetched.set(
        url,
        (async () => {
          try {
            const res = await fetch(url);
            const type = res.headers.get("content-type") ?? "";
            const isText = /html|svg|javascript|css|json|markdown|text/.test(type);
            const body = isText ? await res.text() : (await res.arrayBuffer(), "");
            return { status: res.status, type, body, anchors: isText ? anchorsOf(body) : new Set() };
          } catch (error) {
            return { status: 0, type: "", body: "", anchors: new Set(), error: String(error) };
          }
        })(),
      );
    }
    return fetched.get(url);
  };
  const relative = (url) => url.slice(base.length) || "/";
  const isHtml = (url) => /(\.html|\/)$/.test(new URL(url).pathname);
  const addLink = (from, href, pageUrl) => {
    if (!href || /^(mailto|javascript|data|tel):/i.test(href)) return;
    let url;
    try {
      url = new URL(href, pageUrl);
    } catch {
      links.push({ from, href, url: undefined });
      return;
    }
    if (url.origin !== origin) return; // external links are not checked here
    links.push({ from, href, url: url.href });
    const bare = url.href.split("#")[0];
    if (isHtml(bare) && bare.startsWith(base) && !pages.has(relative(bare))) {
      pages.add(relative(bare));
      queue.push(bare);
    }
  };

  pages.add(relative(base));
  queue.push(base);
  // typedoc's client-rendered link lists.
  for (const [script, label] of [
    ["assets/navigation.js", "(navigation)"],
    ["assets/search.js", "(search index)"],
  ]) {
    const { status, body } = await get(base + script);
    if (status !== 200) continue;
    const data = typedocData(body);
    const paths = label === "(navigation)" ? navigationPaths(data) : (data?.rows ?? []).map((row) => row.url);
    for (const path of paths) addLink(label, path, base);
  }
  const crawlPage = async (url) => {
    const { status, type, body } = await get(url);
    if (status !== 200 || !type.includes("html")) return;
    for (const href of linksOf(body)) addLink(relative(url), href, url);
  };
  while (queue.length) await Promise.all(queue.splice(0, concurrency).map(crawlPage));

  // Check every link: the target answers 200 and has the fragment.
  const broken = [];
  await Promise.all(
    links.map(async ({ from, href, url }) => {
      if (!url) return broken.push({ from, href, reason: "not a valid URL" });
      const [bare, fragment] = url.split("#");
      const target = await get(bare);
      if (target.status !== 200) return broken.push({ from, href, reason: target.error ?? `HTTP ${target.status}` });
      if (fragment && !target.anchors.has(decodeURIComponent(fragment)))
        broken.push({ from, href, reason: `no #${decodeURIComponent(fragment)} in ${relative(bare)}` });
    }),
  );
  const unique = new Map(broken.map((b) => [`${b.from} → ${b.href}`, b]));
  return { pages: [...pages], targets: fetched.size, checkedLinks: links.length, broken: [...unique.values()] };
}
