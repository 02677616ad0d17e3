/**
 * Typed client for the DealCloud Data API (`/api/rest/v4/data`, scope `data`): read rows with filters and
 * paging, write rows (≤ 1,000 per request) and cells (≤ 10,000 per request), read history since a date (with
 * deletions), delete, merge and read views. Types are generated from `openapi.yaml`, reconstructed from public
 * sources; each operation's TSDoc says what it is known from.
 *
 * @packageDocumentation
 */
import { createApiClient, type ApiClient, type ApiClientOptions, type ThrowingApiClient } from "@dealcloud-ts/client";
import { data } from "./generated/api.js";
import type { paths } from "./generated/openapi.js";

export { data };
export type * from "./generated/openapi.js";
export type { BatchOptions, WriteFailure, WriteProgress, WriteReport } from "./write-engine.js";
export {
  InvalidArgumentError,
  WriteError,
  type RowErrorEntry,
  type WriteErrorCode,
  type WriteErrorDetails,
} from "./write-errors.js";
export { deleteEntries, MAX_IDS_PER_DELETE } from "./delete-entries.js";
export {
  MAX_MERGED_PER_MERGE,
  MAX_MERGES_PER_REQUEST,
  mergeEntries,
  type MergeEntriesOptions,
} from "./merge-entries.js";
export { writeCells, type WriteCellsOptions } from "./write-cells.js";
export {
  MAX_CELLS_PER_REQUEST,
  MAX_ROWS_PER_REQUEST,
  writeRows,
  type EntryTypeId,
  type NewRow,
  type WriteMode,
  type WriteRowsOptions,
} from "./write-rows.js";
export {
  iterateRows,
  MAX_GET_URL_LENGTH,
  paginateEntries,
  paginateRows,
  paginateViewRows,
  type DataPagingOptions,
  type EntriesPage,
  type PaginateEntriesOptions,
  type PaginateRowsOptions,
  type PaginateViewRowsOptions,
  type RowsPageRead,
} from "./paging.js";
export { HISTORY_WINDOW_DAYS, HistoryWindowError, readHistory, type ReadHistoryOptions } from "./history.js";
export {
  CheckpointMismatchError,
  DEFAULT_SYNC_OVERLAP_MS,
  FullResyncRequiredError,
  MAX_SYNC_OVERLAP_MS,
  SYNC_CHECKPOINT_VERSION,
  SYNC_IDS_PER_READ,
  syncEntries,
  type SyncCheckpoint,
  type SyncCheckpointItem,
  type SyncDelete,
  type SyncEntriesOptions,
  type SyncFullExport,
  type SyncItem,
  type SyncProgress,
  type SyncSummary,
  type SyncUpsert,
} from "./sync.js";
export type { AnyDataClient } from "./send.js";

/** A typed client for the Data API. */
export type DataClient = ApiClient<paths>;

/**
 * A typed client for the Data API, asking for tokens with scope `data` only. Rows are keyed by `EntryId` and
 * each field's apiName; new rows take negative `EntryId`s; choice and reference values are written as ids.
 *
 * @example
 * ```ts
 * import { createDataClient } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * await dataApi.POST("/entrydata/rows/{entryTypeId}", {
 *   params: { path: { entryTypeId: "company" } },
 *   body: [{ EntryId: -1, CompanyName: "Acme Capital" }],
 * });
 * const { data: page } = await dataApi.POST("/entrydata/rows/query/{entryTypeId}", {
 *   params: { path: { entryTypeId: "company" } },
 *   body: { query: JSON.stringify({ CompanyName: { $contains: "Acme" } }), limit: 100 },
 * });
 * for (const row of page?.rows ?? []) console.log(row.EntryId, row.CompanyName);
 * ```
 */
export function createDataClient(options: ApiClientOptions & { throwOnError: true }): ThrowingApiClient<paths>;
export function createDataClient(options: ApiClientOptions): DataClient;
export function createDataClient(options: ApiClientOptions): DataClient | ThrowingApiClient<paths> {
  return createApiClient(data, options);
}
