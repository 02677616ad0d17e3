import type { MockClient, MockDealCloudOptions, MockPublicationsOptions } from "./types.js";

/**
 * The credentials a mock site accepts by default: the sample values of the DealCloud token docs
 * (`client_id=106`, `client_secret=1356GYNU`), public on purpose so examples and demos need no setup.
 */
export const DEFAULT_MOCK_CLIENT: MockClient = Object.freeze({ clientId: "106", clientSecret: "1356GYNU" });

/** The options with their defaults filled in and checked once, at creation. */
export interface Settings {
  /** Accepted credentials (copied, so later changes to the caller's objects have no effect). */
  readonly clients: readonly MockClient[];
  /** The site clock in ms. */
  readonly now: () => number;
  /** The real token lifetime in ms. */
  readonly lifetimeMs: number;
  /** The `expires_in` to send; null to omit it. */
  readonly reportedExpiresIn: number | null;
  /** Whether token answers carry a `refresh_token`. */
  readonly includeRefreshToken: boolean;
  /** Token calls per client id per sliding minute. */
  readonly tokenRequestsPerMinute: number;
  /** What unknown scopes do. */
  readonly unknownScopes: "drop" | "reject";
  /** How rows writes answer bad rows. */
  readonly rowErrors: "batch" | "per-row";
  /** How long a change takes to show up in history reads, in ms. */
  readonly historyLagMs: number;
  /** The Publications behaviours asked for. */
  readonly publications: Readonly<Required<Pick<MockPublicationsOptions, "emptyTopics">>> & {
    readonly maxRowsPerMessage: number | undefined;
  };
}

/** Fills in the defaults and throws RangeError for impossible values, so a bad option fails at creation. */
export function resolveOptions(options: MockDealCloudOptions): Settings {
  const {
    clients = [DEFAULT_MOCK_CLIENT],
    // An arrow, not `Date.now` itself: the global is looked up at each call, so fake timers apply.
    now = () => Date.now(),
    // Tokens live 900 s (DealCloud token docs).
    tokenLifetimeSeconds = 900,
    includeRefreshToken = false,
    // 300 token calls per minute per user in production, 60 in UAT/sandbox (DealCloud token docs).
    tokenRequestsPerMinute = 300,
    // Unknown scopes were silently dropped in a real 2022 recording (DealCloud token docs do not say).
    unknownScopes = "drop",
    // Not documented either way (catalogue §3.3): a whole-batch 400, as the vendor documents for cells.
    rowErrors = "batch",
    // DealCloud's history docs say timestamps can differ "by minutes" for bulk actions; by default, not at all.
    historyLagMs = 0,
  } = options;
  if (!(Number.isFinite(historyLagMs) && historyLagMs >= 0)) {
    throw new RangeError(`historyLagMs must be a non-negative number of ms (got ${String(historyLagMs)}).`);
  }
  if (!(Number.isFinite(tokenLifetimeSeconds) && tokenLifetimeSeconds > 0)) {
    throw new RangeError(`tokenLifetimeSeconds must be a positive number (got ${String(tokenLifetimeSeconds)}).`);
  }
  if (
    !(tokenRequestsPerMinute === Infinity || (Number.isInteger(tokenRequestsPerMinute) && tokenRequestsPerMinute >= 1))
  ) {
    throw new RangeError(
      `tokenRequestsPerMinute must be a positive integer or Infinity (got ${String(tokenRequestsPerMinute)}).`,
    );
  }
  if (unknownScopes !== "drop" && unknownScopes !== "reject") {
    throw new RangeError(`unknownScopes must be "drop" or "reject" (got ${JSON.stringify(unknownScopes)}).`);
  }
  if (rowErrors !== "batch" && rowErrors !== "per-row") {
    throw new RangeError(`rowErrors must be "batch" or "per-row" (got ${JSON.stringify(rowErrors)}).`);
  }
  const { emptyTopics = "empty", maxRowsPerMessage } = options.publications ?? {};
  if (emptyTopics !== "empty" && emptyTopics !== "not-in-kafka") {
    throw new RangeError(
      `publications.emptyTopics must be "empty" or "not-in-kafka" (got ${JSON.stringify(emptyTopics)}).`,
    );
  }
  if (maxRowsPerMessage !== undefined && !(Number.isInteger(maxRowsPerMessage) && maxRowsPerMessage >= 1)) {
    throw new RangeError(
      `publications.maxRowsPerMessage must be a positive integer (got ${String(maxRowsPerMessage)}).`,
    );
  }
  return {
    publications: { emptyTopics, maxRowsPerMessage },
    clients: clients.map((client) => ({ ...client })),
    now,
    lifetimeMs: tokenLifetimeSeconds * 1000,
    reportedExpiresIn: options.reportedExpiresIn === undefined ? tokenLifetimeSeconds : options.reportedExpiresIn,
    includeRefreshToken,
    tokenRequestsPerMinute,
    unknownScopes,
    rowErrors,
    historyLagMs,
  };
}
