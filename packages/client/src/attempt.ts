import { type AccessToken, DealCloudError, type Scope, type TokenManager } from "@dealcloud-ts/auth";
import { operationOf, readAnswer } from "./answer.js";
import { AbortedError, ConnectionError, TimeoutError } from "./errors.js";
import type { createSemaphore } from "./timing.js";

/** The fetch beneath the transport, called like the standard `fetch`. */
export type NetworkFetch = (request: Request, init: RequestInit) => Promise<Response>;

/** What every attempt of one transport shares. */
export interface AttemptContext {
  readonly tokens: TokenManager;
  readonly scopes: readonly Scope[];
  readonly send: NetworkFetch;
  readonly pace: ((signal: AbortSignal) => Promise<void>) | undefined;
  readonly slots: ReturnType<typeof createSemaphore> | undefined;
  readonly maxResponseBytes: number;
}

/** One attempt's result: the answer (body read) and the token it judged, or the typed error for no answer. */
export type AttemptOutcome = { response: Response; token: AccessToken } | Error;

/**
 * One signed attempt: waits for a concurrency slot (abortable; the slot is held only for this attempt, never
 * through a backoff), then within `timeoutMs` takes a token, waits its pacing turn (not counted), sends and reads
 * the whole body. Redirects are not followed: `readAnswer` refuses them.
 */
export async function attemptOnce(
  context: AttemptContext,
  request: Request,
  body: ArrayBuffer | null,
  timeoutMs: number,
): Promise<AttemptOutcome> {
  const caller = request.signal;
  const controller = new AbortController();
  const onAbort = () => controller.abort(caller.reason);
  caller.addEventListener("abort", onAbort); // removed in the finally below
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
  };
  let release: (() => void) | undefined;
  try {
    if (caller.aborted) throw caller.reason;
    release = context.slots && (await context.slots(caller));
    arm();
    const token = await context.tokens.getToken(context.scopes, { signal: controller.signal });
    if (context.pace) {
      // Paced after the token is in hand, so the spacing is that of the sends the server sees; the wait for the
      // turn is not part of the attempt's time limit, which starts again once the turn comes.
      clearTimeout(timer);
      await context.pace(controller.signal);
      arm();
    }
    // The token goes into this attempt's own headers, never onto the call's request, which the client's
    // middleware (a user's logger included) sees. Handing `init` to fetch builds one Request per attempt, inside fetch.
    const headers = new Headers(request.headers);
    headers.set("Authorization", `Bearer ${token.value}`);
    const init: RequestInit = { headers, signal: controller.signal, redirect: "manual", body };
    // Called unbound: a browser's own fetch throws "Illegal invocation" as a method of another object.
    const { send } = context;
    const response = await send(request, init);
    return { response: await readAnswer(response, context.maxResponseBytes, request), token };
  } catch (error) {
    if (timedOut) return new TimeoutError(operationOf(request), timeoutMs);
    if (caller.aborted) return new AbortedError(operationOf(request), caller.reason);
    if (error instanceof DealCloudError) return error;
    return new ConnectionError(operationOf(request), error);
  } finally {
    clearTimeout(timer);
    caller.removeEventListener("abort", onAbort);
    release?.();
  }
}
