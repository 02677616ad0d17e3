import type { Scope } from "@dealcloud-ts/auth";

/**
 * What an API package tells the shared runtime about its API: where it lives, which OAuth scopes it needs,
 * which scope each operation needs and which operations may be retried. Generated from the package's OpenAPI document; the `paths` type rides along
 * so that `createApiClient` and `createDealCloud` return fully typed clients.
 *
 * @typeParam Paths - The `paths` type openapi-typescript generated for the API.
 */
export interface ApiDescriptor<Paths extends {} = {}> {
  /** The key the API is known by, e.g. `data` or `userManagement`. */
  readonly name: string;
  /** The npm package that exports this descriptor, named in errors that tell you which package to add. */
  readonly packageName: string;
  /** The path under the site address where the API's operations live, e.g. `/api/rest/v4/data`. */
  readonly basePath: string;
  /** The union of the scopes the API's operations need, sorted. */
  readonly scopes: readonly Scope[];
  /**
   * The operations that need other scopes than {@link ApiDescriptor.scopes}, keyed by `"METHOD /path"` as the
   * path appears in `paths`; every other operation needs `scopes`. Absent when every operation needs `scopes`
   * (so in each DealCloud API package: each API has one scope), which keeps a map of every operation out of
   * every bundle.
   */
  readonly operationScopes?: Readonly<Record<string, readonly Scope[]>>;
  /**
   * The operations other than GET, HEAD and OPTIONS that may be repeated without a second effect, keyed like
   * {@link ApiDescriptor.operationScopes}, e.g. `"POST /entrydata/rows/query/{entryTypeId}"`
   * (`x-dealcloud-idempotent: true` in the spec; GET, HEAD and OPTIONS are reads, always idempotent, and left
   * out to keep the bundle small). Only GET, HEAD, OPTIONS and these are
   * retried after a failure without an answer or a retryable status; absent: only GET, HEAD and OPTIONS are.
   */
  readonly idempotentOperations?: readonly string[];
  /**
   * Operations the server may hold open for a time the request body sets: operation key → body field, in ms
   * (`x-dealcloud-wait-field`), e.g. `{ "POST /poll": "TimeOut" }`. The attempt's default time limit for that
   * operation becomes the body field's value plus a margin.
   */
  readonly waitFields?: Readonly<Record<string, string>>;
  /** A documented rate limit of the whole API, e.g. Schema's 5 requests per second. */
  readonly rateLimit?: {
    /** How many requests the window allows. */
    readonly requests: number;
    /** The window's length in ms. */
    readonly perMs: number;
  };
  /** Carries the `paths` type only; never set at run time. */
  readonly "~paths"?: Paths;
}

/** The `paths` type an {@link ApiDescriptor} carries. */
export type PathsOf<Api> = Api extends ApiDescriptor<infer Paths> ? Paths : never;
