import {
  AbortedError,
  APIError,
  checkPagingOptions,
  DealCloudError,
  InvalidOptionError,
  paginate,
} from "@dealcloud-ts/client";
import type { HistoryEntry, Row } from "./generated/openapi.js";
import { HISTORY_WINDOW_DAYS, HistoryWindowError, readHistory } from "./history.js";
import { iterateRows, paginateEntries } from "./paging.js";
import { type AnyDataClient, checkEntryTypeId } from "./send.js";

/** The version of {@link SyncCheckpoint} this release writes and reads. */
export const SYNC_CHECKPOINT_VERSION = 1;

/**
 * The default {@link SyncEntriesOptions.overlapMs}: 10 minutes. DealCloud's history docs warn that bulk actions
 * and "revert changes" can make the Created Date / Modified Date system fields differ from the history timestamp
 * "by minutes" (api.docs.dealcloud.com `/docs/data/history`, "Date discrepancies"; our catalogue §3.5), so each
 * sync reads that far back again; it also absorbs a few minutes of clock difference between you and the site.
 */
export const DEFAULT_SYNC_OVERLAP_MS = 10 * 60_000;

/** The largest {@link SyncEntriesOptions.overlapMs}: one day. */
export const MAX_SYNC_OVERLAP_MS = 86_400_000;

/** Changed entries re-read per rows request: one `EntryId $in` filter, answered in one page of at most 1,000. */
export const SYNC_IDS_PER_READ = 1000;

const DAY_MS = 86_400_000;
const WHERE = "syncEntries";

/**
 * Where a sync got to: persist it (it is plain JSON) and pass it as `since` to the next {@link syncEntries} of
 * the same object. It says when that sync started reading, minus the overlap, so the next sync can never miss a
 * change; changes near the boundary come twice, which is harmless because an upsert is idempotent.
 */
export interface SyncCheckpoint {
  /** The checkpoint format, {@link SYNC_CHECKPOINT_VERSION}; a checkpoint of another version is refused. */
  readonly version: typeof SYNC_CHECKPOINT_VERSION;
  /** The object synced, as it was passed (id or apiName); a checkpoint of another object is refused. */
  readonly entryTypeId: number | string;
  /** The next sync's `modifiedSince` (ISO 8601, UTC): `sentAt` minus `overlapMs`. */
  readonly since: string;
  /** When this sync sent its history request (or began its full export), by the `now` clock (ISO 8601, UTC). */
  readonly sentAt: string;
}

/** A changed or created entry, re-read as a row: store it, replacing any copy you hold (an idempotent upsert). */
export interface SyncUpsert {
  /** Always `"upsert"`. */
  readonly type: "upsert";
  /** The entry as the rows read answers it (`EntryId` plus the requested fields). */
  readonly row: Row;
}

/** An entry that is gone: deleted, or merged into another entry (`mergedInto`). */
export interface SyncDelete {
  /** Always `"delete"`. */
  readonly type: "delete";
  /** The id of the entry that is gone. */
  readonly entryId: number;
  /** The entry it was merged into, when it disappeared through a merge (history's `mergedEntryId`). */
  readonly mergedInto?: number;
}

/**
 * Every live entry follows as an upsert, before the checkpoint: the sync had no checkpoint (`"initial"`), or
 * its checkpoint was past history's 180 days and `onStale` is `"full"` (`"stale"`). Deletions are not known
 * then: when the checkpoint comes, drop whatever you hold that was not upserted since this item.
 */
export interface SyncFullExport {
  /** Always `"fullExport"`. */
  readonly type: "fullExport";
  /** Why everything is read. */
  readonly reason: "initial" | "stale";
}

/** What a sync did, given with its checkpoint. */
export interface SyncSummary {
  /** Rows yielded. */
  readonly upserts: number;
  /** Deletions (merges included) yielded. */
  readonly deletes: number;
  /** Whether this was a full export. */
  readonly fullExport: boolean;
}

/** The last item of a sync that finished: persist `checkpoint`, then pass it as `since` next time. */
export interface SyncCheckpointItem {
  /** Always `"checkpoint"`. */
  readonly type: "checkpoint";
  /** Where the next sync starts. */
  readonly checkpoint: SyncCheckpoint;
  /** What this sync yielded. */
  readonly summary: SyncSummary;
}

