import type { AccessToken } from "./manager.js";
import type { StoredToken } from "./store.js";

const redacted = "[redacted]";

/**
 * The value sits in a private field behind a getter on the prototype: no own property holds it, so nothing that
 * enumerates the object (`console.dir`, Node/Deno `inspect`, spread, `structuredClone`, `Object.entries`) can
 * reach it, and no custom inspect hook is needed. `toJSON` and `toString` print `[redacted]` in its place.
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
    // The own properties are type, scopes and expiresAt; the value is not one of them.
    return { value: redacted, ...(this as object) };
  }
  toString() {
    return `Bearer ${redacted}`;
  }
}
// Set on first use, so importing the package runs nothing. Node's inspect lists a class's prototype getters under
// `showHidden` (and calls them with `getters`, which console.dir allows); it stops at a built-in constructor.
let hidden = false;

/** A token this process holds, with the monotonic time of its death when this process obtained it. */
export interface Minted {
  readonly token: AccessToken;
  /** Monotonic clock time when it dies; Infinity for a token read from a store (only the wall clock can judge it). */
  readonly diesAt: number;
}

// One entry per cached token, so a cache hit allocates nothing (a memory store hands back the same object).
const minted = new WeakMap<StoredToken, Minted>();

/** The AccessToken for a stored token, made once; `diesAt` is recorded by the manager that obtained it. */
export function mintedOf(stored: StoredToken, diesAt = Infinity): Minted {
  let entry = minted.get(stored);
  if (!entry) {
    if (!hidden) hidden = !!Object.defineProperty(BearerToken.prototype, "constructor", { value: Object });
    minted.set(stored, (entry = { token: new BearerToken(stored), diesAt }));
  }
  return entry;
}
