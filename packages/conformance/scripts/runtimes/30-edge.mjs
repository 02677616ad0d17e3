// Vercel's edge-runtime (the `edge-runtime` package: a Node vm context holding only the Edge primitives). The
// suite is bundled into one script (an IIFE exposing `DealCloudConformance`), evaluated as the runtime's initial
// code together with a line that starts the suite and leaves its promise on a global, which this side awaits.
// The VM shares this process's event loop with the mock, so it runs in-process, under a time limit.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { build } from "esbuild";

const pkg = join(import.meta.dirname, "../..");
const outfile = join(pkg, ".build/edge/suite.js");
const require = createRequire(join(pkg, "package.json"));
const TIME_LIMIT_MS = 120_000;

/** Bundles the suite and the built packages into one script, resolved as edge bundlers do. */
async function bundle() {
  await build({
    entryPoints: [join(pkg, "src/suite.js")],
    outfile,
    bundle: true,
    format: "iife",
    globalName: "DealCloudConformance",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["edge-light", "worker", "browser"],
    target: "es2022",
    logLevel: "error",
  });
  return readFileSync(outfile, "utf8");
}

/** @type {import("../run.mjs").Runtime[]} */
export const runtimes = [
  {
    name: "edge-runtime",
    version: async () => require("edge-runtime/package.json").version,
    run: async ({ mockUrl, log }) => {
      const { EdgeRuntime } = await import("edge-runtime");
      let output = "";
      const print = (line) => {
        output += `${line}\n`;
        for (const part of String(line).split("\n")) if (part.trim()) log(part);
      };
      const code = `${await bundle()}
globalThis.__conformance = DealCloudConformance.conformanceSuite({ baseUrl: ${JSON.stringify(mockUrl)}, log: (line) => __log(line) }).run();`;
      const runtime = new EdgeRuntime({
        initialCode: code,
        extend: (context) => Object.assign(context, { __log: print }),
      });
      let timer;
      try {
        const { passed, failed } = await Promise.race([
          runtime.context.__conformance,
          new Promise((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`the suite did not finish within ${TIME_LIMIT_MS / 1000} s`)),
              TIME_LIMIT_MS,
            );
          }),
        ]);
        return { code: failed === 0 && passed > 0 ? 0 : 1, output };
      } catch (error) {
        print(`could not run the suite: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        return { code: 1, output };
      } finally {
        clearTimeout(timer);
      }
    },
  },
];
