/**
 * `dealcloud`, the command-line tool of dealcloud-ts (Node only): `token`, `schema`, `export`, `import`, `typegen`
 * and `mock`. The bin is the usual way in; `runCli` runs the same program on given streams, e.g. from a script.
 *
 * @packageDocumentation
 */
export { runCli } from "./program.js";
export { ExitCode, type ExitCodeValue, UsageError } from "./errors.js";
export type { CliIo, CliOutput } from "./io.js";
