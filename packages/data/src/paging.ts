import {
  checkPagingOptions,
  InvalidOptionError,
  UnexpectedAnswerError,
  type PageProgress,
  paginate,
} from "@dealcloud-ts/client";
import type { EntrySummary, Row, ViewFilter } from "./generated/openapi.js";
import { type AnyDataClient, checkEntryTypeId, send } from "./send.js";

/** The options every paged Data helper shares. */
export interface DataPagingOptions {
  /**
   * Pages fetched ahead of the one being read, and the most ever held; default 1. A slow consumer slows the
   * fetching, so memory stays at `concurrency` pages. The client's `maxConcurrency` still caps the requests.
   */
  concurrency?: number | undefined;
  /** Stops the read: requests in flight are aborted, none is sent after, and the iteration rejects with `AbortedError`. */
  signal?: AbortSignal | undefined;
  /** Called once per page, in order: rows so far (`done`), `totalRecords` (`total`), `pages`, `elapsedMs`. */
  onProgress?: ((progress: PageProgress) => void) | undefined;
}

/** Options of {@link paginateRows} and {@link iterateRows}. */
export interface PaginateRowsOptions extends DataPagingOptions {
  /** The object: its id (`2011`) or apiName (`"company"`). */
  entryTypeId: number | string;
  /** A filter, as the JSON string the API takes or as an object to stringify, e.g. `{ City: "Boston" }`. */
  query?: string | Readonly<Record<string, unknown>> | undefined;
  /** The field apiNames to return, on every page; all fields when omitted. */
  fields?: readonly string[] | undefined;
  /** Rows per request, 1 to 1,000 (DealCloud's suggested maximum); default 1,000. */
  pageSize?: number | undefined;
}

/** One page of a rows read. */
export interface RowsPageRead<R extends Row = Row> {
  /** The page's rows, in the API's order. */
  rows: R[];
  /** How many rows match the query, as the first page said it. */
  totalRecords: number;
  /** The offset of the page's first row. */
  skip: number;
}

/** Rows per request by default: DealCloud's default and "suggested max". */
const DEFAULT_PAGE_SIZE = 1000;
/** DealCloud refuses longer GET URLs (rows GET docs); longer reads go through the POST query. */
export const MAX_GET_URL_LENGTH = 2040;
/** Room for `skip` to grow from "0" to ten digits on later pages. */
const SKIP_ROOM = 9;
const ROWS = "/entrydata/rows/{entryTypeId}";
const QUERY = "/entrydata/rows/query/{entryTypeId}";
const TOO_LONG = { tooLong: true };
/** Checks the first GET's URL after openapi-fetch has built it (base URL included), before anything is sent. */
const urlGuard = {
  onRequest({ request }: { request: Request }): undefined {
    if (request.url.length + SKIP_ROOM > MAX_GET_URL_LENGTH) throw TOO_LONG;
  },
};

function checkPageSize(where: string, pageSize: unknown, max: number): void {
  if (
    pageSize !== undefined &&
    !(Number.isInteger(pageSize) && (pageSize as number) >= 1 && (pageSize as number) <= max)
  )
    throw new InvalidOptionError(where, "pageSize", `an integer from 1 to ${max}`, pageSize);
}

function checkRowsOptions(where: string, options: PaginateRowsOptions): void {
  if (typeof options !== "object" || options === null)
    throw new InvalidOptionError(where, "options", "an object with entryTypeId", options);
  checkEntryTypeId(where, options.entryTypeId);
  checkPageSize(where, options.pageSize, DEFAULT_PAGE_SIZE);
  checkPagingOptions(where, options);
  const { query, fields } = options;
  if (query !== undefined && typeof query !== "string" && (typeof query !== "object" || query === null))
    throw new InvalidOptionError(where, "query", "a JSON filter string or object", query);
  if (
    fields !== undefined &&
    !(Array.isArray(fields) && fields.length > 0 && fields.every((f) => typeof f === "string" && f !== ""))
  )
    throw new InvalidOptionError(where, "fields", "a non-empty array of field apiNames", fields);
}

