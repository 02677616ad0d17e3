import type { SiteContext } from "../area.js";

/**
 * A change User Management made to users, announced to the Publications area (topic `default-users`). The
 * users are given as the User Management API renders them, so the event shows what the API would answer.
 */
export interface UserChange {
  readonly kind: "created" | "updated" | "deleted";
  readonly users: readonly Record<string, unknown>[];
  /** The user who made the change (the token's user); undefined for a client id that is not a user id. */
  readonly userId: number | undefined;
  /** Site clock, ms. */
  readonly at: number;
}

type Listener = (change: UserChange) => void;

/** Listeners per site, keyed by the site's user store (one per site), so areas need not know each other. */
const channels = new WeakMap<object, Set<Listener>>();

function listenersOf(context: SiteContext): Set<Listener> {
  let found = channels.get(context.users);
  if (!found) channels.set(context.users, (found = new Set()));
  return found;
}

/** The user-change channel of one site. */
export function userChanges(context: SiteContext) {
  return {
    emit(change: UserChange): void {
      for (const listener of listenersOf(context)) listener(change);
    },
    /** Calls `listener` for every change; returns the unsubscribe function. */
    subscribe(listener: Listener): () => void {
      const listeners = listenersOf(context);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
