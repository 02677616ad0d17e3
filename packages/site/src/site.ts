import type { DataClient } from "@dealcloud-ts/data";
import type { SchemaClient } from "@dealcloud-ts/schema";
import { InvalidArgumentError } from "@dealcloud-ts/data";
import type { AnyClient } from "./call.js";
import { loadModel, type SiteModel } from "./model.js";
import { readByName, type ReadByNameOptions } from "./read.js";
import type { EntryTypeRows } from "./types.js";
import { writeByName, type WriteByNameOptions, type WriteByNameReport } from "./write.js";

/** What {@link createSite} takes: a Schema and a Data client (plain or throwing), e.g. a `createDealCloud` result. */
export interface SiteClients {
  /** A Schema API client (`createSchemaClient`, or `dc.schema`). */
  readonly schema: AnyClient<SchemaClient>;
  /** A Data API client (`createDataClient`, or `dc.data`). */
  readonly data: AnyClient<DataClient>;
}

/** Options of {@link createSite}. */
export interface SiteOptions {
  /** How long a loaded model is reused, in ms. Default 300,000 (5 minutes); 0 reloads on every call. */
  modelTtlMs?: number | undefined;
}

/** A row to write: field values keyed by apiName or display name; choice, reference and user values by name or id. */
export type RowByName = Readonly<Record<string, unknown>>;

/** A DealCloud site seen through its schema: writes by name, upsert by a key. */
export interface Site {
  /** The site's model, loaded on first use (4 Schema calls) and reused for `modelTtlMs`. */
  model(options?: { signal?: AbortSignal | undefined }): Promise<SiteModel>;
  /** Reloads the model now (concurrent callers share one load). */
  refresh(options?: { signal?: AbortSignal | undefined }): Promise<SiteModel>;
  /**
   * The rows of an entry type with choice, reference and user values flattened (`resolve`: names by default,
   * or ids, or DealCloud's objects); multi-value fields as arrays. Pages through the POST query form.
   */
  rows(entryType: number | string, options?: ReadByNameOptions): AsyncIterable<Record<string, unknown>>;
  /** Creates entries; names are resolved first, rows with unknown names are not written. */
  insert(
    entryType: number | string,
    rows: readonly RowByName[],
    options?: WriteByNameOptions,
  ): Promise<WriteByNameReport>;
  /** Updates existing entries, by `EntryId` or by `key`; unknown names are never written as null. */
  update(
    entryType: number | string,
    rows: readonly RowByName[],
    options?: WriteByNameOptions,
  ): Promise<WriteByNameReport>;
  /** Updates the entries `key` finds and creates the rest; refuses a key matching several entries. */
  upsert(
    entryType: number | string,
    rows: readonly RowByName[],
    options: WriteByNameOptions,
  ): Promise<WriteByNameReport>;
  /**
   * This site with the row types `generateSiteTypes` wrote (the `SiteTypes` of the `dealcloud-ts-typegen` file):
   * entry types, field keys and choice names are checked at compile time. Types only: it is the same site.
   */
  typed<T extends { [K in keyof T]: EntryTypeRows }>(): TypedSite<T>;
}

/** `site.rows` options on a typed site: names (`resolve: "name"`) under apiName keys, `fields` checked. */
export interface TypedReadOptions<F> extends Omit<ReadByNameOptions, "resolve" | "keys" | "fields"> {
  /** Typed rows hold names; for ids or objects use the untyped `site.rows`. */
  resolve?: "name" | undefined;
  /** Typed rows are keyed by apiName. */
  keys?: "apiName" | undefined;
  /** The fields to read, by apiName; the rows then hold only these and `EntryId`. */
  fields?: readonly F[] | undefined;
}

/** Write options on a typed site: `key` names fields of the entry type. */
export interface TypedWriteOptions<Update> extends Omit<WriteByNameOptions, "key"> {
  /** The field(s) that identify an existing entry, by apiName. */
  key?: (keyof Update & string) | readonly (keyof Update & string)[] | undefined;
}

/** The row type `rows` reads for entry type `K` of a generated `SiteTypes` map. */
export type RowOf<T, K extends keyof T> = T[K] extends EntryTypeRows ? T[K]["row"] : never;
/** The row type `insert` takes for entry type `K` (required fields required). */
export type CreateOf<T, K extends keyof T> = T[K] extends EntryTypeRows ? T[K]["create"] : never;
/** The row type `update` and `upsert` take for entry type `K` (every field optional). */
export type UpdateOf<T, K extends keyof T> = T[K] extends EntryTypeRows ? T[K]["update"] : never;

