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
if (process.stdout.writableLength === 0) process.exit(code);
else process.stdout.once("drain", () => process.exit(code));
