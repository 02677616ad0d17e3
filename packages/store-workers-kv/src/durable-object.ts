import type { StoredToken } from "@dealcloud-ts/auth";
import { type CoordinatorCall, PROTOCOL_HEADER, PROTOCOL_VERSION } from "./protocol.js";

/**
 * The part of a Durable Object's storage (`ctx.storage`) that {@link TokenCoordinatorDurableObject} uses, typed
 * structurally so the package type-checks without `@cloudflare/workers-types`.
 */
export interface DurableObjectStorageLike {
  /** The value under `key`, or undefined. */
  get(key: string): Promise<unknown>;
  /** Stores `value` under `key`. */
  put(key: string, value: unknown): Promise<unknown>;
  /** Deletes `key`. */
  delete(key: string): Promise<unknown>;
}

/** The part of a Durable Object's state (`ctx`, the constructor's first argument) that the class uses. */
export interface DurableObjectStateLike {
  /** The object's transactional storage. */
  readonly storage: DurableObjectStorageLike;
}

interface TokenEntry {
  token: StoredToken;
  until: number;
}
interface LockEntry {
  owner: string;
  expiresAt: number;
}
interface BudgetEntry {
  starts: number[];
  pausedUntil: number;
}

class BadCall extends Error {}

const text = (value: unknown, name: string): string => {
  if (typeof value !== "string" || value === "") throw new BadCall(`${name} must be a non-empty string`);
  return value;
};
const number = (value: unknown, name: string): number => {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new BadCall(`${name} must be a finite number`);
  return value;
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * A Durable Object that gives every isolate of a Worker one token cache, one lock per scope set and one token
 * budget: a Durable Object runs one instance at a time and its storage calls are never interleaved with another
 * request's (its input gate holds other events while storage is read), so each read-modify-write here is atomic
 * without any compare-and-set. Reach it through {@link createDurableObjectTokenStore}.
 *
 * Export it (or a subclass) from your Worker's main module and bind it in your Wrangler config; use one object
 * per DealCloud client id (`idFromName(clientId)`), as DealCloud's budget is per user.
 *
 * The lock holder renews its lock (`extend`) while its refresh runs. An object deployed before `extend` existed
 * answers it 400: the managers then warn once and let the lock run out after `lockTtlMs`, as before.
 *
 * Storage holds at most one entry per scope set (31), one lock per scope set while a refresh runs, and one budget
 * of at most `tokenRequestsPerMinute` start times.
 *
 * @example
 * ```ts
 * // worker.ts, with in wrangler.jsonc:
 * //   "durable_objects": { "bindings": [{ "name": "DEALCLOUD_TOKENS", "class_name": "TokenCoordinatorDurableObject" }] },
 * //   "migrations": [{ "tag": "v1", "new_sqlite_classes": ["TokenCoordinatorDurableObject"] }]
 * export { TokenCoordinatorDurableObject } from "@dealcloud-ts/store-workers-kv";
 * ```
 */
export class TokenCoordinatorDurableObject {
  readonly #storage: DurableObjectStorageLike;

  /** Called by the Workers runtime with the object's state; `env` is not used. */
  constructor(state: DurableObjectStateLike, env?: unknown) {
    void env;
    this.#storage = state.storage;
  }

  /**
   * Answers one call of the store's JSON protocol (the body of a POST, with the protocol version in a header):
   * `{ "op": "take", "key": …, "limit": …, "windowMs": …, "now": … }` and the like, with `{ value }`, or 400
   * `{ error }` for a call it cannot read.
   */
  async fetch(request: Request): Promise<Response> {
    if (request.method !== "POST") return json(405, { error: "POST a JSON call" });
    if (request.headers.get(PROTOCOL_HEADER) !== PROTOCOL_VERSION)
      return json(400, { error: `this coordinator speaks protocol ${PROTOCOL_VERSION} (header ${PROTOCOL_HEADER})` });
    let call: CoordinatorCall;
    try {
      call = (await request.json()) as CoordinatorCall;
    } catch {
      return json(400, { error: "the body is not JSON" });
    }
    try {
      return json(200, { value: await this.#answer(call) });
    } catch (error) {
      if (error instanceof BadCall) return json(400, { error: error.message });
      throw error;
    }
  }

  #answer(call: CoordinatorCall): Promise<unknown> {
    const key = text(call?.key, "key");
    switch (call.op) {
      case "get":
        return this.#get(key);
      case "set":
        return this.#set(key, call.token, number(call.ttlMs, "ttlMs"));
      case "delete":
        return this.#storage.delete(`token ${key}`).then(() => true);
      case "acquire":
        return this.#acquire(key, text(call.owner, "owner"), number(call.ttlMs, "ttlMs"));
      case "release":
        return this.#release(key, text(call.owner, "owner"));
      case "extend":
        return this.#extend(key, text(call.owner, "owner"), number(call.ttlMs, "ttlMs"));
      case "take":
        return this.#take(key, number(call.limit, "limit"), number(call.windowMs, "windowMs"), number(call.now, "now"));
      case "pause":
        return this.#pause(key, number(call.until, "until"));
      default:
        throw new BadCall(`unknown op ${JSON.stringify((call as { op?: unknown }).op)}`);
    }
  }

  async #get(key: string): Promise<StoredToken | null> {
    const entry = (await this.#storage.get(`token ${key}`)) as TokenEntry | undefined;
    return entry && entry.until > Date.now() ? entry.token : null;
  }

  async #set(key: string, token: StoredToken, ttlMs: number): Promise<boolean> {
    if (typeof token?.value !== "string") throw new BadCall("token must be a stored token");
    if (!(ttlMs >= 1)) await this.#storage.delete(`token ${key}`);
    else await this.#storage.put(`token ${key}`, { token, until: Date.now() + ttlMs } satisfies TokenEntry);
    return true;
  }

  async #acquire(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const lock = (await this.#storage.get(`lock ${key}`)) as LockEntry | undefined;
    if (lock && lock.expiresAt > Date.now()) return lock.owner === owner;
    await this.#storage.put(`lock ${key}`, { owner, expiresAt: Date.now() + ttlMs } satisfies LockEntry);
    return true;
  }

  /** Renews the owner's live lock for `ttlMs` more; a lock that ran out may be another's to take, so not that. */
  async #extend(key: string, owner: string, ttlMs: number): Promise<boolean> {
    const lock = (await this.#storage.get(`lock ${key}`)) as LockEntry | undefined;
    if (lock?.owner !== owner || !(lock.expiresAt > Date.now())) return false;
    await this.#storage.put(`lock ${key}`, { owner, expiresAt: Date.now() + ttlMs } satisfies LockEntry);
    return true;
  }

  async #release(key: string, owner: string): Promise<boolean> {
    const lock = (await this.#storage.get(`lock ${key}`)) as LockEntry | undefined;
    if (lock?.owner !== owner) return false;
    await this.#storage.delete(`lock ${key}`);
    return true;
  }

  async #take(key: string, limit: number, windowMs: number, now: number): Promise<number> {
    const budget = ((await this.#storage.get(`budget ${key}`)) as BudgetEntry | undefined) ?? {
      starts: [],
      pausedUntil: 0,
    };
    if (budget.pausedUntil > now) return budget.pausedUntil - now;
    const starts = budget.starts.filter((start) => start > now - windowMs).sort((a, b) => a - b);
    if (starts.length >= limit) return Math.max(1, (starts[starts.length - limit] as number) + windowMs - now);
    starts.push(now);
    await this.#storage.put(`budget ${key}`, { starts, pausedUntil: budget.pausedUntil } satisfies BudgetEntry);
    return 0;
  }

  async #pause(key: string, until: number): Promise<boolean> {
    const budget = ((await this.#storage.get(`budget ${key}`)) as BudgetEntry | undefined) ?? {
      starts: [],
      pausedUntil: 0,
    };
    if (budget.pausedUntil >= until) return false; // a pause is never shortened
    await this.#storage.put(`budget ${key}`, { ...budget, pausedUntil: until } satisfies BudgetEntry);
    return true;
  }
}
