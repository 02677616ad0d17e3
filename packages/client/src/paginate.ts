import { AbortedError } from "./errors.js";
import { InvalidOptionError } from "./invalid-option.js";

/** What the paginator needs to know about a page it fetched. */
export interface PageInfo {
  /** How many items the page holds. */
  readonly items: number;
  /** How many items the whole result holds, when the page says (e.g. `totalRecords`). */
  readonly total?: number | undefined;
  /** How many pages the whole result has, when the page lets you work it out; later pages are never fetched. */
  readonly pages?: number | undefined;
  /** Whether this is the last page (a short or empty one); pages after it are never yielded. */
  readonly last: boolean;
}

/** Progress of a paged read, reported once per page, in order, just before the page is handed over. */
export interface PageProgress {
  /** Items handed over so far, this page included. */
  readonly done: number;
  /** Items in the whole result, when the API says; `undefined` when it does not (pageNumber/pageSize lists). */
  readonly total: number | undefined;
  /** Pages handed over so far, this page included. */
  readonly pages: number;
  /** Milliseconds since the first page was asked for. */
  readonly elapsedMs: number;
}

/** Options of {@link paginate}. */
export interface PaginateOptions<Page> {
  /**
   * Fetches page `index` (0, 1, 2, …). Called at most once per index. Pass `signal` on to the request: it aborts
   * when the iteration stops (`break`, an error, the caller's signal) so that no work is left running.
   */
  fetchPage: (index: number, signal: AbortSignal) => Promise<Page>;
  /** Reads what {@link PageInfo} needs from a fetched page. */
  inspect: (page: Page, index: number) => PageInfo;
  /**
   * Pages fetched or held ahead of the one being read, at most; `1` (default) reads one page ahead. With a
   * known page count the pages are fetched in parallel; without one, up to `concurrency - 1` requests past the
   * end may be sent (and aborted) before a short page is seen.
   */
  concurrency?: number | undefined;
  /** Stops the iteration: in-flight requests are aborted, none is sent after, and it rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Called once per page, in order, before the page is yielded. */
  onProgress?: ((progress: PageProgress) => void) | undefined;
  /** Names the read in errors, e.g. `"paginateRows company"`. */
  operation?: string | undefined;
}

/** The largest `concurrency` accepted: more pages in flight than this only adds memory. */
export const MAX_PAGE_CONCURRENCY = 16;

/**
 * Checks the options every paged helper shares (`concurrency`, `signal`, `onProgress`); throws
 * {@link InvalidOptionError} naming `where`.
 */
export function checkPagingOptions(
  where: string,
  options: { concurrency?: unknown; signal?: unknown; onProgress?: unknown },
): void {
  const { concurrency, signal, onProgress } = options;
  if (
    concurrency !== undefined &&
    !(Number.isInteger(concurrency) && (concurrency as number) >= 1 && (concurrency as number) <= MAX_PAGE_CONCURRENCY)
  )
    throw new InvalidOptionError(where, "concurrency", `an integer from 1 to ${MAX_PAGE_CONCURRENCY}`, concurrency);
  if (signal !== undefined && typeof (signal as AbortSignal)?.addEventListener !== "function")
    throw new InvalidOptionError(where, "signal", "an AbortSignal", signal);
  if (onProgress !== undefined && typeof onProgress !== "function")
    throw new InvalidOptionError(where, "onProgress", "a function", onProgress);
}

/**
 * Reads a paged result as an async iterable of pages, in order, each page fetched exactly once. Up to
 * `concurrency` pages are fetched ahead, and no more than that are ever held, so a slow consumer slows the
 * fetching and memory stays flat. Works when the page count is known after the first page (offset paging with a
 * total: parallel ahead) and when it is not (page numbers without a total: stop at a short or empty page).
 * `break`, an error or the caller's `signal` stops all work: in-flight requests are aborted and none is sent
 * after. Nothing is sent before the first `next()`.
 *
 * @example
 * ```ts
 * import { paginate } from "@dealcloud-ts/client";
 *
 * const pageSize = 100;
 * const pages = paginate({
 *   fetchPage: async (index, signal) => {
 *     const response = await fetch(`https://example.test/items?offset=${index * pageSize}&limit=${pageSize}`, { signal });
 *     return (await response.json()) as { items: unknown[]; total: number };
 *   },
 *   inspect: (page) => ({
 *     items: page.items.length,
 *     total: page.total,
 *     pages: Math.ceil(page.total / pageSize),
 *     last: page.items.length < pageSize,
 *   }),
 *   concurrency: 4,
 * });
 * for await (const page of pages) console.log(page.items.length);
 * ```
 */
export function paginate<Page>(options: PaginateOptions<Page>): AsyncGenerator<Page, void, undefined> {
  checkPagingOptions("paginate", options);
  if (typeof options.fetchPage !== "function" || typeof options.inspect !== "function")
    throw new InvalidOptionError("paginate", "fetchPage and inspect", "functions", undefined);
  return pages(options);
}

async function* pages<Page>(options: PaginateOptions<Page>): AsyncGenerator<Page, void, undefined> {
  const { fetchPage, inspect, concurrency = 1, signal, onProgress, operation = "paginate" } = options;
  const abortedError = () => new AbortedError(operation, signal?.reason);
  if (signal?.aborted) throw abortedError();
  const controller = new AbortController();
  const stop = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", stop, { once: true });
  const startedAt = performance.now();
  const ahead: Promise<Page>[] = [];
  let nextIndex = 0;
  let end = Number.POSITIVE_INFINITY;
  let done = 0;
  const start = () => {
    const page = fetchPage(nextIndex++, controller.signal);
    // A page fetched ahead may fail after the iteration has stopped; nobody waits for it then.
    page.catch(() => {});
    ahead.push(page);
  };
  try {
    // The first page alone: it tells whether there are more, and often how many.
    start();
    for (let index = 0; index < end; index++) {
      let page: Page;
      try {
        page = await untilStopped(ahead.shift()!, controller.signal);
      } catch (error) {
        throw signal?.aborted ? abortedError() : error;
      }
      const info = inspect(page, index);
      if (info.last) end = index + 1;
      else if (info.pages !== undefined) end = Math.min(end, Math.max(info.pages, index + 1));
      // Topped up before the page is handed over, so fetching overlaps the consumer's work.
      while (ahead.length < concurrency && nextIndex < end) start();
      done += info.items;
      onProgress?.({ done, total: info.total, pages: index + 1, elapsedMs: performance.now() - startedAt });
      yield page;
      if (signal?.aborted) throw abortedError();
    }
  } finally {
    signal?.removeEventListener("abort", stop);
    // Ends every request still in flight: pages fetched past the end, or not wanted after a `break`.
    controller.abort();
  }
}

/**
 * The page, or a rejection as soon as `signal` aborts, even if the request is slow to notice. Not
 * `Promise.race` with one long-lived "stopped" promise: every race would leave a reaction on it holding its page,
 * so no page could be collected until the end (the export benchmark's memory grew with the row count).
 */
function untilStopped<Page>(page: Promise<Page>, signal: AbortSignal): Promise<Page> {
  return new Promise((resolve, reject) => {
    const stop = () => reject(signal.reason);
    signal.addEventListener("abort", stop, { once: true });
    page.then(
      (value) => {
        signal.removeEventListener("abort", stop);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", stop);
        reject(error);
      },
    );
  });
}
