import {
  checkPagingOptions,
  DealCloudError,
  UnexpectedAnswerError,
  InvalidOptionError,
  type PageProgress,
  paginate,
} from "@dealcloud-ts/client";
import type { HistoryEntry } from "./generated/openapi.js";
import { type AnyDataClient, checkEntryTypeId, send } from "./send.js";

/** How far back history reads reach: DealCloud answers 400 for a `modifiedSince` more than 180 days ago. */
export const HISTORY_WINDOW_DAYS = 180;
const DAY_MS = 86_400_000;

/**
 * A history `modifiedSince` more than 180 days ago, refused before anything is sent (DealCloud answers 400 "You
 * cannot request history for more than 180 days"). Omit `modifiedSince` to read all modified entries for all
 * time (without deletions).
 */
export class HistoryWindowError extends DealCloudError {
  /** Always `"HistoryWindowError"`, also in minified bundles. */
  override readonly name: string = "HistoryWindowError";
  /** The earliest `modifiedSince` accepted when the check ran. */
  readonly earliest: Date;
  constructor(earliest: Date) {
    super(
      "HISTORY_WINDOW_EXCEEDED",
      `readHistory: modifiedSince must be at most ${HISTORY_WINDOW_DAYS} days ago (after ${earliest.toISOString()}); omit it to read all time without deletions.`,
    );
    this.earliest = earliest;
  }
}

/** Options of {@link readHistory}. */
export interface ReadHistoryOptions {
  /** The object: its id or apiName. */
  entryTypeId: number | string;
  /**
   * Entries modified or deleted since then, at most 180 days ago; deletions (and `mergedEntryId`) come only
   * with it. Omitted: every modified entry for all time, without deletions.
   */
  modifiedSince?: Date | string | undefined;
  /** `true`: `allHistory`, which includes updates made by calculations and system triggers. Default `false`. */
  all?: boolean | undefined;
  /** Stops the read; it rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Called once the answer is in: `done` and `total` are its entries, `pages` is 1. */
  onProgress?: ((progress: PageProgress) => void) | undefined;
  /** The clock for the 180-day check, in ms. Default `Date.now`. */
  now?: (() => number) | undefined;
}

/**
 * The entries modified (and, with `modifiedSince`, deleted or merged away: `isDeleted`, `mergedEntryId`) since
 * a date, from `GET /entrydata/{entryTypeId}/entries/history` or, with `all`, `…/allHistory`. DealCloud
 * documents no paging for history, so this is one request whose entries are streamed one by one. A
 * `modifiedSince` more than 180 days ago throws {@link HistoryWindowError} before anything is sent.
 *
 * @example
 * ```ts
 * import { createDataClient, readHistory } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const since = new Date(Date.now() - 7 * 86_400_000);
 * for await (const entry of readHistory(dataApi, { entryTypeId: "company", modifiedSince: since })) {
 *   if (entry.mergedEntryId) console.log(entry.id, "merged into", entry.mergedEntryId);
 *   else if (entry.isDeleted) console.log(entry.id, "deleted");
 *   else console.log(entry.id, "changed");
 * }
 * ```
 */
export function readHistory(client: AnyDataClient, options: ReadHistoryOptions): AsyncIterable<HistoryEntry> {
  const where = "readHistory";
  checkEntryTypeId(where, options?.entryTypeId);
  checkPagingOptions(where, options);
  const { entryTypeId, modifiedSince, all, now = Date.now } = options;
  if (all !== undefined && typeof all !== "boolean") throw new InvalidOptionError(where, "all", "a boolean", all);
  let since: string | undefined;
  if (modifiedSince !== undefined) {
    const ms =
      modifiedSince instanceof Date
        ? modifiedSince.getTime()
        : typeof modifiedSince === "string"
          ? Date.parse(modifiedSince)
          : Number.NaN;
    if (Number.isNaN(ms))
      throw new InvalidOptionError(where, "modifiedSince", "a Date or an ISO 8601 date-time", modifiedSince);
    const earliest = now() - HISTORY_WINDOW_DAYS * DAY_MS;
    if (ms < earliest) throw new HistoryWindowError(new Date(earliest));
    since = new Date(ms).toISOString();
  }
  const path = all ? "/entrydata/{entryTypeId}/entries/allHistory" : "/entrydata/{entryTypeId}/entries/history";
  const pages = paginate({
    ...options,
    operation: `${where} ${entryTypeId}`,
    inspect: (entries: HistoryEntry[]) => ({ items: entries.length, total: entries.length, last: true }),
    async fetchPage(_index, signal) {
      const init = { params: { path: { entryTypeId }, query: { modifiedSince: since } }, signal };
      const entries = await send(client, "GET", path, init);
      if (!Array.isArray(entries)) throw new UnexpectedAnswerError(`GET ${path}`, "an array");
      return entries as HistoryEntry[];
    },
  });
  return {
    async *[Symbol.asyncIterator]() {
      for await (const entries of pages) yield* entries;
    },
  };
}
