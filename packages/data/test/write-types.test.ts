// Compile-time specifications of the batch helpers: `pnpm typecheck` fails if a line marked @ts-expect-error
// stops being an error.
import { describe, expectTypeOf, it } from "vitest";
import {
  createDataClient,
  deleteEntries,
  mergeEntries,
  type Row,
  type StoreRequest,
  type WriteError,
  type WriteErrorCode,
  type WriteReport,
  writeCells,
  writeRows,
} from "../src/index.js";

const client = createDataClient({ baseUrl: "https://acme.dealcloud.com", clientId: 1, clientSecret: "s" });
const throwing = createDataClient({
  baseUrl: "https://acme.dealcloud.com",
  clientId: 1,
  clientSecret: "s",
  throwOnError: true,
});

describe("the batch helpers' types", () => {
  it("type the report from the spec's Row and the input rows", () => {
    const typed = async () => {
      const input = [{ EntryId: -1, CompanyName: "Acme" }];
      const report = await writeRows(client, "company", input, { mode: "create" });
      expectTypeOf(report).toEqualTypeOf<WriteReport<Row, { EntryId: number; CompanyName: string }>>();
      expectTypeOf(report.written[0]!.EntryId).toEqualTypeOf<number>();
      expectTypeOf(report.failed[0]!.row.CompanyName).toEqualTypeOf<string>();
      expectTypeOf(report.failed[0]!.index).toEqualTypeOf<number>();
      expectTypeOf(report.failed[0]!.error).toEqualTypeOf<WriteError>();
      expectTypeOf(report.failed[0]!.error.code).toEqualTypeOf<WriteErrorCode>();
      await writeRows(throwing, 2011, [{ CompanyName: "No id: one is assigned" }], { mode: "upsert" });
    };
    void typed;
  });

  it("check mode and options", () => {
    const typed = async () => {
      // @ts-expect-error: mode is required
      await writeRows(client, "company", [{ EntryId: -1 }], {});
      // @ts-expect-error: there is no "insert" mode
      await writeRows(client, "company", [{ EntryId: -1 }], { mode: "insert" });
      // @ts-expect-error: update needs each row's EntryId
      await writeRows(client, "company", [{ CompanyName: "x" }], { mode: "update" });
      // @ts-expect-error: EntryId is a number
      await writeRows(client, "company", [{ EntryId: "-1" }], { mode: "create" });
      // @ts-expect-error: batchSize is a number
      await writeRows(client, "company", [{ EntryId: -1 }], { mode: "create", batchSize: "10" });
      await writeRows(client, "company", [{ EntryId: -1 }], {
        mode: "create",
        concurrency: 2,
        signal: AbortSignal.timeout(1000),
        onProgress: ({ done, total, batches, requests, elapsedMs }) => void [done, total, batches, requests, elapsedMs],
      });
      // @ts-expect-error: onProgress gets a progress object with no `pages`
      await writeRows(client, "company", [], { mode: "create", onProgress: ({ pages }) => pages });
      // @ts-expect-error: the client is a Data client
      await writeRows({}, "company", [], { mode: "create" });
    };
    void typed;
  });

  it("type cells, deletes and merges from the spec", () => {
    const typed = async () => {
      const cells = await writeCells(client, "company", [{ entryId: -1, fieldId: 100001, value: "x" }], {
        mode: "create",
      });
      expectTypeOf(cells.written[0]!).toExtend<StoreRequest>();
      // @ts-expect-error: cells are camelCase
      await writeCells(client, "company", [{ EntryId: -1, fieldId: 1 }], { mode: "create" });
      // @ts-expect-error: PATCH has no cells form: create or upsert
      await writeCells(client, "company", [], { mode: "update" });
      const deleted = await deleteEntries(client, "company", [1, 2]);
      expectTypeOf(deleted.written).toEqualTypeOf<number[]>();
      // @ts-expect-error: ids are numbers
      await deleteEntries(client, "company", ["1"]);
      await mergeEntries(client, "company", [{ entryId: 1, mergeEntries: [2] }], { overwriteEmptyValues: true });
      // @ts-expect-error: mergeEntries is an array of ids
      await mergeEntries(client, "company", [{ entryId: 1, mergeEntries: 2 }]);
    };
    void typed;
  });
});