/** One item of {@link syncEntries}; narrow on `type`. */
export type SyncItem = SyncUpsert | SyncDelete | SyncFullExport | SyncCheckpointItem;

/** Progress of a sync, reported after the history read and after each page of rows. */
export interface SyncProgress {
  /** `"history"`: the history answer is in; `"changes"`: re-reading changed entries; `"export"`: a full export. */
  readonly phase: "history" | "changes" | "export";
  /** Rows yielded so far. */
  readonly upserts: number;
  /** Deletions yielded so far. */
  readonly deletes: number;
  /** Changed entries history listed, to re-read (0 in a full export). */
  readonly changed: number;
  /** Milliseconds since the sync started, by `performance.now()`. */
  readonly elapsedMs: number;
}

/** Options of {@link syncEntries}. */
export interface SyncEntriesOptions {
  /** The object: its id (`2011`) or apiName (`"company"`); the same form each time, since checkpoints carry it. */
  entryTypeId: number | string;
  /**
   * Where to start: the `checkpoint` of the previous sync (as `JSON.parse` gives it back), or a `Date` / ISO
   * date-time for changes since then. Omitted: a full export. More than 180 days ago: see `onStale`.
   */
  since?: SyncCheckpoint | Date | string | undefined;
  /** The field apiNames each upserted row carries; all fields when omitted. */
  fields?: readonly string[] | undefined;
  /**
   * `true`: read `allHistory`, so entries changed only by calculations and system triggers count as changed too
   * (sync calculated fields this way); default `false`: `history`, which leaves those out.
   */
  all?: boolean | undefined;
  /**
   * How far before this sync's start the checkpoint is set, in ms, from 0 to a day; default
   * {@link DEFAULT_SYNC_OVERLAP_MS} (10 minutes), because history timestamps can lag by minutes.
   */
  overlapMs?: number | undefined;
  /**
   * What a `since` more than 180 days ago does (history keeps deletions only that long, and refuses older
   * dates): `"error"` (default) rejects with {@link FullResyncRequiredError} before any request; `"full"` yields a
   * {@link SyncFullExport} item, every live entry, then a fresh checkpoint.
   */
  onStale?: "error" | "full" | undefined;
  /**
   * Row requests in flight at once, 1 to 16; default 1. A full export fetches that many pages ahead; a sync of
   * changes reads that many chunks of {@link SYNC_IDS_PER_READ} changed ids in parallel. Items still come in
   * order, and at most `concurrency` pages are held, so a slow consumer slows the reading. The client's
   * `maxConcurrency` still caps the requests.
   */
  concurrency?: number | undefined;
  /** Stops the sync: requests in flight are aborted, none is sent after, and it rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Called after the history read and after each page of rows. */
  onProgress?: ((progress: SyncProgress) => void) | undefined;
  /** The clock, in ms since the epoch, for the checkpoint and the 180-day check. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * The checkpoint (or date) passed as `since` is more than 180 days old: DealCloud's history refuses such a
 * `modifiedSince` and keeps deletions only that long, so changes since then cannot be known. Export everything
 * again: call {@link syncEntries} with `onStale: "full"` (or without `since`).
 */
export class FullResyncRequiredError extends DealCloudError {
  /** Always `"FullResyncRequiredError"`, also in minified bundles. */
  override readonly name: string = "FullResyncRequiredError";
  declare readonly code: "FULL_RESYNC_REQUIRED";
  /** The `since` that is too old. */
  readonly since: Date;
  /** The oldest `since` history accepted when the check ran. */
  readonly earliest: Date;
  constructor(since: Date, earliest: Date) {
    super(
      "FULL_RESYNC_REQUIRED",
      `${WHERE}: since (${since.toISOString()}) is more than ${HISTORY_WINDOW_DAYS} days ago, so deletions since then are lost; ` +
        `pass onStale: "full" to export everything again and get a fresh checkpoint.`,
    );
    this.since = since;
    this.earliest = earliest;
  }
}

/** The checkpoint passed as `since` belongs to another object or is of an unknown version; nothing was sent. */
export class CheckpointMismatchError extends DealCloudError {
  /** Always `"CheckpointMismatchError"`, also in minified bundles. */
  override readonly name: string = "CheckpointMismatchError";
  declare readonly code: "CHECKPOINT_MISMATCH";
  constructor(message: string) {
    super("CHECKPOINT_MISMATCH", `${WHERE}: ${message}`);
  }
}

/** The start of a sync as epoch ms, or undefined for a full export; throws on a bad `since`. */
function startOf(since: SyncEntriesOptions["since"], entryTypeId: number | string): number | undefined {
  if (since === undefined) return undefined;
  const expected = "a checkpoint of syncEntries, a Date or an ISO 8601 date-time";
  if (since instanceof Date || typeof since === "string") {
    const ms = since instanceof Date ? since.getTime() : Date.parse(since);
    if (Number.isNaN(ms)) throw new InvalidOptionError(WHERE, "since", expected, since);
    return ms;
  }
  if (typeof since !== "object" || since === null) throw new InvalidOptionError(WHERE, "since", expected, since);
  const checkpoint = since as Partial<Record<keyof SyncCheckpoint, unknown>>;
  if (checkpoint.version !== SYNC_CHECKPOINT_VERSION)
    throw new CheckpointMismatchError(
      `the checkpoint has version ${JSON.stringify(checkpoint.version)}; this release reads version ${SYNC_CHECKPOINT_VERSION}.`,
    );
  if (String(checkpoint.entryTypeId).toLowerCase() !== String(entryTypeId).toLowerCase())
    throw new CheckpointMismatchError(
      `the checkpoint is of entry type ${JSON.stringify(checkpoint.entryTypeId)}, not ${JSON.stringify(entryTypeId)}; ` +
        "keep one checkpoint per object, and name the object the same way each time.",
    );
  const ms = typeof checkpoint.since === "string" ? Date.parse(checkpoint.since) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidOptionError(WHERE, "since.since", "an ISO 8601 date-time", checkpoint.since);
  return ms;
}

function checkSyncOptions(options: SyncEntriesOptions): void {
  if (typeof options !== "object" || options === null)
    throw new InvalidOptionError(WHERE, "options", "an object with entryTypeId", options);
  checkEntryTypeId(WHERE, options.entryTypeId);
  checkPagingOptions(WHERE, options);
  const { fields, all, overlapMs, onStale, now } = options;
  if (all !== undefined && typeof all !== "boolean") throw new InvalidOptionError(WHERE, "all", "a boolean", all);
  if (
    fields !== undefined &&
    !(Array.isArray(fields) && fields.length > 0 && fields.every((f) => typeof f === "string" && f !== ""))
  )
    throw new InvalidOptionError(WHERE, "fields", "a non-empty array of field apiNames", fields);
  if (
    overlapMs !== undefined &&
    !(typeof overlapMs === "number" && Number.isFinite(overlapMs) && overlapMs >= 0 && overlapMs <= MAX_SYNC_OVERLAP_MS)
  )
    throw new InvalidOptionError(WHERE, "overlapMs", `a number of ms from 0 to ${MAX_SYNC_OVERLAP_MS}`, overlapMs);
  if (onStale !== undefined && onStale !== "error" && onStale !== "full")
    throw new InvalidOptionError(WHERE, "onStale", '"error" or "full"', onStale);
  if (now !== undefined && typeof now !== "function") throw new InvalidOptionError(WHERE, "now", "a function", now);
}

/** What history says changed: ids to re-read (ascending), and the entries that are gone. */
function splitHistory(entries: readonly HistoryEntry[]): { changed: number[]; gone: SyncDelete[] } {
  const gone = new Map<number, SyncDelete>();
  const changed = new Set<number>();
  for (const entry of entries) {
    if (entry.isDeleted) {
      const merged = entry.mergedEntryId;
      gone.set(entry.id, { type: "delete", entryId: entry.id, ...(merged ? { mergedInto: merged } : {}) });
    } else changed.add(entry.id);
  }
  // An entry both listed as changed and as gone is gone.
  for (const id of gone.keys()) changed.delete(id);
  return { changed: [...changed].sort((a, b) => a - b), gone: [...gone.values()] };
}

/**
 * Follows an object's changes since the last sync: every entry created or changed since then as an `upsert`
 * (its current row), every entry deleted or merged away as a `delete` (with `mergedInto` for a merge), then a
 * `checkpoint` to persist and pass as `since` next time.
 *
 * How: one history request (`GET /entrydata/{entryTypeId}/entries/history?modifiedSince=`, or `…/allHistory`
 * with `all`; the only source of deletions) lists what changed; the changed entries are re-read as rows,
 * {@link SYNC_IDS_PER_READ} ids per request (`EntryId $in` through {@link iterateRows}); then come the deletions.
 * The checkpoint is the time the history request was sent minus `overlapMs` ({@link DEFAULT_SYNC_OVERLAP_MS}:
 * DealCloud's history docs say bulk actions make history timestamps differ from Modified Date by minutes). So a
 * change is never missed, and the changes of the overlap come again in the next sync: upserts and deletes are
 * idempotent, apply them as such.
 *
 * Without `since` (or with a stale one and `onStale: "full"`) it yields a {@link SyncFullExport} item, every row
 * through {@link iterateRows}, the entries that offset paging skipped while the object changed (found with the
 * entries list and re-read by id), then a checkpoint set when the export began, minus the overlap.
 *
 * Bad options (and a checkpoint of another object or version) throw before anything is sent; a `since` more
 * than 180 days ago (by `now`, or by the site's clock when it answers DealCloud's 400 for that) rejects with
 * {@link FullResyncRequiredError} unless `onStale` is `"full"`. `break` or the `signal` stops all work. If the
 * sync fails or stops before the checkpoint, keep the previous checkpoint: the next sync reads the same changes
 * again.
 *
 * @example Any runtime: the checkpoint kept in a key-value store (a file in Node: guide "Following changes")
 * ```ts
 * import { createDataClient, syncEntries, type SyncCheckpoint } from "@dealcloud-ts/data";
 *
 * // Workers KV, Deno KV, Redis, localStorage…: anything that keeps a string under a key.
 * declare const kv: { get(key: string): Promise<string | null>; put(key: string, value: string): Promise<unknown> };
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const saved = await kv.get("company.checkpoint");
 * const since = saved ? (JSON.parse(saved) as SyncCheckpoint) : undefined;
 * for await (const item of syncEntries(dataApi, { entryTypeId: "company", since, onStale: "full" })) {
 *   if (item.type === "upsert") console.log("store", item.row.EntryId);
 *   else if (item.type === "delete") console.log("drop", item.entryId, item.mergedInto ?? "");
 *   else if (item.type === "fullExport") console.log("everything follows:", item.reason);
 *   else await kv.put("company.checkpoint", JSON.stringify(item.checkpoint));
 * }
 * ```
 */
export function syncEntries(client: AnyDataClient, options: SyncEntriesOptions): AsyncIterable<SyncItem> {
  checkSyncOptions(options);
  const start = startOf(options.since, options.entryTypeId);
  return { [Symbol.asyncIterator]: () => sync(client, options, start) };
}

/** DealCloud's 400 for a `modifiedSince` past 180 days by the site's clock (catalogue §3.5: its exact words). */
function isWindowRefusal(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  const message = (error.body as { message?: unknown } | undefined)?.message;
  return typeof message === "string" && message.includes("more than 180 days");
}

/** The work of one sync, shared by its steps. */
interface SyncRun {
  readonly client: AnyDataClient;
  readonly options: SyncEntriesOptions;
  readonly counts: { upserts: number; deletes: number; changed: number };
  readonly progress: (phase: SyncProgress["phase"]) => void;
  readonly stopIfAborted: () => void;
}

/**
 * The rows of `ids` as upserts, {@link SYNC_IDS_PER_READ} ids per chunk, up to `concurrency` chunks read at once
 * and handed over in order (one chunk is one request: a page holds 1,000 rows).
 */
async function* rowsOf(run: SyncRun, ids: readonly number[], phase: SyncProgress["phase"]) {
  const { entryTypeId, fields, signal, concurrency } = run.options;
  const chunks = Math.ceil(ids.length / SYNC_IDS_PER_READ);
  if (chunks === 0) return;
  const readChunk = async (index: number, chunkSignal: AbortSignal) => {
    const query = { EntryId: { $in: ids.slice(index * SYNC_IDS_PER_READ, (index + 1) * SYNC_IDS_PER_READ) } };
    const rows: Row[] = [];
    for await (const row of iterateRows(run.client, { entryTypeId, query, fields, signal: chunkSignal }))
      rows.push(row);
    return rows;
  };
  const pages = paginate({
    fetchPage: readChunk,
    inspect: (rows, index) => ({ items: rows.length, pages: chunks, last: index === chunks - 1 }),
    concurrency,
    signal,
    operation: `${WHERE} ${entryTypeId}`,
  });
  for await (const rows of pages) {
    run.progress(phase);
    for (const row of rows) {
      run.counts.upserts++;
      yield { type: "upsert", row } as const;
      run.stopIfAborted();
    }
  }
}

/** Every row, then the rows offset paging skipped (entries deleted during the read shift later pages). */
async function* exportAll(run: SyncRun) {
  const { entryTypeId, fields, signal, concurrency } = run.options;
  const exported = new Set<number>();
  const onProgress = () => run.progress("export");
  for await (const row of iterateRows(run.client, { entryTypeId, fields, signal, concurrency, onProgress })) {
    exported.add(row.EntryId);
    run.counts.upserts++;
    yield { type: "upsert", row } as const;
    run.stopIfAborted();
  }
  const skipped: number[] = [];
  for await (const page of paginateEntries(run.client, { entryTypeId, signal }))
    for (const { id } of page.entries) if (typeof id === "number" && !exported.has(id)) skipped.push(id);
  yield* rowsOf(run, skipped, "export");
}

/** History since `since`, whole (it is one answer), or undefined when the site says it is past 180 days. */
async function historySince(run: SyncRun, since: number): Promise<HistoryEntry[] | undefined> {
  const { entryTypeId, signal, now, all } = run.options;
  const history: HistoryEntry[] = [];
  try {
    for await (const entry of readHistory(run.client, {
      entryTypeId,
      modifiedSince: new Date(since),
      all,
      signal,
      now,
    }))
      history.push(entry);
  } catch (error) {
    // On the boundary, readHistory's own check (a moment later) may refuse; and the site's clock may run ahead of
    // ours: either refusal means the same as our check.
    if (error instanceof HistoryWindowError || isWindowRefusal(error)) return undefined;
    throw error;
  }
  return history;
}

async function* sync(
  client: AnyDataClient,
  options: SyncEntriesOptions,
  start: number | undefined,
): AsyncGenerator<SyncItem, void, undefined> {
  const { entryTypeId, signal, onProgress, onStale = "error" } = options;
  const { overlapMs = DEFAULT_SYNC_OVERLAP_MS, now = () => Date.now() } = options;
  const startedAt = performance.now();
  const counts = { upserts: 0, deletes: 0, changed: 0 };
  const run: SyncRun = {
    client,
    options,
    counts,
    progress: (phase) => onProgress?.({ phase, ...counts, elapsedMs: performance.now() - startedAt }),
    stopIfAborted: () => {
      if (signal?.aborted) throw new AbortedError(`${WHERE} ${entryTypeId}`, signal.reason);
    },
  };
  const stale = (earliest: number): "stale" => {
    if (onStale !== "full") throw new FullResyncRequiredError(new Date(start!), new Date(earliest));
    return "stale";
  };

  run.stopIfAborted();
  let sentAt = now();
  let fullExport: SyncFullExport["reason"] | undefined;
  let history: HistoryEntry[] | undefined;
  if (start === undefined) fullExport = "initial";
  else if (start < sentAt - HISTORY_WINDOW_DAYS * DAY_MS) fullExport = stale(sentAt - HISTORY_WINDOW_DAYS * DAY_MS);
  else {
    history = await historySince(run, start);
    if (!history) fullExport = stale(now() - HISTORY_WINDOW_DAYS * DAY_MS);
  }

  if (fullExport) {
    yield { type: "fullExport", reason: fullExport };
    run.stopIfAborted();
    sentAt = now();
    yield* exportAll(run);
  } else {
    const { changed, gone } = splitHistory(history!);
    counts.changed = changed.length;
    run.progress("history");
    yield* rowsOf(run, changed, "changes");
    for (const deletion of gone) {
      counts.deletes++;
      yield deletion;
      run.stopIfAborted();
    }
  }
  const checkpoint: SyncCheckpoint = {
    version: SYNC_CHECKPOINT_VERSION,
    entryTypeId,
    since: new Date(sentAt - overlapMs).toISOString(),
    sentAt: new Date(sentAt).toISOString(),
  };
  const summary: SyncSummary = {
    upserts: counts.upserts,
    deletes: counts.deletes,
    fullExport: fullExport !== undefined,
  };
  yield { type: "checkpoint", checkpoint, summary };
}
