// Row formats of export: NDJSON (one JSON row a line), a JSON array, CSV (csv-stringify). Rows are written as they
// come, so memory stays flat whatever the count.
import { stringify } from "csv-stringify/sync";
import type { Sink } from "./sink.js";

/** The formats `export` writes and `import` reads (JSON for export only). */
export type RowFormat = "ndjson" | "csv" | "json";

/** Writes rows page by page in one format: one string and one write per page, not per row. */
export interface RowWriter {
  /** Adds the rows of one page. */
  write(rows: readonly Record<string, unknown>[]): Promise<void>;
  /** Writes the format's end (the JSON array's `]`, a CSV header when there were no rows). */
  end(): Promise<void>;
}

/** How multi-value fields are joined in a CSV cell (and split again by `import`). */
export const MULTI_SEPARATOR = "; ";

/** A CSV cell: arrays joined with {@link MULTI_SEPARATOR}, null and undefined empty, objects as JSON. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.map(cell).join(MULTI_SEPARATOR);
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A writer of `format` into `sink`; `columns` are the CSV header (the fields exported, `EntryId` first). */
export function rowWriter(format: RowFormat, sink: Sink, columns: readonly string[]): RowWriter {
  switch (format) {
    case "ndjson":
      return {
        write(rows) {
          let text = "";
          for (const row of rows) text += `${JSON.stringify(row)}\n`;
          return sink.write(text);
        },
        end: async () => {},
      };
    case "json": {
      let first = true;
      return {
        write(rows) {
          let text = "";
          for (const row of rows) {
            text += `${first ? "[\n" : ",\n"}${JSON.stringify(row)}`;
            first = false;
          }
          return sink.write(text);
        },
        end: () => sink.write(first ? "[]\n" : "\n]\n"),
      };
    }
    case "csv": {
      let header = true;
      const block = (rows: readonly Record<string, unknown>[]) => {
        const text = stringify(
          rows.map((row) => columns.map((column) => cell(row[column]))),
          header ? { header: true, columns: [...columns] } : {},
        );
        header = false;
        return text;
      };
      return {
        write: (rows) => (rows.length ? sink.write(block(rows)) : Promise.resolve()),
        // With no rows at all, the file still gets its header line.
        end: () => (header ? sink.write(`${stringify([columns.slice()])}`) : Promise.resolve()),
      };
    }
  }
}
