/**
 * The public types of the mock site, kept apart from the code so every area module can import them without
 * importing each other.
 */

/**
 * One set of credentials the mock token endpoint accepts. DealCloud calls the client id the "user id" and the
 * secret the "API key" (both are on the user's Profile page).
 */
export interface MockClient {
  /** The `client_id` form field to accept (the DealCloud user id). */
  clientId: string;
  /** The `client_secret` form field to accept with that id. Never recorded, never echoed in an answer. */
  clientSecret: string;
}

/**
 * What a site holds when it starts (and again after `reset`). The structure is always the same: the objects
 * `company` (2011), `contact` (2012), `interaction` (2013) and `deal` (2014) with text, choice, number, date,
 * reference and user fields, plus four users; see the "Testing your code with the mock" docs page.
 */
export interface MockSeed {
  /** Start with the handful of sample entries (companies Intapp, Northwind Capital, Contoso Health, ...). Default true. */
  sampleEntries?: boolean;
  /**
   * Generated entries to add per object apiName, e.g. `{ company: 1_000_000 }`: deterministic for a given
   * `random`, light enough that a million rows fit in memory.
   */
  rows?: Readonly<Record<string, number>>;
  /** The generator's seed: the same number gives the same rows. Default 1. */
  random?: number;
}

/** How to build a mock site. Every option has a default that mimics the documented production behaviour. */
export interface MockDealCloudOptions {
  /** The site's starting content. Default: the sample entries, no generated rows. */
  seed?: MockSeed;
  /**
   * Serves a small control API under `/__mock/` for tests that run in another process or runtime (Deno, Bun,
   * workerd, a browser) and so cannot call the mock's methods: `GET /__mock/token-requests`,
   * `POST /__mock/faults` (a `MockFault` as JSON), `POST /__mock/revoke-tokens` and `POST /__mock/reset`.
   * Default false: a real site has no such routes.
   */
  controlApi?: boolean;
  /** The credentials the token endpoint accepts. Default: `[DEFAULT_MOCK_CLIENT]`. */
  clients?: readonly MockClient[];
  /**
   * The site's clock in milliseconds, for token expiry, rate windows and records. Default: `() => Date.now()`,
   * looked up at each call so that `vi.useFakeTimers()` also moves the mock's clock.
   */
  now?: () => number;
  /** How long an issued token really works, in seconds. Default 900 (DealCloud token docs). */
  tokenLifetimeSeconds?: number;
  /**
   * The `expires_in` value sent in token answers. Default: the real lifetime. `null` omits the field; `1199`
   * mimics a 2022 recording whose token still died at 900 s, to test that clients cap the lifetime.
   */
  reportedExpiresIn?: number | null;
  /**
   * Adds a `refresh_token` to token answers, like the 2022 recording did. Default false. The mock never accepts
   * it back (DealCloud documents only repeating the client-credentials flow); it is there to test that clients
   * ignore it.
   */
  includeRefreshToken?: boolean;
  /**
   * Token calls allowed per client id in any sliding 60 s window. Default 300 (production); DealCloud UAT and
   * sandbox sites allow 60 (DealCloud token docs).
   */
  tokenRequestsPerMinute?: number;
  /**
   * What to do with scopes the mock does not know. `"drop"` (default) grants the known ones and ignores the rest,
   * as the real endpoint was observed to do; `"reject"` answers 400 `invalid_scope`, for stricter tests.
   */
  unknownScopes?: "drop" | "reject";
  /**
   * How a rows write (`POST`, `PATCH`, `PUT /entrydata/rows/{entryTypeId}`) answers a request holding bad rows.
   * DealCloud does not document which it does, so both are here to test against:
   * - `"batch"` (default, what the mock always did): 400 `{ message }` naming the first bad row; nothing is
   *   written.
   * - `"per-row"`: the good rows are written and the answer is 200 with every row in its place, the bad ones as
   *   `{ EntryId, Errors: [{ field, code, description }] }` (the shape the vendor SDK's users read; `code` is
   *   400 in the mock, the real codes are unknown). A row that references a bad row's negative id is bad too.
   *
   * A row is bad when the mock would refuse it on its own: an unknown field (the simplest to plant in a test:
   * `{ EntryId: -1, CompanyName: "x", NoSuchField: 1 }`), a value of the wrong type (`{ Revenue: "lots" }`), an
   * unknown reference, choice or user id, or an `EntryId` the mode does not take. A body that is not an array or
   * holds more than 1,000 rows is refused whole in both modes.
   */
  rowErrors?: "batch" | "per-row";
  /**
   * How long, in ms, a change takes to show up in the history reads (`entries/history`, `allHistory`); default
   * 0. A change made at time t is listed only from t + `historyLagMs` on, but still as of t: it counts as
   * modified (or deleted) since any `modifiedSince` up to t. This plays the discrepancy DealCloud's history docs
   * warn of ("bulk actions and revert changes can make Created/Modified Date differ from the history timestamp by
   * minutes", catalogue §3.5) in the direction that bites a sync: a sync that starts reading at its last history
   * request, with no overlap, misses such a change for good.
   */
  historyLagMs?: number;
  /** How the Publications API shapes what it serves; every default keeps the behaviour the mock always had. */
  publications?: MockPublicationsOptions;
}

