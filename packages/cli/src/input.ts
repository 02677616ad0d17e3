// Reading an import file: CSV (csv-parse) or NDJSON, every row with its line number, streamed from disk so that a
// file of any size needs memory for one row at a time. The import reads it twice: once to check every row before
// anything is written, then to write.
import { createReadStream } from "node:fs";
import { parse } from "csv-parse";
import { UsageError } from "./errors.js";

/** One input row with where it came from. */
export interface InputRow {
  /** The line of the file the row is on (1-based, line 1 of a CSV being its header; a quoted value spanning lines gives its last). */
  readonly line: number;
  /** The values by column name: strings from a CSV, JSON values from NDJSON. */
  readonly values: Record<string, unknown>;
}

/** An import file, read afresh by each call of `rows()`. */
export interface InputFile {
  readonly format: "csv" | "ndjson";
  /**
   * The file's columns, in order of first appearance: a CSV's header (known once its first line is read), every
   * key any NDJSON row uses (complete once `rows()` has been read to the end).
   */
  readonly columns: ReadonlySet<string>;
  /** The rows, streamed from the file; a malformed line rejects with a {@link UsageError} naming it. */
  rows(): AsyncIterable<InputRow>;
}

/** The format of `path` from `--format` or its extension. */
export function inputFormat(path: string, format: string | undefined): "csv" | "ndjson" {
  const chosen = format ?? (/\.csv$/i.test(path) ? "csv" : /\.(ndjson|jsonl)$/i.test(path) ? "ndjson" : undefined);
  if (chosen === "csv" || chosen === "ndjson") return chosen;
  throw new UsageError(
    format === undefined
      ? `Cannot tell the format of ${path} from its name: pass --format csv or --format ndjson.`
      : `--format must be csv or ndjson for import; got ${format}.`,
  );
}

/** Opens `path` for streamed reads (nothing is read until `rows()` is iterated). */
export function openInput(path: string, format: "csv" | "ndjson"): InputFile {
  const columns = new Set<string>();
  return { format, columns, rows: () => (format === "csv" ? csvRows(path, columns) : ndjsonRows(path, columns)) };
}

/** A read error as what to fix. */
const unreadable = (path: string, error: unknown) =>
  error instanceof UsageError ? error : new UsageError(`Cannot read ${path}: ${(error as Error).message}`);

async function* csvRows(path: string, columns: Set<string>): AsyncGenerator<InputRow> {
  const file = createReadStream(path);
  const parser = file.pipe(parse({ bom: true, skip_empty_lines: true, info: true, trim: false }));
  // A pipe does not pass on its source's errors: an unreadable file ends the parse with what to fix.
  file.once("error", (error) => parser.destroy(unreadable(path, error)));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = record.map((name) => name.trim());
        const duplicate = header.find((name, index) => header!.indexOf(name) !== index);
        if (duplicate !== undefined)
          throw new UsageError(`${path}: the column "${duplicate}" appears twice in the header.`);
        for (const name of header) columns.add(name);
        continue;
      }
      const values: Record<string, unknown> = {};
      for (let index = 0; index < header.length; index++) values[header[index]!] = record[index] ?? "";
      yield { line: info.lines, values };
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path} is not valid CSV: ${(error as Error).message}`);
  } finally {
    file.destroy();
  }
  if (!header) throw new UsageError(`${path} is empty: expected a header line of field names.`);
}

/** One NDJSON line as a row, or undefined for a blank line. */
function ndjsonRow(path: string, raw: string, number: number): InputRow | undefined {
  const line = raw.trim();
  if (line === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UsageError(`${path} line ${number} is not JSON: ${(error as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UsageError(`${path} line ${number} is not a JSON object (one row per line).`);
  return { line: number, values: value as Record<string, unknown> };
}

async function* ndjsonRows(path: string, columns: Set<string>): AsyncGenerator<InputRow> {
  const file = createReadStream(path, { encoding: "utf8" });
  let number = 0;
  let rest = "";
  const rowOf = (raw: string) => {
    const row = ndjsonRow(path, raw, ++number);
    if (row) for (const key of Object.keys(row.values)) columns.add(key);
    return row;
  };
  try {
    for await (const chunk of file as AsyncIterable<string>) {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop()!;
      for (const raw of lines) {
        const row = rowOf(raw);
        if (row) yield row;
      }
    }
  } catch (error) {
    throw unreadable(path, error);
  } finally {
    file.destroy();
  }
  const last = rowOf(rest);
  if (last) yield last;
}
