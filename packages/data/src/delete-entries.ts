import { packBatches } from "./batches.js";
import { type AnyDataClient, sendBatch } from "./send-batch.js";
import { type BatchOptions, checkBatchOptions, runBatches, type WriteReport } from "./write-engine.js";
import { InvalidArgumentError } from "./write-errors.js";
import { checkEntryType, type EntryTypeId } from "./write-rows.js";

/**
 * Ids per delete request by default. DealCloud documents no maximum; 10,000 is the page of the vendor's Python
 * SDK (`delete_data`'s documented default). Lower it with `batchSize`.
 */
export const MAX_IDS_PER_DELETE = 10_000;

/**
 * Deletes entries by id, at most 10,000 per request (`batchSize` lowers it; DealCloud documents no limit, the
 * figure is the vendor SDK's), and reports which ids were deleted (`written`, in input order) and which were not
 * (`failed`, with their index). A request answered 400 (e.g. an id that does not exist) is bisected down to the
 * ids refused alone. DELETE is retried by the transport when it gets no answer; an id deleted by the first
 * attempt may then come back refused as not existing. Arguments are checked first (`InvalidArgumentError`).
 *
 * @example
 * ```ts
 * import { createDataClient, deleteEntries } from "@dealcloud-ts/data";
 *
 * const dataApi = createDataClient({ baseUrl: "https://yourfirm.dealcloud.com", clientId: 106, clientSecret: "…" });
 * const report = await deleteEntries(dataApi, "company", [5000001, 5000002], {});
 * console.log(report.written, report.failed.map(({ row, error }) => `${row}: ${error.message}`));
 * ```
 */
export async function deleteEntries(
  client: AnyDataClient,
  entryTypeId: EntryTypeId,
  ids: readonly number[],
  options: BatchOptions = {},
): Promise<WriteReport<number, number>> {
  const batchSize = checkBatchOptions(options, MAX_IDS_PER_DELETE, "ids");
  checkEntryType(entryTypeId);
  if (!Array.isArray(ids)) throw new InvalidArgumentError("ids must be an array of entry ids.");
  const seen = new Set<number>();
  ids.forEach((id, index) => {
    if (!Number.isInteger(id) || id <= 0) throw new InvalidArgumentError(`Id ${index} must be a positive integer.`);
    if (seen.has(id)) throw new InvalidArgumentError(`Id ${index} (${id}) is given twice.`);
    seen.add(id);
  });
  const groups = ids.map((_, index) => [index]);
  const batches = packBatches(groups, () => 0, { items: batchSize, cells: 1 }, "Id");
  const init = { params: { path: { entryTypeId } } };
  return runBatches({
    inputs: ids,
    batches,
    options,
    send: (indices) =>
      sendBatch(client, "DELETE", "/entrydata/{entryTypeId}", { ...init, body: indices.map((n) => ids[n]) }, () => ({
        kind: "answered",
        results: indices.map((n) => ids[n]!),
      })),
  });
}