/** A rows answer as a page; the view answer is not declared by the spec, so the shape is checked. */
function rowsPage(answer: unknown, skip: number, operation: string): RowsPageRead {
  const { rows, totalRecords } = (answer ?? {}) as Partial<RowsPageRead>;
  if (!Array.isArray(rows) || typeof totalRecords !== "number")
    throw new UnexpectedAnswerError(operation, "{ totalRecords, rows }");
  return { rows, totalRecords, skip };
}

/** Stops on `totalRecords` (as the first page says) and on a short page, whichever comes first. */
const inspectRows = (pageSize: number) => (page: RowsPageRead) => ({
  items: page.rows.length,
  total: page.totalRecords,
  pages: Math.ceil(page.totalRecords / pageSize),
  last: page.rows.length < pageSize,
});

/**
 * Reads all rows of an object that match `query`, as an async iterable of pages in the API's order, each page
 * fetched once with the same `query` and `fields`. Reads with `GET /entrydata/rows/{entryTypeId}` and switches
 * by itself to `POST /entrydata/rows/query/{entryTypeId}` when the GET URL would pass DealCloud's 2,040
 * characters. Stops on `totalRecords` and on a short page, whichever comes first. `concurrency` fetches pages in
 * parallel ahead of the reader; `break` or `signal` stops all fetching. Offset paging over an object that is
 * being changed can skip or repeat rows: filter on `ModifiedDate` and read again for an exact copy.
 *
 * @example
 * ```ts
 * import { createDataClient, paginateRows } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const page of paginateRows(dataApi, { entryTypeId: "company", fields: ["CompanyName"], concurrency: 4 })) {
 *   console.log(`${page.skip + page.rows.length} of ${page.totalRecords}`);
 * }
 * ```
 */
export function paginateRows(client: AnyDataClient, options: PaginateRowsOptions): AsyncIterable<RowsPageRead> {
  checkRowsOptions("paginateRows", options);
  const { entryTypeId, fields, pageSize = DEFAULT_PAGE_SIZE } = options;
  const query = typeof options.query === "object" ? JSON.stringify(options.query) : options.query;
  const path = { entryTypeId };
  // Decided by the first page, which is always fetched alone.
  let post: boolean | undefined;
  return paginate({
    ...options,
    operation: `paginateRows ${entryTypeId}`,
    inspect: inspectRows(pageSize),
    async fetchPage(index, signal) {
      const skip = index * pageSize;
      const read = { query, fields, limit: pageSize, skip };
      if (!post) {
        try {
          const init = { params: { path, query: read }, signal, ...(post === undefined && { middleware: [urlGuard] }) };
          const answer = await send(client, "GET", ROWS, init);
          post = false;
          return rowsPage(answer, skip, `GET ${ROWS}`);
        } catch (error) {
          if (error !== TOO_LONG) throw error;
          post = true;
        }
      }
      return rowsPage(
        await send(client, "POST", QUERY, { params: { path }, body: read, signal }),
        skip,
        `POST ${QUERY}`,
      );
    },
  });
}

/**
 * The rows of {@link paginateRows}, one by one: the same input, the same order, the same stopping rules.
 *
 * @example
 * ```ts
 * import { createDataClient, iterateRows } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const row of iterateRows(dataApi, { entryTypeId: "company", query: { City: "Boston" } })) {
 *   console.log(row.EntryId, row.CompanyName);
 * }
 * ```
 */
export function iterateRows(client: AnyDataClient, options: PaginateRowsOptions): AsyncIterable<Row> {
  const pages = paginateRows(client, { ...options });
  return {
    async *[Symbol.asyncIterator]() {
      for await (const page of pages) yield* page.rows;
    },
  };
}

