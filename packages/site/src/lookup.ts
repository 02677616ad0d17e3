// Finds entries by the values of one or more fields: chunked `$in` filters through paginateRows (the POST query
// form once a chunk's filter is too long for a GET URL), paged only when a chunk matches more rows than one page
// holds. Never reads a whole object.
import { type AnyDataClient, paginateRows } from "@dealcloud-ts/data";

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

/** Every row matching any chunk, in chunk order. */
export async function lookupRows(job: LookupJob): Promise<AnswerRow[]> {
  const found: AnswerRow[] = [];
  const maxPages = job.maxPages ?? Number.POSITIVE_INFINITY;
  for (let start = 0; start < job.values.length; start += job.chunkSize) {
    const pages = paginateRows(job.data as AnyDataClient, {
      entryTypeId: job.entryTypeId,
      query: job.filter(job.values.slice(start, start + job.chunkSize)),
      fields: job.fields.length ? job.fields : undefined,
      signal: job.signal,
    });
    let read = 0;
    for await (const page of pages) {
      job.onRequest();
      found.push(...(page.rows as AnswerRow[]));
      if (++read >= maxPages) break;
    }
  }
  return found;
}
