// `dealcloud export <entryType>`: every row (or the filtered ones) to NDJSON, CSV or JSON, streamed page by page
// through `paginateRows` (the pages under `iterateRows`), flattened by the site model, flat memory, atomic `--out`.
import { paginateRows } from "@dealcloud-ts/data";
import { flattenRow } from "@dealcloud-ts/site";
import { entryTypeOf, fieldOf, type Connection } from "../connect.js";
import { checkConcurrency } from "../errors.js";
import { checkFilterFields, parseFilter } from "../filter.js";
import { type RowFormat, rowWriter } from "../formats.js";
import { type CliIo, count, counted, note } from "../io.js";
import { createProgress } from "../progress.js";
import { atomicFileSink, type Sink, streamSink } from "../sink.js";

/** The flags of `export`. */
export interface ExportFlags {
  readonly format: RowFormat;
  readonly fields?: readonly string[] | undefined;
  readonly filter?: string | undefined;
  readonly resolve: "name" | "id";
  readonly out?: string | undefined;
  readonly concurrency: number;
  readonly quiet: boolean;
  readonly json: boolean;
}

/** What an export did. */
export interface ExportSummary {
  readonly entryType: string;
  readonly rows: number;
  readonly format: RowFormat;
  readonly out: string | null;
  readonly seconds: number;
}

/** Checks the flags that need no site. */
export function checkExportFlags(flags: ExportFlags): Record<string, unknown> | undefined {
  checkConcurrency(flags.concurrency);
  return flags.filter === undefined ? undefined : parseFilter(flags.filter);
}

export async function runExport(
  io: CliIo,
  connection: Connection,
  entryTypeRef: string,
  flags: ExportFlags,
): Promise<ExportSummary> {
  const query = checkExportFlags(flags);
  const model = await connection.site.model({ signal: io.signal });
  const type = entryTypeOf(model, entryTypeRef);
  const fields = (flags.fields ?? []).map((ref) => fieldOf(model, type, ref));
  if (query) checkFilterFields(model, type, query);
  const columns = [
    "EntryId",
    ...(fields.length ? fields : type.fields.map((f) => f.apiName)).filter((f) => f !== "EntryId"),
  ];

  const sink: Sink = flags.out ? await atomicFileSink(flags.out) : streamSink(io.stdout);
  const writer = rowWriter(flags.format, sink, columns);
  const progress = createProgress(io, {
    label: `export ${type.apiName}`,
    // Rows printed to the terminal itself would tear through a bar drawn on it.
    quiet: flags.quiet || (!flags.out && io.stdout.isTTY === true),
  });
  const started = performance.now();
  let rows = 0;
  try {
    const pages = paginateRows(connection.dc.data, {
      entryTypeId: type.id,
      ...(fields.length ? { fields: fields.filter((f) => f !== "EntryId") } : {}),
      ...(query ? { query } : {}),
      concurrency: flags.concurrency,
      signal: io.signal,
      onProgress: ({ done, total }) => progress.update(done, total),
    });
    const resolve = { resolve: flags.resolve };
    for await (const page of pages) {
      // One write per page: the disk (or pipe) sets the pace, and memory holds at most `concurrency` pages.
      await writer.write(page.rows.map((row) => flattenRow(type, row, resolve)));
      rows += page.rows.length;
    }
    await writer.end();
    await sink.commit();
  } catch (error) {
    await sink.discard();
    throw error;
  } finally {
    progress.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const summary = { entryType: type.apiName, rows, format: flags.format, out: flags.out ?? null, seconds };
  if (!flags.quiet)
    note(
      io,
      `Exported ${counted(rows, `${type.apiName} row`)}${flags.out ? ` to ${flags.out}` : ""} in ${seconds.toFixed(1)} s (${count(rows / Math.max(seconds, 0.001))} rows/s).`,
    );
  if (flags.json && flags.out) io.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary;
}
