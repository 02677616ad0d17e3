import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// The errors as a user's minifying bundler emits them: class names are mangled, so `name` must be a literal.
async function minifiedErrors(): Promise<Record<string, new (...args: any[]) => Error>> {
  const out = await build({
    stdin: {
      contents: 'export * from "@dealcloud-ts/client";',
      resolveDir: fileURLToPath(new URL("..", import.meta.url)),
      loader: "js",
    },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    write: false,
  });
  const url = `data:text/javascript;base64,${Buffer.from(out.outputFiles[0]!.text).toString("base64")}`;
  return import(url);
}

describe("error classes", () => {
  it("keep their literal names after minification, and share one base class with the token errors", async () => {
    const e = (await minifiedErrors()) as Record<string, new (...args: any[]) => Error & { code: string }>;
    const response = new Response("{}", { status: 500 });
    const details = { operation: "GET /entrytypes", body: {}, requestedScopes: ["data"], response };
    const made: [string, Error & { code: string }][] = [
      ["DealCloudError", new e.DealCloudError!("ABORTED", "stopped")],
      ["DealCloudAuthError", new e.DealCloudAuthError!("TIMEOUT", "took too long")],
      ["MissingScopeError", new e.MissingScopeError!("backup", "POST /request", ["data"])],
      ["APIError", new e.APIError!(details)],
      ["AuthenticationError", new e.AuthenticationError!(details)],
      ["PermissionDeniedError", new e.PermissionDeniedError!(details)],
      ["NotFoundError", new e.NotFoundError!(details)],
      ["RateLimitError", new e.RateLimitError!(details, 1000)],
      ["InternalServerError", new e.InternalServerError!(details)],
      ["ConnectionError", new e.ConnectionError!("GET /entrytypes", new TypeError("fetch failed"))],
      ["TimeoutError", new e.TimeoutError!("GET /entrytypes", 500)],
      ["AbortedError", new e.AbortedError!("GET /entrytypes", undefined)],
    ];
    for (const [name, error] of made) {
      expect(error.name, name).toBe(name);
      expect(error, name).toBeInstanceOf(e.DealCloudError!);
      expect(typeof error.code, name).toBe("string");
    }
    // The minifier did mangle the class names, so the literal names are what kept them.
    expect(made.filter(([name, error]) => error.constructor.name !== name).length).toBeGreaterThan(0);
  });
});