/**
 * Publications behaviours DealCloud documents without saying enough to make them the default (catalogue §6):
 * each is off unless asked for, so tests opt in to what they exercise.
 */
export interface MockPublicationsOptions {
  /**
   * What a poll of a topic that has received no message yet answers. `"empty"` (default): an empty array.
   * `"not-in-kafka"`: the vendor's 400 `"One or more topics does not exist in Kafka. Probably no messages has
   * been sent into that topic yet."` for the whole poll, as DealCloud documents it.
   */
  emptyTopics?: "empty" | "not-in-kafka";
  /**
   * Splits an event whose payload lists more rows, entries or cells than this into parts (DealCloud splits
   * "large messages"; its threshold is not documented). Each part is its own message at the next offset of the
   * topic, with the same `eventId` and envelope, `partNumber` 1, 2, … and `isLastPart` true on the last only; the
   * payload's lists are cut in order. Default: no splitting.
   */
  maxRowsPerMessage?: number;
}

/** One call to the token endpoint as the mock saw it: what tests assert on. Holds no secret. */
export interface TokenRequestRecord {
  /** The raw `scope` form field as received (`""` when absent or unreadable): the key of `tokenCallsByScope()`. */
  scope: string;
  /** The scopes granted (empty unless the answer was 200). */
  grantedScopes: readonly string[];
  /** The `client_id` form field as received, known or not; undefined when absent or unreadable. */
  clientId: string | undefined;
  /** The HTTP status answered; 0 when the connection was dropped by a fault. */
  status: number;
  /** The site clock (ms) when the answer was decided. */
  at: number;
}

/** An access token the mock issued, as `authenticate` checks it. */
export interface IssuedToken {
  /** The opaque bearer value sent as `access_token`. */
  value: string;
  /** The client id it was issued to. */
  clientId: string;
  /** The scopes it grants (the known ones requested). */
  scopes: readonly string[];
  /** Site clock (ms) at issue. */
  issuedAt: number;
  /** Site clock (ms) from which it is refused: `issuedAt` + the real lifetime (not the reported `expires_in`). */
  expiresAt: number;
}

/**
 * The mock's areas, as named in faults: the token endpoint and one per API package (`data` is
 * `/api/rest/v4/data`, `schema` is `/api/rest/v4/schema`, `user-management` is `/api/rest/v1/management`,
 * `publications` is `/api/rest/v1/publication`, `ri-import` is `/api/rest/v4/ri/import` (or v1), `backups` is
 * `/api/rest/v4/backups`).
 */
export type MockRoute = "token" | "data" | "schema" | "user-management" | "publications" | "ri-import" | "backups";

/**
 * A misbehaviour to inject into the next matching request(s), to test retries, timeouts and error handling.
 * A fault answers instead of the route when it has `status`, `body`, `retryAfter` or `dropConnection`; a fault
 * with only `delayMs` delays the normal answer.
 */
