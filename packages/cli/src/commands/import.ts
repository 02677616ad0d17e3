// `dealcloud import <entryType> <file>`: rows from CSV or NDJSON written by names through the site model
// (choice, reference and user values by name), in create, update or upsert mode; failed rows to a report.
import type { SiteEntryType, SiteField, SiteModel, WriteByNameReport } from "@dealcloud-ts/site";
import { entryTypeOf, fieldOf, suggest, type Connection } from "../connect.js";
import { checkConcurrency, UsageError } from "../errors.js";
import { type InputFile, type InputRow, inputFormat, openInput } from "../input.js";
import { type CliIo, count, counted, note } from "../io.js";
import { createProgress } from "../progress.js";
import { writeFileAtomic } from "../sink.js";
import { statSync } from "node:fs";

/** The flags of `import`. */
export interface ImportFlags {
  readonly mode: "create" | "update" | "upsert";
  readonly key?: readonly string[] | undefined;
  readonly format?: string | undefined;
  readonly dryRun: boolean;
  readonly report?: string | undefined;
  readonly onUnknown: "error" | "skip-field";
  readonly concurrency: number;
  readonly quiet: boolean;
  readonly json: boolean;
}

/** One row that was not written, as the report file holds it (one JSON object a line). */
export interface FailedLine {
  /** The file's line. */
  readonly line: number;
  /** The error code (`UNKNOWN_NAME`, `AMBIGUOUS_KEY`, `ROW_REJECTED`, `INVALID_ARGUMENT`, …). */
  readonly code: string;
  /** Why, in words. */
  readonly reason: string;
  /** Unknown names with the closest existing ones (`UNKNOWN_NAME`). */
  readonly unknown?: readonly { field: string; value: string; suggestions: readonly string[] }[];
  /** The entries an ambiguous key matches (`AMBIGUOUS_KEY`). */
  readonly entryIds?: readonly number[];
  /** The row as read from the file. */
  readonly row: Record<string, unknown>;
}

/** What an import did (or, with `--dry-run`, would do). */
export interface ImportSummary {
  readonly entryType: string;
  readonly dryRun: boolean;
  readonly rows: number;
  readonly created: number;
  readonly updated: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly skippedValues: number;
  readonly requests: { lookups: number; suggestions: number; writes: number };
  readonly report: string | null;
  readonly failures: readonly FailedLine[];
}

/**
 * Rows per call of the site model: progress after each; keys are checked across the whole file first. The file is
 * read twice (checked, then written), so memory holds one chunk, the keys seen and the failed rows, never the file.
 */
const CHUNK_ROWS = 1000;
const MODES = { create: "insert", update: "update", upsert: "upsert" } as const;

/**
 * Maps each column to its field's apiName, as columns appear; `check()` lists every column not naming a field in
 * one UsageError (called once the whole file was read, before anything is written).
 */
function columnMap(model: SiteModel, type: SiteEntryType, path: string) {
  const mapped = new Map<string, string>();
  const unknown: string[] = [];
  const add = (columns: Iterable<string>) => {
    for (const column of columns) {
      if (mapped.has(column) || unknown.includes(column)) continue;
      const apiName = column === "EntryId" ? column : model.field(type, column)?.apiName;
      if (apiName) mapped.set(column, apiName);
      else unknown.push(column);
    }
  };
  return { mapped, add, check: () => checkColumns(type, path, unknown) };
}

function checkColumns(type: SiteEntryType, path: string, unknown: readonly string[]): void {
  if (unknown.length) {
    const names = type.fields.flatMap((f) => [f.apiName, f.name]);
    throw new UsageError(
      `${path}: ${unknown.length === 1 ? "a column maps" : "columns map"} to no field of ${type.apiName}: ${unknown
        .map(
          (column) =>
            `"${column}"${suggest(column, names)
              .replace(/^ Did you mean/, " (did you mean")
              .replace(/\?$/, "?)")}`,
        )
        .join(
          ", ",
        )}. Rename ${unknown.length === 1 ? "it" : "them"} to a field's apiName or display name (dealcloud schema ${type.apiName}), or remove ${unknown.length === 1 ? "it" : "them"}.`,
    );
  }
}

