import { build } from "esbuild";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const entry = new URL("../src/index.ts", import.meta.url).pathname;

describe("packaging", () => {
  it("has no top-level side effects: importing it for nothing bundles to nothing, even ignoring sideEffects: false", async () => {
    const out = await build({
      stdin: { contents: `import ${JSON.stringify(entry)};`, resolveDir: ".", loader: "ts" },
      bundle: true,
      minify: true,
      format: "esm",
      write: false,
      ignoreAnnotations: true,
    });
    expect(out.outputFiles[0]?.text.trim()).toBe("");
  });

  it("bundles for a neutral platform (no Node built-ins reachable from the entry)", async () => {
    const out = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "neutral",
      format: "esm",
      write: false,
      metafile: true,
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.every((path) => path.startsWith("src/") || path.includes("/packages/auth/src/"))).toBe(true);
  });

  it("leaves the shared-store coordination out of a createTokenManager bundle; a createSharedTokenStore one has it", async () => {
    const bundle = async (code: string) =>
      (
        await build({
          stdin: { contents: code, resolveDir: new URL("../src/", import.meta.url).pathname, loader: "ts" },
          bundle: true,
          minify: true,
          format: "esm",
          write: false,
        })
      ).outputFiles[0]?.text ?? "";
    const manager = await bundle(
      'import { createTokenManager } from "./index.js"; globalThis.used = createTokenManager;',
    );
    const shared = await bundle(
      'import { createSharedTokenStore } from "./shared.js"; globalThis.used = createSharedTokenStore;',
    );
    const marker = "shared token store unavailable";
    expect(manager).not.toContain(marker);
    expect(manager).not.toContain("randomUUID");
    expect(shared).toContain(marker);
  });

  it("has no runtime dependencies", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as Record<
      string,
      unknown
    >;
    expect(pkg["dependencies"]).toBeUndefined();
    expect(pkg["sideEffects"]).toBe(false);
  });
});
