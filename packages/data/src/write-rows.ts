import { groupByKeys, packBatches } from "./batches.js";
import type { Row } from "./generated/openapi.js";
import { type AnyDataClient, rowErrorsOf, sendBatch } from "./send-batch.js";
import {
  type BatchAnswer,
  type BatchOptions,
  checkBatchOptions,
  runBatches,
  type WriteReport,
} from "./write-engine.js";
import { InvalidArgumentError, WriteError } from "./write-errors.js";

/** Rows per request: "no more than 1000" for create [DOC-rows-post]; assumed the same for update and upsert. */
export const MAX_ROWS_PER_REQUEST = 1000;
/** Cells (field values) per request: the documented limit of the Cells API, applied to rows too. */
export const MAX_CELLS_PER_REQUEST = 10_000;

/** How {@link writeRows} writes: `create` is POST, `update` is PATCH, `upsert` is PUT. */
export type WriteMode = "create" | "update" | "upsert";

/** A row to create or upsert: `EntryId` may be left out (a negative one is assigned) or negative (a new entry). */
export interface NewRow {
  /** Negative for a new entry, positive (upsert only) for an existing one; assigned when left out. */
  EntryId?: number | undefined;
  /** Field values by apiName; choice, reference and user values as ids. */
  [field: string]: unknown;
}

/** The object whose rows are written: its id (`2011`) or apiName (`"company"`). */
export type EntryTypeId = number | string;

/** Options of {@link writeRows}. */
export interface WriteRowsOptions extends BatchOptions {
  /** `create` (POST: new rows, negative or no `EntryId`), `update` (PATCH: existing rows), `upsert` (PUT). */
  mode: WriteMode;
}

const METHOD = { create: "POST", update: "PATCH", upsert: "PUT" } as const;

/**
 * Writes any number of rows: splits them into requests of at most 1,000 rows and 10,000 cells (`batchSize`
 * lowers the rows), keeps rows linked by negative `EntryId`s (a row whose value is another row's negative id)
 * in one request, and reports what landed. Every input is checked first: a bad argument throws
 * `InvalidArgumentError` before anything is sent.
 *
 * How DealCloud answers a bad row is not documented, so both answers are handled:
 * - a 400 is taken to refuse the whole request and write nothing (as the vendor documents for cells). The SDK
 *   then splits the batch in halves and sends each again, down to the rows refused alone (`ROW_REJECTED`);
 *   `splitRequests` counts what that cost (about 2 × log2(batch) requests per bad row). If DealCloud did write
 *   part of a batch it answers 400, the halves holding those rows would be sent again: a create could make
 *   duplicates. Rows linked by negative ids are never split apart, so a bad row fails its whole linked group.
 * - a 200 whose rows carry `Errors` (or `errors`) entries: those rows are `ROW_REJECTED` with the entries as
 *   `error.errors`, and the others are written.
 *
 * Nothing is ever sent twice by this helper: a request that got no answer (network, timeout) or a 500, 502 or
 * 504 makes its rows `OUTCOME_UNKNOWN` (they may have landed: read them back before writing them again). Other
 * refusals (401, 403, 408, 429, 503) make them `BATCH_REJECTED`: nothing of that request was written. The
 * transport's own retries follow its per-operation rules (POST and PATCH are not retried).
 *
 * @example
 * ```ts
 * import { createDataClient, writeRows } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const report = await writeRows(dataApi, "company", [{ CompanyName: "Acme" }, { CompanyName: "Globex" }], {
 *   mode: "create",
 * });
 * for (const { index, error } of report.failed) console.log(index, error.code, error.message);
 * console.log(report.written.map((row) => row.EntryId), report.requests);
 * ```
 */
export function writeRows<R extends Row>(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  rows: readonly R[],
  options: WriteRowsOptions & { mode: "update" },
): Promise<WriteReport<Row, R>>;
export function writeRows<R extends NewRow>(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  rows: readonly R[],
  options: WriteRowsOptions & { mode: "create" | "upsert" },
): Promise<WriteReport<Row, R>>;
export async function writeRows(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  rows: readonly NewRow[],
  options: WriteRowsOptions,
): Promise<WriteReport<Row, NewRow>> {
  const mode = options?.mode;
  if (mode !== "create" && mode !== "update" && mode !== "upsert")
    throw new InvalidArgumentError(`mode must be "create", "update" or "upsert"; got ${String(mode)}.`);
  const batchSize = checkBatchOptions(options, MAX_ROWS_PER_REQUEST, "rows");
  checkEntryType(entryTypeId);
  const sent = rowsToSend(rows, mode);
  const linked = new Set(sent.map((row) => row.EntryId).filter((id) => id < 0));
  const groups = groupByKeys(sent.length, (index) => linkKeys(sent[index]!, linked));
  const batches = packBatches(
    groups,
    (index) => cellsOf(sent[index]!),
    { items: batchSize, cells: MAX_CELLS_PER_REQUEST },
    "Row",
  );
  const init = { params: { path: { entryTypeId } } };
  return runBatches({
    inputs: rows,
    batches,
    options,
    send: (indices) =>
      sendBatch(
        client,
        METHOD[mode],
        "/entrydata/rows/{entryTypeId}",
        { ...init, body: indices.map((n) => sent[n]) },
        (body) => answeredRows(body, indices.length),
      ),
  });
}

