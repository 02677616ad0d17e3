// The packed-artifact check: the suite and type checks against the packages as `pnpm pack` publishes them,
// installed from the tarballs into .build/packed/fixture (scripts/packed-fixture.mjs), not the workspace links.
// Node runs under scripts/packed-guard.mjs, which fails any import resolved outside the fixture; Deno's module graph is
// checked the same way with `deno info`.
import {
  denoCheck,
  denoLeaks,
  deno,
  manifestChecks,
  node24,
  publintChecks,
  runtimeSurface,
  tsc,
  tscChecks,
} from "../packed-checks.mjs";
import { packedFixture } from "../packed-fixture.mjs";
import { runProcess, versionOf } from "./10-process.mjs";

/** Prints checks as `ok N - name` / `not ok N - name` / `ok N - name # SKIP`, then `N passed, N failed, N skipped`. */
function report(checks, log) {
  const lines = [];
  const say = (line) => {
    lines.push(line);
    log(line);
  };
  checks.forEach((check, index) => {
    const ms = check.ms === undefined ? "" : ` (${check.ms} ms)`;
    if (check.status === "ok") say(`ok ${index + 1} - ${check.name}${ms}${check.detail ? `: ${check.detail}` : ""}`);
    else if (check.status === "skip") say(`ok ${index + 1} - ${check.name}${ms} # SKIP ${check.detail}`);
    else say(`not ok ${index + 1} - ${check.name}${ms}\n  # ${(check.detail ?? "").replaceAll("\n", "\n  # ")}`);
  });
  const count = (status) => checks.filter((check) => check.status === status).length;
  say(`${count("ok")} passed, ${count("fail")} failed, ${count("skip")} skipped`);
  return { code: count("fail") === 0 ? 0 : 1, output: lines.join("\n") };
}

/** @type {import("../run.mjs").Runtime[]} */
export const runtimes = [
  {
    name: "packed: Node 24",
    version: () => versionOf(node24),
    run: async (context) => {
      const fixture = await packedFixture(context.log);
      return runProcess(node24, ["--import", "./guard.mjs", "runners/entry.js"], { ...context, cwd: fixture.fixture });
    },
  },
  {
    name: "packed: Deno 2",
    version: async () => (await versionOf(deno)).replace(/^deno /, "").replace(/ .*/, ""),
    run: async (context) => {
      const fixture = await packedFixture(context.log);
      const leaks = await denoLeaks(fixture.fixture, "runners/entry.js");
      if (leaks.length) return { code: 1, output: `Deno resolves modules outside the fixture: ${leaks.join(", ")}` };
      return runProcess(
        deno,
        ["run", "--quiet", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", "runners/entry.js"],
        {
          ...context,
          cwd: fixture.fixture,
        },
      );
    },
  },
  {
    name: "packed: types",
    version: async () =>
      `tsc ${(await versionOf(tsc)).replace(/^Version /, "")}, deno ${(await versionOf(deno)).replace(/^deno /, "").replace(/ .*/, "")}`,
    run: async (context) => {
      const fixture = await packedFixture(context.log);
      const checks = [...manifestChecks(fixture)];
      const { surface, checks: imports } = await runtimeSurface(fixture);
      checks.push(...imports);
      checks.push(await denoCheck(fixture, surface));
      checks.push(...(await tscChecks(fixture, surface)));
      checks.push(...(await publintChecks(fixture)));
      return report(checks, context.log);
    },
  },
];
