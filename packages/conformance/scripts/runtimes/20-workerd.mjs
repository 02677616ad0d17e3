// workerd, Cloudflare Workers' open-source runtime: the suite bundled into one ES module with a `test()` handler
// (runners/worker.js), run by `workerd test` under a generated config with no compatibility flags (so no
// nodejs_compat). The mock's address is a text binding; the outbound network allows loopback.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { compatibilityDate, workerdConfig } from "../workerd-config.mjs";
import { runProcess, versionOf } from "./10-process.mjs";

const pkg = join(import.meta.dirname, "../..");
const workerd = join(pkg, "node_modules/.bin/workerd");
const out = join(pkg, ".build/workerd");

/** Bundles runners/worker.js and the built packages into one module, resolved as Cloudflare's bundlers do. */
async function bundle() {
  await build({
    entryPoints: [join(pkg, "runners/worker.js")],
    outfile: join(out, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["workerd", "worker", "browser"],
    target: "es2022",
    logLevel: "error",
  });
}

/** @type {import("../run.mjs").Runtime[]} */
export const runtimes = [
  {
    name: "workerd",
    version: async () => (await versionOf(workerd)).replace(/^workerd /, ""),
    run: async (context) => {
      mkdirSync(out, { recursive: true });
      await bundle();
      const config = workerdConfig({
        modules: [{ name: "worker.js", path: "worker.js" }],
        bindings: { DEALCLOUD_MOCK_URL: context.mockUrl },
      });
      writeFileSync(join(out, "config.capnp"), config);
      context.log(`compatibility date ${compatibilityDate()}, no compatibility flags`);
      return runProcess(workerd, ["test", join(out, "config.capnp")], context);
    },
  },
];
