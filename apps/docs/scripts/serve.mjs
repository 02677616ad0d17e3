#!/usr/bin/env node
// Serves the built reference (apps/docs/dist) on the loopback interface, for reading it locally (`pnpm docs:serve`)
// and for the browser test. Static files only: GET and HEAD, a content type per extension, `index.html` for a
// directory (a directory asked for without its trailing slash is redirected to it, so relative links work),
// 404 for anything else. Paths are decoded and resolved inside the root; anything that would leave it (`..`,
// encoded or not, or a symbolic link pointing out) is refused with 404.
//
// Usage: node scripts/serve.mjs [--port 4173] [--root dist]
//   --port 0 picks a free port. The URL is printed once the server listens; Ctrl-C stops it.
//
// As a module: `const { url, close } = await serveDocs({ port: 0 })`.
import { createReadStream, realpathSync } from "node:fs";
import { realpath, stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const docsApp = join(dirname(fileURLToPath(import.meta.url)), "..");
/** Where `pnpm docs` writes the site. */
export const DEFAULT_ROOT = join(docsApp, "dist");
export const DEFAULT_PORT = 4173;

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/markdown; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".wasm": "application/wasm",
};

/** The content type for a file name; unknown extensions are served as bytes. */
export function contentType(file) {
  return CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream";
}

/**
 * Starts the server.
 *
 * @param {{ port?: number, root?: string, host?: string }} [options] `port` 0 picks a free one (default 4173);
 *   `root` is the directory to serve (default apps/docs/dist); `host` defaults to 127.0.0.1.
 * @returns {Promise<{ url: string, port: number, root: string, close(): Promise<void> }>} `url` ends with `/`.
 */
export async function serveDocs(options = {}) {
  const { port = DEFAULT_PORT, host = "127.0.0.1" } = options;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`port must be an integer from 0 to 65535 (got ${port}).`);
  const root = await realpath(resolve(options.root ?? DEFAULT_ROOT)).catch(() => {
    throw new Error(
      `Nothing to serve: ${resolve(options.root ?? DEFAULT_ROOT)} does not exist. Build the docs first (pnpm docs).`,
    );
  });
  if (!(await stat(root)).isDirectory()) throw new Error(`Nothing to serve: ${root} is not a directory.`);

  const server = createServer((request, response) => {
    handle(root, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, "Internal error\n");
      else response.destroy();
    });
  });
  await new Promise((resolveListen, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolveListen();
    });
  });
  const actualPort = /** @type {import("node:net").AddressInfo} */ (server.address()).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${actualPort}/`;
  return {
    url,
    port: actualPort,
    root,
    close: () =>
      new Promise((resolveClose, reject) => {
        server.close((error) => (error ? reject(error) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

/** Answers one request from the files under `root` (a real path). */
async function handle(root, request, response) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    send(response, 405, "Method not allowed\n", { allow: "GET, HEAD" });
    return;
  }
  const { pathname } = new URL(request.url ?? "/", "http://localhost");
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    send(response, 400, "Bad request\n");
    return;
  }
  if (decoded.includes("\0")) return notFound(response);
  // Resolved as a path below the root: `..` segments, encoded or not, cannot climb out of it.
  let file = resolve(root, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`);
  if (!inside(root, file)) return notFound(response);
  let info = await stat(file).catch(() => undefined);
  if (info?.isDirectory()) {
    if (!pathname.endsWith("/")) {
      send(response, 301, "Moved permanently\n", { location: `${pathname}/` });
      return;
    }
    file = join(file, "index.html");
    info = await stat(file).catch(() => undefined);
  }
  if (!info?.isFile()) return notFound(response);
  // A symbolic link inside the root may point out of it.
  const real = await realpath(file).catch(() => undefined);
  if (!real || !inside(root, real)) return notFound(response);

  response.writeHead(200, {
    "content-type": contentType(real),
    "content-length": info.size,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  await new Promise((resolveStream, reject) => {
    const stream = createReadStream(real);
    stream.once("error", reject);
    response.once("close", resolveStream);
    stream.pipe(response);
  });
}

function inside(root, file) {
  return file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
}

function notFound(response) {
  send(response, 404, "Not found\n");
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": Buffer.byteLength(body),
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(body);
}

/** `--port 0`, `--port=0`, `--root dist` from the command line. */
function parseArgs(argv) {
  const values = {};
  for (let i = 0; i < argv.length; i++) {
    const match = /^--(port|root|host)(?:=(.*))?$/.exec(argv[i]);
    if (!match)
      throw new Error(`Unknown argument ${argv[i]}. Usage: node scripts/serve.mjs [--port 4173] [--root dist]`);
    const value = match[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${match[1]} needs a value.`);
    values[match[1]] = value;
  }
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  return {
    port,
    ...(values.root ? { root: resolve(values.root) } : {}),
    ...(values.host ? { host: values.host } : {}),
  };
}

const runDirectly = (() => {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
})();

if (runDirectly) {
  try {
    const server = await serveDocs(parseArgs(process.argv.slice(2)));
    console.log(`Serving ${server.root} at ${server.url} (Ctrl-C to stop)`);
    const stop = () => {
      server.close().finally(() => process.exit(0));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  } catch (error) {
    console.error(`serve: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
