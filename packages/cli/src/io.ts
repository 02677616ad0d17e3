// Where a command reads and writes: the process's streams, or a test's.
import type { Readable } from "node:stream";

/** What the CLI needs of an output stream, such as `process.stdout` or a `Writable`. */
export interface CliOutput {
  /** Writes text; false when the stream's buffer is full and the writer should wait for `"drain"`. */
  write(text: string): boolean;
  /** Listens for `"drain"` (room again) or `"error"`. */
  on(event: "drain" | "error", listener: (...args: unknown[]) => void): unknown;
  /** Stops listening. */
  off(event: "drain" | "error", listener: (...args: unknown[]) => void): unknown;
  /** True when the stream is a terminal: long work then draws a progress bar on stderr. */
  readonly isTTY?: boolean;
}

/** The streams and environment one run of the CLI uses. */
export interface CliIo {
  /** Results: data, tables, JSON. */
  readonly stdout: CliOutput;
  /** Diagnostics: progress, summaries, warnings, errors. */
  readonly stderr: CliOutput;
  /** Read by `--client-secret-stdin`. */
  readonly stdin: Readable;
  /** The environment variables (credentials come from here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM: long commands stop, clean up and flush. */
  readonly signal: AbortSignal;
}

/** Writes a line to stderr (diagnostics). */
export const note = (io: CliIo, line: string): void => {
  io.stderr.write(`${line}\n`);
};

/** Formats a count with thousands separators: 100000 → "100,000". */
export const count = (n: number): string => Math.round(n).toLocaleString("en-US");

/** "1 row", "2 rows", "100,000 rows". */
export const counted = (n: number, word: string): string => `${count(n)} ${n === 1 ? word : `${word}s`}`;
