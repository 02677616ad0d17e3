import type { StoredToken } from "@dealcloud-ts/auth";

/**
 * One call from createDurableObjectTokenStore to TokenCoordinatorDurableObject: the JSON body of a `POST` to the
 * Durable Object's `fetch`. The answer is `{ "value": … }` (200) or `{ "error": "…" }` (400).
 */
export type CoordinatorCall =
  | { op: "get"; key: string }
  | { op: "set"; key: string; token: StoredToken; ttlMs: number }
  | { op: "delete"; key: string }
  | { op: "acquire"; key: string; owner: string; ttlMs: number }
  | { op: "release"; key: string; owner: string }
  | { op: "extend"; key: string; owner: string; ttlMs: number }
  | { op: "take"; key: string; limit: number; windowMs: number; now: number }
  | { op: "pause"; key: string; until: number };

/** The version of the protocol, sent as a header: a coordinator of another version answers 400 instead of guessing. */
export const PROTOCOL_VERSION = "1";
/** The header that carries {@link PROTOCOL_VERSION}. */
export const PROTOCOL_HEADER = "x-dealcloud-token-coordinator";
