import { json, raw } from "./http.js";
import type { MockFault, MockRoute } from "./types.js";

/** Statuses whose answers cannot have a body (the Fetch standard's null body statuses). */
const NULL_BODY_STATUSES: readonly number[] = [204, 205, 304];

interface QueuedFault {
  readonly fault: MockFault;
  remaining: number;
}

/** The queue behind `mock.faults`: faults are matched in the order added and used up one request at a time. */
export interface FaultQueue {
  /** Checks and queues a fault (a copy: later changes to the object have no effect). */
  add(fault: MockFault): void;
  /** Forgets every queued fault. */
  clear(): void;
  /** Takes one use of the first fault for `route` (and `operation`, when the fault names one), or undefined. */
  take(route: MockRoute, operation?: string): MockFault | undefined;
}

/** Creates an empty fault queue; one per site. */
export function createFaultQueue(): FaultQueue {
  let queue: QueuedFault[] = [];
  return {
    add(fault) {
      validate(fault);
      queue.push({ fault: { ...fault }, remaining: fault.times ?? 1 });
    },
    clear() {
      queue = [];
    },
    take(route, operation) {
      const index = queue.findIndex(
        (entry) =>
          entry.fault.route === route && (entry.fault.operation === undefined || entry.fault.operation === operation),
      );
      const entry = queue[index];
      if (!entry) return undefined;
      entry.remaining -= 1;
      if (entry.remaining <= 0) queue.splice(index, 1);
      return entry.fault;
    },
  };
}

/** Throws RangeError for a fault that cannot be applied, so a typo fails at `add`, not in a later request. */
function validate(fault: MockFault): void {
  const { times = 1, status, delayMs = 0 } = fault;
  if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
    throw new RangeError(`MockFault.times must be a positive integer or Infinity (got ${String(times)}).`);
  }
  if (status !== undefined && !(Number.isInteger(status) && status >= 200 && status <= 599)) {
    throw new RangeError(`MockFault.status must be an HTTP status from 200 to 599 (got ${String(status)}).`);
  }
  if (fault.body !== undefined && NULL_BODY_STATUSES.includes(status ?? 200)) {
    throw new RangeError(`MockFault.body cannot be sent with HTTP ${String(status)}, which has no body.`);
  }
  if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new RangeError(`MockFault.delayMs must be a non-negative number (got ${String(delayMs)}).`);
  }
}

/** Whether the fault replaces the route's answer (otherwise it only delays it). */
export function answersInstead(fault: MockFault): boolean {
  return (
    fault.dropConnection === true ||
    fault.status !== undefined ||
    fault.body !== undefined ||
    fault.retryAfter !== undefined
  );
}

/** Waits `ms` with the global `setTimeout`, looked up now so that fake timers control it. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The fault's own answer: a network error, a raw body, or a small JSON error body. */
export function faultResponse(fault: MockFault): Response {
  if (fault.dropConnection) return Response.error();
  const status = fault.status ?? (fault.body !== undefined ? 200 : 429);
  const headers: Record<string, string> = fault.retryAfter !== undefined ? { "retry-after": fault.retryAfter } : {};
  if (NULL_BODY_STATUSES.includes(status)) return raw(status, null, headers);
  if (fault.body !== undefined) return raw(status, fault.body, headers);
  // `{ message }` like the API areas' errors, with no OAuth `error` code: clients classify the fault by status alone.
  return json(status, { message: `Fault injected by @dealcloud-ts/mock: HTTP ${status}.` }, headers);
}