export interface MockFault {
  /** Which area it applies to. */
  route: MockRoute;
  /**
   * Narrows the fault to one operation of the area, named as the descriptors key operations:
   * `"METHOD /path/template"` relative to the area's base path, e.g. `"POST /entrydata/rows/{entryTypeId}"`.
   * Default: every operation of the area.
   */
  operation?: string;
  /** How many matching requests it applies to. Default 1; `Infinity` keeps it until `faults.clear()`. */
  times?: number;
  /** Answer with this status, with a small JSON error body unless `body` is given. Default 200 with `body`, 429 with only `retryAfter`. */
  status?: number;
  /** A `Retry-After` header value (delta-seconds or an HTTP date) for the fault's answer. */
  retryAfter?: string;
  /** Wait this long (with `setTimeout`, so fake timers control it) before answering, normally or with the fault. */
  delayMs?: number;
  /** A raw body to send (e.g. `"not json"` for a malformed answer), with `status` (default 200) and a JSON content type. */
  body?: string;
  /** Simulate a network failure: the handler returns `Response.error()`, the loopback server destroys the socket. */
  dropConnection?: boolean;
  /**
   * Let the route handle the request first, so its effects happen (a write is stored, a poll moves its session
   * past the events it took), then delay by `delayMs` and answer with the fault instead: an answer lost on the
   * way back. Default false: a fault answers before the route sees the request.
   */
  handleFirst?: boolean;
  /**
   * Publications: end the server session of the requesting client before the request is handled, as if it had
   * expired (its next poll starts a new session from the acknowledged offsets). On its own the request is then
   * answered normally.
   */
  endSession?: boolean;
}

/** The answer of {@link MockDealCloud.authenticate}: the token, or why the request is refused. */
export type AuthenticateResult =
  | {
      /** The token is live. */
      ok: true;
      /** The token the header carries. */
      token: IssuedToken;
    }
  | {
      /** The request is refused. */
      ok: false;
      /** The status to answer: always 401. */
      status: 401;
      /** Why, for the answer's `{ message }`; never contains the token. */
      message: string;
    };

/** One operation the mock serves, named as the descriptors key operations (`"METHOD /path"`, as in the spec). */
export interface MockOperation {
  /** The area, as faults name it. */
  readonly route: MockRoute;
  /** The area's base path, e.g. `/api/rest/v4/data`. */
  readonly basePath: string;
  /** `"METHOD /template"` relative to `basePath`, e.g. `"GET /entrydata/rows/{entryTypeId}"`. */
  readonly operation: string;
}

/** An in-memory DealCloud site: one state, reachable through `handle`, msw handlers or the loopback server. */
export interface MockDealCloud {
  /**
   * Answers any request to the site: the web-standard handler every adapter calls. Unknown paths get 404
   * `{ message }`; `OPTIONS` gets a CORS preflight answer; a dropped connection is `Response.error()`.
   */
  handle(request: Request): Promise<Response>;
  /**
   * Every token request received since the last reset, in order, including failed and faulted ones (CORS
   * preflights are not token requests). `reset` starts a new array; an array read earlier keeps the old history.
   */
  readonly tokenRequests: readonly TokenRequestRecord[];
  /** How many token requests arrived per raw `scope` string, e.g. `{ "data": 2, "data publish": 1 }`. */
  tokenCallsByScope(): Record<string, number>;
  /** Every token issued since the last reset, by value, expired ones included. */
  readonly issuedTokens: ReadonlyMap<string, IssuedToken>;
  /**
   * Checks an `Authorization` header value for the API areas: a missing, malformed, unknown or expired bearer
   * token gives 401. The message never contains the token.
   */
  authenticate(authorization: string | null): AuthenticateResult;
  /** Injected faults, applied in the order added. */
  readonly faults: {
    /** Queues a fault; throws RangeError on an impossible one (e.g. `times: 0`, `status: 99`). */
    add(fault: MockFault): void;
    /** Forgets all queued faults. */
    clear(): void;
  };
  /**
   * Adds `count` generated entries to an object (apiName or id), deterministic for `random` (default 1), and
   * returns the ids of the first and last one. Throws for an unknown object. Takes about a second per
   * 500,000 rows.
   */
  seedRows(
    entryType: string | number,
    count: number,
    options?: {
      /** The generator's seed; default the site's `seed.random`. */
      random?: number;
    },
  ): {
    /** The id of the first entry added. */
    firstId: number;
    /** The id of the last entry added. */
    lastId: number;
  };
  /**
   * The entries of an object as rows (`EntryId` plus apiName keys, as a Rows read with `wrapIntoArrays`
   * answers them), for assertions in tests. Throws for an unknown object.
   */
  rows(entryType: string | number): Record<string, unknown>[];
  /** Refuses every token issued so far (401 from then on), as a site that revoked them would; returns how many. */
  revokeTokens(): number;
  /** Every API operation the site serves (the token endpoint aside). */
  readonly operations: readonly MockOperation[];
  /** Forgets requests, tokens, rate windows and faults; the options stay. */
  reset(): void;
}
