// Row formats of export: NDJSON (one JSON row a line), a JSON array, CSV (csv-stringify). Rows are written as they
// come, so memory stays flat whatever the count.
import { stringify } from "csv-stringify/sync";
import type { Sink } from "./sink.js";

/** The formats `export` writes and `import` reads (JSON for export only). */
export type RowFormat = "ndjson" | "csv" | "json";

/** Writes rows one by one in one format. */
export interface RowWriter {
  /** Adds one row. */
  write(row: Record<string, unknown>): Promise<void>;
  /** Writes what is pending and the format's end (the JSON array's `]`). */
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

/** Rows gathered into blocks before stringifying: csv-stringify is much faster per block than per row. */
const CSV_BLOCK = 1000;

/** A writer of `format` into `sink`; `columns` are the CSV header (the fields exported, `EntryId` first). */
export function rowWriter(format: RowFormat, sink: Sink, columns: readonly string[]): RowWriter {
  switch (format) {
    case "ndjson":
      return {
        write: (row) => sink.write(`${JSON.stringify(row)}\n`),
        end: async () => {},
      };
    case "json": {
      let first = true;
      return {
        write(row) {
          const text = `${first ? "[\n" : ",\n"}${JSON.stringify(row)}`;
          first = false;
          return sink.write(text);
        },
        end: () => sink.write(first ? "[]\n" : "\n]\n"),
      };
    }
    case "csv": {
      let block: string[][] = [];
      let header = true;
      const flush = async () => {
        const text = stringify(block, header ? { header: true, columns: [...columns] } : {});
        header = false;
        block = [];
        await sink.write(text);
      };
      return {
        async write(row) {
          block.push(columns.map((column) => cell(row[column])));
          if (block.length >= CSV_BLOCK) await flush();
        },
        end: flush,
      };
    }
  }
}
