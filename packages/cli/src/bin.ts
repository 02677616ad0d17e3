#!/usr/bin/env node
// The `dealcloud` bin: the process's streams, Ctrl-C as an abort signal (a second Ctrl-C exits at once).
import { runCli } from "./program.js";

const stop = new AbortController();
let interrupts = 0;
const interrupt = () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  stop.abort();
};
process.on("SIGINT", interrupt).on("SIGTERM", interrupt);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  signal: stop.signal,
});
process.exitCode = code;
// Keep-alive sockets and timers must not hold the process once the command is done.
// A stdout whose reader is gone (EPIPE) will never drain: exit at once then too.
const { stdout } = process;
if (stdout.writableLength === 0 || stdout.destroyed || stdout.errored) process.exit(code);
else stdout.once("drain", () => process.exit(code)).once("error", () => process.exit(code));
