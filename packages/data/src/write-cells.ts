import { groupByKeys, packBatches } from "./batches.js";
import type { StoreRequest } from "./generated/openapi.js";
import { type AnyDataClient, sendBatch } from "./send-batch.js";
import { type BatchOptions, checkBatchOptions, runBatches, type WriteReport } from "./write-engine.js";
import { InvalidArgumentError } from "./write-errors.js";
import { checkEntryType, type EntryTypeId, MAX_CELLS_PER_REQUEST } from "./write-rows.js";

/** Options of {@link writeCells}. */
export interface WriteCellsOptions extends BatchOptions {
  /**
   * `create` (POST: every `entryId` negative, new entries) or `upsert` (PUT: positive ids update, negative ids
   * create). `batchSize` counts cells (at most 10,000).
   */
  mode: "create" | "upsert";
}

/**
 * Writes any number of cells: at most 10,000 per request (`batchSize` lowers it), one entry's cells never split
 * across two requests (nor cells linked to a new entry by its negative id), and a report of what landed. "If
 * any cell is invalid the whole batch fails" (vendor docs): a 400 is bisected by entry down to the entries
 * refused alone, whose cells are all `ROW_REJECTED`. The answer's shape is not documented, so `written` holds
 * the cells sent that landed, in input order. A request with no answer, or a 500/502/504, is not sent again: its
 * cells are `OUTCOME_UNKNOWN`. Arguments are checked first (`InvalidArgumentError`).
 *
 * @example
 * ```ts
 * import { createDataClient, writeCells } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const report = await writeCells(dataApi, "company", [{ entryId: 5000001, fieldId: 100006, value: "Boston" }], {
 *   mode: "upsert",
 * });
 * console.log(report.written.length, report.failed.length, report.requests);
 * ```
 */
export async function writeCells<C extends StoreRequest>(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  cells: readonly C[],
  options: WriteCellsOptions,
): Promise<WriteReport<C, C>> {
  const mode = options?.mode;
  if (mode !== "create" && mode !== "upsert")
    throw new InvalidArgumentError(`mode must be "create" or "upsert"; got ${String(mode)}.`);
  const batchSize = checkBatchOptions(options, MAX_CELLS_PER_REQUEST, "cells");
  checkEntryType(entryTypeId);
  checkCells(cells, mode);
  const newIds = new Set(cells.map((cell) => cell.entryId).filter((id) => id < 0));
  const groups = groupByKeys(cells.length, (index) => linkKeys(cells[index]!, newIds));
  const batches = packBatches(groups, () => 1, { items: batchSize, cells: MAX_CELLS_PER_REQUEST }, "Cell");
  const method = mode === "create" ? "POST" : "PUT";
  const init = { params: { path: { entryTypeId } } };
  return runBatches({
    inputs: cells,
    batches,
    options,
    send: (indices) =>
      sendBatch(
        client,
        method,
        "/entrydata/{entryTypeId}",
        { ...init, body: { storeRequests: indices.map((n) => cells[n]) } },
        () => ({ kind: "answered", results: indices.map((n) => cells[n]!) }),
      ),
  });
}

function checkCells(cells: readonly StoreRequest[], mode: "create" | "upsert"): void {
  if (!Array.isArray(cells)) throw new InvalidArgumentError("cells must be an array of { entryId, fieldId, value }.");
  const perEntry = new Map<number, number>();
  cells.forEach((cell, index) => {
    const at = `Cell ${index}`;
    if (typeof cell !== "object" || cell === null)
      throw new InvalidArgumentError(`${at} is not an object: pass { entryId, fieldId, value }.`);
    const { entryId, fieldId } = cell;
    if (!Number.isInteger(entryId) || entryId === 0)
      throw new InvalidArgumentError(`${at}: entryId must be a non-zero integer (negative for a new entry).`);
    if (!Number.isInteger(fieldId)) throw new InvalidArgumentError(`${at}: fieldId must be a field's integer id.`);
    if (mode === "create" && entryId > 0)
      throw new InvalidArgumentError(`${at}: entryId ${entryId} is positive; create takes negative ids (use upsert).`);
    const count = (perEntry.get(entryId) ?? 0) + 1;
    if (count > MAX_CELLS_PER_REQUEST)
      throw new InvalidArgumentError(
        `Entry ${entryId} has more than ${MAX_CELLS_PER_REQUEST} cells: no request can take them all.`,
      );
    perEntry.set(entryId, count);
  });
}

/** A cell's entry, and the new entries its value names: cells sharing one travel together. */
function linkKeys(cell: StoreRequest, newIds: ReadonlySet<number>): number[] {
  const keys = [cell.entryId];
  for (const item of Array.isArray(cell.value) ? cell.value : [cell.value]) {
    const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : item;
    if (typeof id === "number" && newIds.has(id)) keys.push(id);
  }
  return keys;
}
