import type { AccessToken } from "./manager.js";
import type { StoredToken } from "./store.js";

const redacted = "[redacted]";

function inspectToken(this: AccessToken) {
  return `AccessToken ${JSON.stringify(this)}`;
}

/**
 * The value sits in a private field behind a getter on the prototype: no own property holds it, so nothing that
 * enumerates the object (`console.dir`, which skips custom inspect, spread, `structuredClone`, `Object.entries`)
 * can reach it. `toJSON`, `toString` and the inspect hooks print `[redacted]` instead.
 */
class BearerToken implements AccessToken {
  readonly #value: string;
  readonly type: string;
  readonly scopes: StoredToken["scopes"];
  readonly expiresAt: number;
  constructor({ value, type, scopes, expiresAt }: StoredToken) {
    this.#value = value;
    this.type = type;
    this.scopes = scopes;
    this.expiresAt = expiresAt;
    // Frozen: every caller of the scope set shares this object.
    Object.freeze(this);
  }
  get value() {
    return this.#value;
  }
  toJSON() {
    return { value: redacted, type: this.type, scopes: this.scopes, expiresAt: this.expiresAt };
  }
  toString() {
    return `Bearer ${redacted}`;
  }
}
// Added on first use, so importing the package runs nothing (`Symbol.for` in the class body is a side effect).
let hooked = false;

/** A token this process holds, with the monotonic time of its death when this process obtained it. */
export interface Minted {
  readonly token: AccessToken;
  /** Monotonic clock time when it dies; Infinity for a token read from a store (only the wall clock can judge it). */
  readonly diesAt: number;
}

// One entry per cached token, so a cache hit allocates nothing (a memory store hands back the same object).
const minted = new WeakMap<StoredToken, Minted>();

/** The AccessToken for a stored token, made once; `diesAt` is recorded by the manager that obtained it. */
export function mintedOf(stored: StoredToken, diesAt = Number.POSITIVE_INFINITY): Minted {
  let entry = minted.get(stored);
  if (!entry) {
    if (!hooked) {
      hooked = true;
      Object.assign(BearerToken.prototype, {
        [Symbol.for("nodejs.util.inspect.custom")]: inspectToken,
        [Symbol.for("Deno.customInspect")]: inspectToken,
        // Node's inspect lists a class's prototype getters under showHidden (and calls them with `getters`, which
        // console.dir allows with custom inspect off); it stops at a built-in constructor, so claim Object's.
        constructor: Object,
      });
    }
    minted.set(stored, (entry = { token: new BearerToken(stored), diesAt }));
  }
  return entry;
}
