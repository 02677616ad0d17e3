// Runs planned batches: a small bounded pool, a 400 bisected to the bad groups, abort between requests, and
// a report that says for every input item whether it landed.
import type { Batch } from "./batches.js";
import { InvalidArgumentError, WriteError } from "./write-errors.js";

/** Progress of a batch helper, after each batch (with the requests spent isolating its bad rows). */
export interface WriteProgress {
  /** Input items settled so far (written or failed). */
  readonly done: number;
  /** Input items in all. */
  readonly total: number;
  /** Batches settled so far. */
  readonly batches: number;
  /** Requests sent so far, bisection included. */
  readonly requests: number;
  /** Milliseconds since the helper was called. */
  readonly elapsedMs: number;
}

/** Options every batch helper takes. */
export interface BatchOptions {
  /** Items per request, at most the documented limit (the default); only lowers it. */
  batchSize?: number | undefined;
  /** Requests in flight at once, 1 to 16. Default 1. The client's own `maxConcurrency` and pacing still apply. */
  concurrency?: number | undefined;
  /**
   * Stops sending: no request starts after it fires, and the items not yet sent are reported `NOT_SENT`. A
   * request already sent is awaited, so the report says what it did (aborting it would only make its outcome
   * unknown: a write that reached DealCloud cannot be called back).
   */
  signal?: AbortSignal | undefined;
  /** Called after each batch settles. */
  onProgress?: ((progress: WriteProgress) => void) | undefined;
}

/** One input item that did not land, with its index in the input. */
export interface WriteFailure<Input> {
  /** Its index in the input. */
  readonly index: number;
  /** The item as given. */
  readonly row: Input;
  /** Why; branch on `error.code`. */
  readonly error: WriteError;
}

/** What a batch helper did: every input item is in `written` or in `failed`, never in both, never in neither. */
export interface WriteReport<Written, Input> {
  /** What landed, in input order (for rows: the rows DealCloud answered, with their real `EntryId`s). */
  readonly written: Written[];
  /** What did not land, in input order, each with its input index and a {@link WriteError}. */
  readonly failed: WriteFailure<Input>[];
  /** Requests sent in all. */
  readonly requests: number;
  /** Of `requests`, those sent to isolate bad rows after a 400 (bisection). */
  readonly splitRequests: number;
}

/** What one request's answer means for the items it carried. */
export type BatchAnswer<Written> =
  | {
      /** 2xx: one result per item sent, in the order sent: what landed, or why it did not. */
      readonly kind: "answered";
      readonly results: readonly (Written | WriteError)[];
    }
  | {
      /** 400: the request was refused because of some item in it; split it to find which. */
      readonly kind: "split";
      readonly error: WriteError;
    }
  | {
      /** Every item of the request failed the same way; splitting would not help. */
      readonly kind: "failed";
      readonly error: WriteError;
    };

/** What {@link runBatches} needs. */
export interface BatchJob<Input, Written> {
  readonly inputs: readonly Input[];
  readonly batches: readonly Batch[];
  /** Sends the items at these input indices as one request. Must not throw. */
  readonly send: (indices: readonly number[]) => Promise<BatchAnswer<Written>>;
  readonly options: BatchOptions;
}

const MAX_CONCURRENCY = 16;

/** Checks the options every helper shares; throws {@link InvalidArgumentError}. */
export function checkBatchOptions(options: BatchOptions | undefined, maxBatch: number, what: string): number {
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("Pass an options object.");
  const { batchSize = maxBatch, concurrency = 1, onProgress, signal } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > maxBatch)
    throw new InvalidArgumentError(
      `batchSize must be an integer from 1 to ${maxBatch} (${what} per request); got ${String(batchSize)}.`,
    );
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY)
    throw new InvalidArgumentError(
      `concurrency must be an integer from 1 to ${MAX_CONCURRENCY}; got ${String(concurrency)}.`,
    );
  if (onProgress !== undefined && typeof onProgress !== "function")
    throw new InvalidArgumentError("onProgress must be a function.");
  if (signal !== undefined && typeof signal?.aborted !== "boolean")
    throw new InvalidArgumentError("signal must be an AbortSignal.");
  return batchSize;
}

/** Sends every batch, up to `concurrency` at once, bisecting a 400 down to the groups DealCloud refuses. */
export async function runBatches<Input, Written>(job: BatchJob<Input, Written>): Promise<WriteReport<Written, Input>> {
  const { inputs, batches, send, options } = job;
  const { signal, onProgress, concurrency = 1 } = options;
  const started = performance.now();
  const results: (Written | WriteError | undefined)[] = new Array(inputs.length);
  let requests = 0;
  let splitRequests = 0;
  let done = 0;
  let settledBatches = 0;

  const settle = (indices: readonly number[], result: (n: number) => Written | WriteError) => {
    indices.forEach((index, n) => {
      results[index] = result(n);
    });
    done += indices.length;
  };

  async function write(groups: Batch, split: boolean): Promise<void> {
    const indices = groups.flat();
    if (signal?.aborted) {
      const error = new WriteError("NOT_SENT", "Not sent: the write was aborted first.", { cause: signal.reason });
      return settle(indices, () => error);
    }
    requests++;
    if (split) splitRequests++;
    const answer = await send(indices);
    if (answer.kind === "answered") return settle(indices, (n) => answer.results[n]!);
    if (answer.kind === "failed" || groups.length === 1) return settle(indices, () => answer.error);
    const [first, second] = halve(groups);
    await write(first, true);
    await write(second, true);
  }

  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      await write(batches[next++]!, false);
      settledBatches++;
      onProgress?.({
        done,
        total: inputs.length,
        batches: settledBatches,
        requests,
        elapsedMs: performance.now() - started,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batches.length) }, worker));

  const written: Written[] = [];
  const failed: WriteFailure<Input>[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const result = results[index];
    if (result instanceof WriteError) failed.push({ index, row: inputs[index]!, error: result });
    else written.push(result as Written);
  }
  return { written, failed, requests, splitRequests };
}

/** Two non-empty halves of a batch's groups, as even in items as the groups allow. */
function halve(groups: Batch): [Batch, Batch] {
  const total = groups.reduce((sum, group) => sum + group.length, 0);
  let count = 0;
  let cut = 0;
  while (cut < groups.length - 1 && count + groups[cut]!.length <= total / 2) count += groups[cut++]!.length;
  if (cut === 0) cut = 1;
  return [groups.slice(0, cut), groups.slice(cut)];
}
