// Finds entries by the values of one or more fields: chunked `$in` filters over the POST query form, paged only
// when a chunk matches more rows than one page holds. Never reads a whole object.
import { callApi } from "./call.js";

/** One row as the rows API answers it. */
export type AnswerRow = Record<string, unknown> & { EntryId: number };

/** What a lookup needs. */
export interface LookupJob {
  readonly data: unknown;
  readonly entryTypeId: number | string;
  /** The fields to filter on, each with the values wanted (a chunk of values is filtered with `$in`). */
  readonly filter: (chunk: readonly unknown[]) => Record<string, unknown>;
  /** The values, chunked by `chunkSize`. */
  readonly values: readonly unknown[];
  readonly chunkSize: number;
  /** The fields to return besides `EntryId`. */
  readonly fields: readonly string[];
  readonly signal?: AbortSignal | undefined;
  /** Counts each request sent. */
  readonly onRequest: () => void;
  /** At most this many pages per chunk (default: all). */
  readonly maxPages?: number;
}

const PAGE = 1000;

/** Every row matching any chunk, in chunk order. */
export async function lookupRows(job: LookupJob): Promise<AnswerRow[]> {
  const found: AnswerRow[] = [];
  for (let start = 0; start < job.values.length; start += job.chunkSize) {
    const query = JSON.stringify(job.filter(job.values.slice(start, start + job.chunkSize)));
    for (let skip = 0, pages = 0; pages < (job.maxPages ?? Number.POSITIVE_INFINITY); skip += PAGE, pages++) {
      job.signal?.throwIfAborted();
      job.onRequest();
      const page = await callApi<{ rows?: AnswerRow[]; totalRecords?: number }>(
        job.data,
        "POST",
        "/entrydata/rows/query/{entryTypeId}",
        {
          params: { path: { entryTypeId: job.entryTypeId } },
          body: { query, fields: job.fields, limit: PAGE, skip, wrapIntoArrays: true },
          ...(job.signal ? { signal: job.signal } : {}),
        },
      );
      const rows = page?.rows ?? [];
      found.push(...rows);
      if (rows.length < PAGE || skip + rows.length >= (page?.totalRecords ?? 0)) break;
    }
  }
  return found;
}
