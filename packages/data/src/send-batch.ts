// One request of a batch helper, and what its answer (or the lack of one) means for the rows it carried.
import type { AnyDataClient } from "./send.js";

export type { AnyDataClient };
import type { BatchAnswer } from "./write-engine.js";
import { WriteError } from "./write-errors.js";

type Method = "POST" | "PATCH" | "PUT" | "DELETE";
type Call = (
  path: string,
  init: object,
) => Promise<{ data?: unknown; error?: unknown; response: Response } | { data: unknown; response: Response }>;

// The statuses after which DealCloud may have written part or all of the request: the server failed while
// working (500) or a gateway lost track of it (502, 504). Every other error status is taken to mean the
// request was refused before anything was written (RFC 9110: 408, 429 and 503 are refusals to process).
const MAYBE_WRITTEN = new Set([500, 502, 504]);
// Failures thrown without an answer after the request may have left: the outcome is unknown.
const NO_ANSWER = new Set(["CONNECTION", "TIMEOUT", "ABORTED"]);

/**
 * Sends one request and classifies the outcome. A 2xx goes to `parse`; a 400 asks to split the batch; a
 * 500/502/504 or a request that got no answer makes every row `OUTCOME_UNKNOWN`; any other status, or a failure
 * before sending (no token, a missing scope), makes every row `BATCH_REJECTED`. Never throws.
 */
export async function sendBatch<Written>(
  client: AnyDataClient,
  method: Method,
  path: string,
  init: object,
  parse: (body: unknown) => BatchAnswer<Written>,
): Promise<BatchAnswer<Written>> {
  let status: number;
  let body: unknown;
  try {
    const answer = await (client as unknown as Record<Method, Call>)[method](path, init);
    status = answer.response.status;
    body = "error" in answer && answer.error !== undefined ? answer.error : answer.data;
  } catch (error) {
    // Throwing mode: an HTTP error answer arrives as an APIError carrying its status and body.
    const answered = error as { status?: unknown; body?: unknown; code?: unknown };
    if (typeof answered.status !== "number" || !("body" in answered)) return failedWithout(error);
    status = answered.status;
    body = answered.body;
  }
  if (status >= 200 && status < 300) return parse(body);
  const said =
    typeof (body as { message?: unknown })?.message === "string" ? `: ${(body as { message: string }).message}` : "";
  if (status === 400)
    return { kind: "split", error: new WriteError("ROW_REJECTED", `DealCloud refused it (400${said})`, { status }) };
  if (MAYBE_WRITTEN.has(status))
    return {
      kind: "failed",
      error: new WriteError("OUTCOME_UNKNOWN", `Outcome unknown: ${status}${said}; not sent again`, { status }),
    };
  return { kind: "failed", error: new WriteError("BATCH_REJECTED", `Not written: ${status}${said}`, { status }) };
}

function failedWithout(error: unknown): BatchAnswer<never> {
  const code = (error as { code?: unknown })?.code;
  const unknown = typeof code !== "string" || NO_ANSWER.has(code);
  return {
    kind: "failed",
    error: unknown
      ? new WriteError("OUTCOME_UNKNOWN", "Outcome unknown: no answer; not sent again", { cause: error })
      : new WriteError("BATCH_REJECTED", `Not sent: ${(error as Error).message}`, { cause: error }),
  };
}

/** The per-row errors DealCloud listed on an answered row (`Errors` or `errors`), if any. */
export function rowErrorsOf(row: unknown): readonly Record<string, unknown>[] | undefined {
  if (typeof row !== "object" || row === null) return undefined;
  const listed = (row as { Errors?: unknown }).Errors ?? (row as { errors?: unknown }).errors;
  return Array.isArray(listed) && listed.length > 0 ? listed : undefined;
}