/** A {@link Site} whose `rows`, `insert`, `update` and `upsert` take and give the generated row types `T`. */
export interface TypedSite<T extends { [K in keyof T]: EntryTypeRows }>
  extends Omit<Site, "rows" | "insert" | "update" | "upsert"> {
  /** The rows of an entry type, typed; see {@link Site.rows}. */
  rows<K extends keyof T & string, F extends keyof RowOf<T, K> = keyof RowOf<T, K>>(
    entryType: K,
    options?: TypedReadOptions<F>,
  ): AsyncIterable<Pick<RowOf<T, K>, Extract<F | "EntryId", keyof RowOf<T, K>>>>;
  /** Creates entries, typed; see {@link Site.insert}. */
  insert<K extends keyof T & string>(
    entryType: K,
    rows: readonly CreateOf<T, K>[],
    options?: TypedWriteOptions<UpdateOf<T, K>>,
  ): Promise<WriteByNameReport>;
  /** Updates entries, typed; see {@link Site.update}. */
  update<K extends keyof T & string>(
    entryType: K,
    rows: readonly UpdateOf<T, K>[],
    options?: TypedWriteOptions<UpdateOf<T, K>>,
  ): Promise<WriteByNameReport>;
  /** Updates the entries `key` finds and creates the rest, typed; see {@link Site.upsert}. */
  upsert<K extends keyof T & string>(
    entryType: K,
    rows: readonly UpdateOf<T, K>[],
    options: TypedWriteOptions<UpdateOf<T, K>>,
  ): Promise<WriteByNameReport>;
}

/**
 * A site over a Schema and a Data client: `createSite(dc)` for a `createDealCloud({ apis: { schema, data } })`
 * result, or `createSite({ schema, data })`. The model (entry types, fields, choice values, users, currencies) is
 * loaded once and cached for `modelTtlMs`; a name not found triggers one reload before it is an error.
 *
 * @example
 * ```ts
 * import { createDealCloud } from "@dealcloud-ts/client";
 * import { data } from "@dealcloud-ts/data";
 * import { schema } from "@dealcloud-ts/schema";
 * import { createSite } from "@dealcloud-ts/site";
 *
 * const dc = createDealCloud({ baseUrl: "yourfirm.dealcloud.com", clientId: 106, clientSecret: "…", apis: { schema, data } });
 * const site = createSite(dc);
 * const report = await site.upsert("contact", [{ FullName: "Ada Lovelace", Email: "ada@example.com", Company: "Acme" }], {
 *   key: "Email",
 * });
 * console.log(report.created.length, report.updated.length, report.failed);
 * ```
 */
export function createSite(clients: SiteClients, options: SiteOptions = {}): Site {
  if (typeof clients?.schema?.GET !== "function" || typeof clients?.data?.POST !== "function")
    throw new InvalidArgumentError(
      "createSite takes { schema, data } clients, e.g. createDealCloud({ apis: { schema, data } }).",
    );
  const { modelTtlMs = 300_000 } = options;
  if (!(Number.isFinite(modelTtlMs) && modelTtlMs >= 0))
    throw new InvalidArgumentError(`modelTtlMs must be a number of ms >= 0; got ${String(modelTtlMs)}.`);
  let current: SiteModel | undefined;
  let loading: Promise<SiteModel> | undefined;

  const refresh = (opts?: { signal?: AbortSignal | undefined }) => {
    loading ??= loadModel(clients.schema, opts?.signal).then(
      (model) => {
        current = model;
        loading = undefined;
        return model;
      },
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    );
    return loading;
  };
  const model = async (opts?: { signal?: AbortSignal | undefined }) =>
    current && Date.now() - current.loadedAt < modelTtlMs ? current : refresh(opts);
  const context = { data: clients.data, model, refresh };
  const site: Site = {
    model,
    refresh,
    rows: (entryType, opts) => ({
      async *[Symbol.asyncIterator]() {
        let current = await model();
        let type = current.entryType(entryType);
        if (!type) {
          current = await refresh();
          type = current.entryType(entryType);
        }
        if (!type) throw new InvalidArgumentError(`The site has no entry type ${JSON.stringify(entryType)}.`);
        yield* readByName(clients.data, current, type, opts);
      },
    }),
    insert: (entryType, rows, opts) => writeByName(context, "insert", entryType, rows, opts),
    update: (entryType, rows, opts) => writeByName(context, "update", entryType, rows, opts),
    upsert: (entryType, rows, opts) => writeByName(context, "upsert", entryType, rows, opts),
    typed: <T extends { [K in keyof T]: EntryTypeRows }>() => site as unknown as TypedSite<T>,
  };
  return site;
}
