import { packBatches } from "./batches.js";
import type { MergeRequest } from "./generated/openapi.js";
import { type AnyDataClient, sendBatch } from "./send-batch.js";
import { type BatchOptions, checkBatchOptions, runBatches, type WriteReport } from "./write-engine.js";
import { InvalidArgumentError } from "./write-errors.js";
import { checkEntryType, type EntryTypeId } from "./write-rows.js";

/** Merges per request: "≤ 100 items per request" (vendor docs). */
export const MAX_MERGES_PER_REQUEST = 100;
/** Ids per merge: "≤ 10 ids per `mergeEntries`" (vendor docs). */
export const MAX_MERGED_PER_MERGE = 10;

/** Options of {@link mergeEntries}. */
export interface MergeEntriesOptions extends BatchOptions {
  /** Copy values of the merged entry into blank fields of the kept one; DealCloud applies it only to merges of exactly 2 entries. */
  overwriteEmptyValues?: boolean | undefined;
}

/**
 * Merges duplicates: at most 100 merges per request (`batchSize` lowers it), each keeping `entryId` and
 * deleting up to 10 `mergeEntries`; every id must appear once in the whole input (checked first, with the other
 * arguments: `InvalidArgumentError`). Reports which merges were done (`written`, in input order) and which were
 * not (`failed`, with their index); a request answered 400 is bisected down to the merges refused alone. A
 * request with no answer, or a 500/502/504, is not sent again: its merges are `OUTCOME_UNKNOWN`.
 *
 * @example
 * ```ts
 * import { createDataClient, mergeEntries } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const report = await mergeEntries(dataApi, "company", [{ entryId: 5000001, mergeEntries: [5000002] }], {
 *   overwriteEmptyValues: true,
 * });
 * console.log(report.written.length, report.failed.length);
 * ```
 */
export async function mergeEntries<M extends MergeRequest>(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  merges: readonly M[],
  options: MergeEntriesOptions = {},
): Promise<WriteReport<M, M>> {
  const batchSize = checkBatchOptions(options, MAX_MERGES_PER_REQUEST, "merges");
  checkEntryType(entryTypeId);
  const { overwriteEmptyValues } = options;
  if (overwriteEmptyValues !== undefined && typeof overwriteEmptyValues !== "boolean")
    throw new InvalidArgumentError("overwriteEmptyValues must be true or false.");
  checkMerges(merges);
  const groups = merges.map((_, index) => [index]);
  const batches = packBatches(groups, () => 0, { items: batchSize, cells: 1 }, "Merge");
  const query = overwriteEmptyValues === undefined ? {} : { query: { overwriteEmptyValues } };
  const init = { params: { path: { entryTypeId }, ...query } };
  return runBatches({
    inputs: merges,
    batches,
    options,
    send: (indices) =>
      sendBatch(client, "POST", "/merge/{entryTypeId}", { ...init, body: indices.map((n) => merges[n]) }, () => ({
        kind: "answered",
        results: indices.map((n) => merges[n]!),
      })),
  });
}

function checkMerges(merges: readonly MergeRequest[]): void {
  if (!Array.isArray(merges)) throw new InvalidArgumentError("merges must be an array of { entryId, mergeEntries }.");
  const seen = new Set<number>();
  merges.forEach((merge, index) => {
    const at = `Merge ${index}`;
    const merged = merge?.mergeEntries;
    if (!Array.isArray(merged) || merged.length === 0 || merged.length > MAX_MERGED_PER_MERGE)
      throw new InvalidArgumentError(`${at}: mergeEntries must list 1 to ${MAX_MERGED_PER_MERGE} entry ids.`);
    for (const id of [merge.entryId, ...merged]) {
      if (!Number.isInteger(id) || id <= 0) throw new InvalidArgumentError(`${at}: ids must be positive integers.`);
      if (seen.has(id)) throw new InvalidArgumentError(`${at}: entry ${id} appears twice; each id may appear once.`);
      seen.add(id);
    }
  });
}