/** A CSV text turned into the value its field takes; undefined leaves the field out (an empty cell). */
function convert(field: SiteField | undefined, apiName: string, text: string): unknown {
  const value = text.trim();
  if (value === "") return undefined;
  if (apiName === "EntryId") {
    const id = Number(value);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`EntryId "${text}" is not a positive integer`);
    return id;
  }
  if (!field) return text;
  if (field.multi && (field.kind === "choice" || field.kind === "reference" || field.kind === "user"))
    return value
      .split(";")
      .map((item) => item.trim())
      .filter(Boolean);
  switch (field.kind) {
    case "number": {
      const number = Number(value);
      if (!Number.isFinite(number)) throw new Error(`${apiName}: "${text}" is not a number`);
      return number;
    }
    case "boolean": {
      const lower = value.toLowerCase();
      if (["true", "yes", "1"].includes(lower)) return true;
      if (["false", "no", "0"].includes(lower)) return false;
      throw new Error(`${apiName}: "${text}" is not true or false`);
    }
    case "choice":
    case "reference":
    case "user":
      return value;
    default:
      return text;
  }
}

/** One file row as a row for the site model, keyed by apiName. */
function toRow(
  row: InputRow,
  csv: boolean,
  columns: Map<string, string>,
  type: SiteEntryType,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, raw] of Object.entries(row.values)) {
    const apiName = columns.get(column);
    // A column naming no field: the whole import stops once the file is read (see columnMap).
    if (apiName === undefined) continue;
    if (!csv) {
      if (raw !== undefined) out[apiName] = raw;
      continue;
    }
    const field = type.fields.find((f) => f.apiName === apiName);
    const value = convert(field, apiName, String(raw));
    if (value !== undefined) out[apiName] = value;
  }
  return out;
}

/** What tells one version of a file from the next: its size and modification time (undefined if unreadable). */
function fileVersion(path: string): string | undefined {
  try {
    const { size, mtimeMs } = statSync(path);
    return `${size} ${mtimeMs}`;
  } catch {
    return undefined;
  }
}

const changedSince = (path: string, version: string | undefined) => fileVersion(path) !== version;

/**
 * The first read: every row converted and its key checked against every earlier row's, keeping only the failed
 * rows (with their reasons) and the keys seen; columns are mapped as they appear.
 */
async function checkRows(
  file: InputFile,
  columns: ReturnType<typeof columnMap>,
  keys: readonly string[],
  type: SiteEntryType,
): Promise<{ failures: FailedLine[]; rows: number }> {
  const failures: FailedLine[] = [];
  const seenKeys = new Map<string, number>();
  let rows = 0;
  let knownColumns = 0;
  for await (const line of file.rows()) {
    rows++;
    if (file.columns.size !== knownColumns) columns.add(file.columns), (knownColumns = file.columns.size);
    let row: Record<string, unknown>;
    try {
      row = toRow(line, file.format === "csv", columns.mapped, type);
    } catch (error) {
      failures.push(failure(line, error));
      continue;
    }
    const key = keys.length ? keyText(row, keys) : undefined;
    if (key === undefined) continue;
    const earlier = seenKeys.get(key);
    if (earlier !== undefined)
      failures.push(
        failure(line, new Error(`same ${keys.join(", ")} as line ${earlier}: the file names this entry twice`)),
      );
    else seenKeys.set(key, line.line);
  }
  // A CSV of a header alone has columns and no rows.
  columns.add(file.columns);
  return { failures, rows };
}

const keyText = (row: Record<string, unknown>, keys: readonly string[]) => {
  const parts = keys.map((key) =>
    String(row[key] ?? "")
      .trim()
      .toLowerCase(),
  );
  return parts.some((part) => part === "") ? undefined : JSON.stringify(parts);
};

function failure(line: InputRow, error: unknown): FailedLine {
  const e = error as { code?: string; message?: string; unknown?: FailedLine["unknown"]; entryIds?: number[] };
  return {
    line: line.line,
    code: e.code ?? "INVALID_ARGUMENT",
    // The site model numbers rows within one call ("Row 12: …"); the line says where the row is.
    reason: (e.message ?? String(error)).replace(/^Row \d+:\s*/, ""),
    ...(e.unknown ? { unknown: e.unknown } : {}),
    ...(e.entryIds ? { entryIds: e.entryIds } : {}),
    row: line.values,
  };
}

