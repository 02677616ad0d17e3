// Reading an import file: CSV (csv-parse) or NDJSON, every row with its line number, checked before any write.
import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { UsageError } from "./errors.js";

/** One input row with where it came from. */
export interface InputRow {
  /** The line of the file the row is on (1-based, line 1 of a CSV being its header; a quoted value spanning lines gives its last). */
  readonly line: number;
  /** The values by column name: strings from a CSV, JSON values from NDJSON. */
  readonly values: Record<string, unknown>;
}

/** The rows of a file and its columns (every key any row uses). */
export interface InputFile {
  readonly format: "csv" | "ndjson";
  readonly columns: readonly string[];
  readonly rows: readonly InputRow[];
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

/** Reads and parses the whole file (a malformed line anywhere stops the import before anything is written). */
export function readInput(path: string, format: "csv" | "ndjson"): InputFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new UsageError(`Cannot read ${path}: ${(error as Error).message}`);
  }
  return format === "csv" ? parseCsv(path, text) : parseNdjson(path, text);
}

function parseCsv(path: string, text: string): InputFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, info: true, trim: false }) as unknown as typeof records;
  } catch (error) {
    throw new UsageError(`${path} is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...body] = records;
  if (!header) throw new UsageError(`${path} is empty: expected a header line of field names.`);
  const columns = header.record.map((name) => name.trim());
  const duplicate = columns.find((name, index) => columns.indexOf(name) !== index);
  if (duplicate !== undefined) throw new UsageError(`${path}: the column "${duplicate}" appears twice in the header.`);
  const rows = body.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((column, index) => [column, record[index] ?? ""])),
  }));
  return { format: "csv", columns, rows };
}

function parseNdjson(path: string, text: string): InputFile {
  const rows: InputRow[] = [];
  const columns = new Set<string>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new UsageError(`${path} line ${index + 1} is not JSON: ${(error as Error).message}`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new UsageError(`${path} line ${index + 1} is not a JSON object (one row per line).`);
    for (const key of Object.keys(value)) columns.add(key);
    rows.push({ line: index + 1, values: value as Record<string, unknown> });
  });
  return { format: "ndjson", columns: [...columns], rows };
}