/** Options of {@link paginateViewRows}. */
export interface PaginateViewRowsOptions extends DataPagingOptions {
  /** The view's id. */
  viewId: number;
  /** Values for the view's "supply value later" filters, sent with every page; none by default. */
  filters?: readonly ViewFilter[] | undefined;
  /** Rows per request, 1 to 1,000; default 1,000. */
  pageSize?: number | undefined;
}

/**
 * Reads a configured view's rows (`POST /rows/view/{viewId}`, `skip`/`limit` in the query string), as pages in
 * order, with the same `filters` on every page. DealCloud does not document the answer's shape: this expects
 * the rows form (`{ totalRecords, rows }`) and rejects with `UnexpectedAnswerError` when a page is not.
 *
 * @example
 * ```ts
 * import { createDataClient, paginateViewRows } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const page of paginateViewRows(dataApi, { viewId: 2, filters: [{ column: "City", value: "Boston" }] })) {
 *   console.log(page.rows.length);
 * }
 * ```
 */
export function paginateViewRows(client: AnyDataClient, options: PaginateViewRowsOptions): AsyncIterable<RowsPageRead> {
  const where = "paginateViewRows";
  if (!Number.isInteger(options?.viewId)) throw new InvalidOptionError(where, "viewId", "a view id", options?.viewId);
  checkPageSize(where, options.pageSize, DEFAULT_PAGE_SIZE);
  checkPagingOptions(where, options);
  if (options.filters !== undefined && !Array.isArray(options.filters))
    throw new InvalidOptionError(where, "filters", "an array of { column, value }", options.filters);
  const { viewId, filters = [], pageSize = DEFAULT_PAGE_SIZE } = options;
  const operation = "POST /rows/view/{viewId}";
  return paginate({
    ...options,
    operation: `${where} ${viewId}`,
    inspect: inspectRows(pageSize),
    async fetchPage(index, signal) {
      const skip = index * pageSize;
      const init = { params: { path: { viewId }, query: { limit: pageSize, skip } }, body: filters, signal };
      return rowsPage(await send(client, "POST", "/rows/view/{viewId}", init), skip, operation);
    },
  });
}

/** Options of {@link paginateEntries}. */
export interface PaginateEntriesOptions extends Omit<DataPagingOptions, "concurrency"> {
  /** The object: its id or apiName. */
  entryTypeId: number | string;
}

/** The entries list as one page (the operation has no documented paging). */
export interface EntriesPage {
  /** The entries, as the API lists them. */
  entries: EntrySummary[];
}

/**
 * Lists every entry (id and name) of an object with `GET /entrydata/{entryTypeId}/entries`. DealCloud documents
 * no paging for this list, so it is one request and one page; the helper gives it the same shape, progress,
 * abort and checks as the paged reads.
 *
 * @example
 * ```ts
 * import { createDataClient, paginateEntries } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * for await (const page of paginateEntries(dataApi, { entryTypeId: "company" })) {
 *   for (const entry of page.entries) console.log(entry.id, entry.name);
 * }
 * ```
 */
export function paginateEntries(client: AnyDataClient, options: PaginateEntriesOptions): AsyncIterable<EntriesPage> {
  const where = "paginateEntries";
  checkEntryTypeId(where, options?.entryTypeId);
  checkPagingOptions(where, options);
  const path = "/entrydata/{entryTypeId}/entries";
  return paginate({
    ...options,
    operation: `${where} ${options.entryTypeId}`,
    inspect: (page: EntriesPage) => ({ items: page.entries.length, total: page.entries.length, last: true }),
    async fetchPage(_index, signal) {
      const entries = await send(client, "GET", path, {
        params: { path: { entryTypeId: options.entryTypeId } },
        signal,
      });
      if (!Array.isArray(entries)) throw new UnexpectedAnswerError(`GET ${path}`, "an array");
      return { entries };
    },
  });
}