export async function runImport(
  io: CliIo,
  connection: Connection,
  entryTypeRef: string,
  path: string,
  flags: ImportFlags,
): Promise<{ summary: ImportSummary; interrupted: boolean }> {
  checkConcurrency(flags.concurrency);
  const file = openInput(path, inputFormat(path, flags.format));
  const opened = fileVersion(path);
  const model = await connection.site.model({ signal: io.signal });
  const type = entryTypeOf(model, entryTypeRef);
  const keys = (flags.key ?? []).map((key) => fieldOf(model, type, key, "key field"));
  if (flags.mode === "create" && keys.length > 0)
    throw new UsageError(`--key applies to --mode update and upsert; --mode create makes new entries only.`);

  // First read: values converted and keys checked across the whole file before anything is written.
  const columns = columnMap(model, type, path);
  const { failures, rows } = await checkRows(file, columns, keys, type);
  columns.check();
  const mapped = [...columns.mapped.values()];
  for (const key of keys)
    if (!mapped.includes(key))
      throw new UsageError(`--key ${key}: ${path} has no column for it, so no row could be matched.`);
  if (flags.mode === "upsert" && keys.length === 0 && !columns.mapped.has("EntryId"))
    throw new UsageError(`--mode upsert needs --key (e.g. --key Email) or an EntryId column to find existing entries.`);
  if (flags.mode === "update" && keys.length === 0 && !columns.mapped.has("EntryId"))
    throw new UsageError(`--mode update needs --key or an EntryId column to find the entries to update.`);
  const failedLines = new Set(failures.map((failed) => failed.line));

  const totals = { created: 0, updated: 0, unchanged: 0, skippedValues: 0 };
  const requests = { lookups: 0, suggestions: 0, writes: 0 };
  const progress = createProgress(io, {
    label: `${flags.dryRun ? "check" : "import"} ${type.apiName}`,
    quiet: flags.quiet,
  });
  let settled = failures.length;
  let interrupted = false;
  const write = async (chunk: readonly { line: InputRow; row: Record<string, unknown> }[]) => {
    if (io.signal.aborted) {
      interrupted = true;
      for (const { line } of chunk)
        failures.push(failure(line, { code: "NOT_SENT", message: "interrupted before it was sent" }));
      return;
    }
    const report: WriteByNameReport = await connection.site[MODES[flags.mode]](
      type.id,
      chunk.map(({ row }) => row),
      {
        ...(keys.length ? { key: keys } : {}),
        onUnknown: flags.onUnknown,
        concurrency: flags.concurrency,
        dryRun: flags.dryRun,
        signal: io.signal,
      },
    );
    totals.created += report.created.length;
    totals.updated += report.updated.length;
    totals.unchanged += report.unchanged.length;
    totals.skippedValues += report.skipped.length;
    requests.lookups += report.requests.lookups;
    requests.suggestions += report.requests.suggestions;
    requests.writes += report.requests.writes;
    for (const { index, error } of report.failed) failures.push(failure(chunk[index]!.line, error));
    settled += chunk.length;
    progress.update(settled, rows);
  };
  try {
    // Second read: the rows that passed, written a chunk at a time.
    if (changedSince(path, opened))
      throw new UsageError(`${path} changed while it was being checked: run the import again.`);
    const chunk: { line: InputRow; row: Record<string, unknown> }[] = [];
    for await (const line of file.rows()) {
      if (failedLines.has(line.line)) continue;
      try {
        chunk.push({ line, row: toRow(line, file.format === "csv", columns.mapped, type) });
      } catch (error) {
        // Only if the file changed between the reads in a way its size and time did not show.
        failures.push(failure(line, error));
      }
      if (chunk.length === CHUNK_ROWS) await write(chunk.splice(0));
    }
    if (chunk.length) await write(chunk);
  } finally {
    progress.stop();
  }
  failures.sort((a, b) => a.line - b.line);
  if (flags.report) await writeFileAtomic(flags.report, failures.map((f) => `${JSON.stringify(f)}\n`).join(""));
  const summary: ImportSummary = {
    entryType: type.apiName,
    dryRun: flags.dryRun,
    rows,
    ...totals,
    failed: failures.length,
    requests,
    report: flags.report ?? null,
    failures,
  };
  printSummary(io, summary, flags);
  return { summary, interrupted };
}

/** At most this many failures are printed on stderr; the report file holds them all. */
const SHOWN_FAILURES = 10;

function printSummary(io: CliIo, summary: ImportSummary, flags: ImportFlags): void {
  if (flags.json) {
    const { failures, ...rest } = summary;
    io.stdout.write(`${JSON.stringify(flags.report ? rest : summary)}\n`);
    return;
  }
  const verb = summary.dryRun ? "would be " : "";
  io.stdout.write(
    `${summary.dryRun ? "Dry run (nothing written): " : ""}${summary.entryType}: ${counted(summary.rows, "row")}, ${count(summary.created)} ${verb}created, ${count(summary.updated)} ${verb}updated, ${count(summary.unchanged)} unchanged, ${count(summary.failed)} failed.\n`,
  );
  if (flags.quiet || summary.failed === 0) return;
  for (const failed of summary.failures.slice(0, SHOWN_FAILURES))
    note(io, `  line ${failed.line}: ${failed.code} ${failed.reason}`);
  if (summary.failed > SHOWN_FAILURES) note(io, `  … and ${count(summary.failed - SHOWN_FAILURES)} more`);
  note(
    io,
    summary.report
      ? `Failed rows and their reasons: ${summary.report}`
      : "Pass --report failed.ndjson to keep every failed row with its reason.",
  );
}