/** Throws unless `entryTypeId` is an object id or a non-empty apiName. */
export function checkEntryType(entryTypeId: unknown): void {
  if (!(typeof entryTypeId === "string" ? entryTypeId.trim() !== "" : Number.isInteger(entryTypeId)))
    throw new InvalidArgumentError(
      `entryTypeId must be an object's id or apiName; got ${JSON.stringify(entryTypeId)}.`,
    );
}

/** The rows as they will be sent (inputs are never changed): checked, each with an `EntryId`. */
function rowsToSend(rows: readonly NewRow[], mode: WriteMode): Row[] {
  if (!Array.isArray(rows)) throw new InvalidArgumentError("rows must be an array of row objects.");
  const seen = new Set<number>();
  let lowest = 0;
  for (const row of rows) if (typeof row?.EntryId === "number" && row.EntryId < lowest) lowest = row.EntryId;
  return rows.map((row, index) => {
    const at = `Row ${index}`;
    if (typeof row !== "object" || row === null || Array.isArray(row))
      throw new InvalidArgumentError(`${at} is not an object: pass { EntryId, <apiName>: value, … }.`);
    const id = row.EntryId;
    if (cellsOf(row) > MAX_CELLS_PER_REQUEST)
      throw new InvalidArgumentError(`${at} has more than ${MAX_CELLS_PER_REQUEST} values: no request can take it.`);
    if (id === undefined) {
      if (mode === "update")
        throw new InvalidArgumentError(`${at} has no EntryId: update needs the existing entry's id.`);
      return { ...row, EntryId: --lowest };
    }
    if (!Number.isInteger(id) || id === 0) throw new InvalidArgumentError(`${at}: EntryId must be a non-zero integer.`);
    if (mode === "create" && id > 0)
      throw new InvalidArgumentError(
        `${at}: EntryId ${id} is positive; create takes negative ids (use update or upsert).`,
      );
    if (mode === "update" && id < 0)
      throw new InvalidArgumentError(`${at}: EntryId ${id} is negative; update takes existing ids (use create).`);
    if (id < 0) {
      if (seen.has(id))
        throw new InvalidArgumentError(`${at}: EntryId ${id} is used by an earlier row; give each new row its own.`);
      seen.add(id);
    }
    return row as Row;
  });
}

/** Field values in a row (its cells): every key but `EntryId`. */
function cellsOf(row: object): number {
  let cells = 0;
  for (const key in row) if (key !== "EntryId") cells++;
  return cells;
}

/** A row's own negative id and the negative ids of other rows its values name: rows sharing one travel together. */
function linkKeys(row: Row, linked: ReadonlySet<number>): number[] {
  const keys = row.EntryId < 0 ? [row.EntryId] : [];
  for (const key in row) {
    if (key === "EntryId") continue;
    const value = row[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : item;
      if (typeof id === "number" && linked.has(id)) keys.push(id);
    }
  }
  return keys;
}

/** A 2xx answer of a rows write: one row per row sent, in order; rows carrying `Errors` did not land. */
function answeredRows(body: unknown, count: number): BatchAnswer<Row> {
  if (!Array.isArray(body) || body.length !== count)
    return {
      kind: "failed",
      error: new WriteError("OUTCOME_UNKNOWN", `Outcome unknown: the 2xx answer does not list the ${count} rows sent`),
    };
  return {
    kind: "answered",
    results: body.map((row: Row) => {
      const errors = rowErrorsOf(row);
      if (!errors) return row;
      const said = errors.map((entry) => entry["description"] ?? entry["field"]).join("; ");
      return new WriteError("ROW_REJECTED", `DealCloud refused the row: ${said}`, { status: 200, errors });
    }),
  };
}
