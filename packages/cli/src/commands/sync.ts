// `dealcloud sync <entryType> --state FILE`: what changed since the last run (syncEntries over DealCloud's
// history), as NDJSON; the checkpoint goes to the state file only once the output is durable.
import { readFileSync } from "node:fs";
import { type SyncCheckpoint, syncEntries } from "@dealcloud-ts/data";
import { flattenRow } from "@dealcloud-ts/site";
import { entryTypeOf, fieldOf, type Connection } from "../connect.js";
import { checkConcurrency, UsageError } from "../errors.js";
import { type CliIo, counted, note } from "../io.js";
import { createProgress } from "../progress.js";
import { atomicFileSink, type Sink, streamSink, writeFileAtomic } from "../sink.js";

/** The flags of `sync`. */
export interface SyncFlags {
  readonly state: string;
  readonly out?: string | undefined;
  readonly fields?: readonly string[] | undefined;
  readonly resolve: "name" | "id";
  readonly onStale: "error" | "full";
  readonly overlapSeconds: number;
  /** Row requests in flight (syncEntries' `concurrency`). */
  readonly concurrency: number;
  readonly quiet: boolean;
  readonly json: boolean;
}

/** What the state file holds: the library's checkpoint, as JSON. */
function readState(path: string): SyncCheckpoint | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined; // the first run: a full export
    throw new UsageError(`Cannot read the state file ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as SyncCheckpoint;
  } catch (error) {
    throw new UsageError(
      `The state file ${path} is not JSON (${(error as Error).message}); it holds the checkpoint of the last sync. Delete it to export everything again.`,
    );
  }
}

export async function runSync(
  io: CliIo,
  connection: Connection,
  entryTypeRef: string,
  flags: SyncFlags,
): Promise<void> {
  if (!Number.isInteger(flags.overlapSeconds) || flags.overlapSeconds < 0 || flags.overlapSeconds > 86_400)
    throw new UsageError(
      `--overlap must be a whole number of seconds from 0 to 86400; got ${String(flags.overlapSeconds)}.`,
    );
  checkConcurrency(flags.concurrency);
  const since = readState(flags.state);
  const model = await connection.site.model({ signal: io.signal });
  const type = entryTypeOf(model, entryTypeRef);
  const fields = (flags.fields ?? []).map((ref) => fieldOf(model, type, ref)).filter((f) => f !== "EntryId");
  if (since && String(since.entryTypeId).toLowerCase() !== type.apiName.toLowerCase())
    throw new UsageError(
      `The state file ${flags.state} is the checkpoint of ${JSON.stringify(since.entryTypeId)}, not ${type.apiName}: keep one state file per entry type.`,
    );

  const sink: Sink = flags.out ? await atomicFileSink(flags.out) : streamSink(io.stdout);
  const progress = createProgress(io, {
    label: `sync ${type.apiName}`,
    // Rows printed to the terminal itself would tear through a bar drawn on it.
    quiet: flags.quiet || (!flags.out && io.stdout.isTTY === true),
  });
  let checkpoint: SyncCheckpoint | undefined;
  let summary = { upserts: 0, deletes: 0, fullExport: false };
  try {
    const items = syncEntries(connection.dc.data, {
      entryTypeId: type.apiName,
      ...(since ? { since } : {}),
      ...(fields.length ? { fields } : {}),
      onStale: flags.onStale,
      overlapMs: flags.overlapSeconds * 1000,
      concurrency: flags.concurrency,
      signal: io.signal,
      onProgress: ({ upserts, deletes, changed }) => progress.update(upserts + deletes, changed || undefined),
    });
    for await (const item of items) {
      if (item.type === "checkpoint") {
        checkpoint = item.checkpoint;
        summary = { ...item.summary };
      } else if (item.type === "upsert")
        await sink.write(
          `${JSON.stringify({ type: "upsert", row: flattenRow(type, item.row, { resolve: flags.resolve }) })}\n`,
        );
      else await sink.write(`${JSON.stringify(item)}\n`);
    }
    // The output first, durable (fsync + rename); only then the checkpoint that says it was delivered.
    await sink.commit();
  } catch (error) {
    await sink.discard();
    // A reader that stops early (| head) is no success here: the changes it did not read would be lost.
    if ((error as NodeJS.ErrnoException)?.code === "EPIPE")
      throw new Error("standard output was closed before every change was written; the state file is left as it was.");
    throw error;
  } finally {
    progress.stop();
  }
  if (!checkpoint) throw new Error("syncEntries ended without a checkpoint; the state file is left as it was.");
  await writeFileAtomic(flags.state, `${JSON.stringify(checkpoint, null, 2)}\n`);
  const result = {
    entryType: type.apiName,
    ...summary,
    out: flags.out ?? null,
    state: flags.state,
    next: checkpoint.since,
  };
  if (flags.json && flags.out) io.stdout.write(`${JSON.stringify(result)}\n`);
  if (!flags.quiet)
    note(
      io,
      `sync ${type.apiName}: ${counted(summary.upserts, "upsert")}, ${counted(summary.deletes, "delete")}${summary.fullExport ? " (full export)" : ""}; state saved to ${flags.state} (next from ${checkpoint.since}).`,
    );
}
