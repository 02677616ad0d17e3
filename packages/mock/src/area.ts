import type { Settings } from "./options.js";
import type { EntryStore } from "./state/entries.js";
import type { SiteSchema } from "./state/schema.js";
import type { UserStore } from "./state/users.js";
import type { TokenStore } from "./token-store.js";
import type { MockRoute } from "./types.js";

/**
 * What every area of the site shares: the options and clock, the issued tokens (for `authenticate`), and the
 * site's data, which several APIs see (Data writes show up in Publications, User Management proxies decide
 * who may act `As-User` in the Data API).
 */
export interface SiteContext {
  readonly settings: Settings;
  readonly tokens: TokenStore;
  readonly schema: SiteSchema;
  readonly entries: EntryStore;
  readonly users: UserStore;
}

/**
 * One API area of the mock site (token endpoint, later Data, Schema, ...), added to the site as one module.
 * The site routes to it, applies faults before it and adds CORS after it; the area owns its own state.
 */
export interface Area {
  /** The name faults use to target this area. */
  readonly route: MockRoute;
  /** Whether this area serves `pathname` (the site may sit under a path prefix, so match the tail). */
  matches(pathname: string): boolean;
  /** The operation a request is for (`"METHOD /template"`), so faults can target one operation. */
  operation?(request: Request): string | undefined;
  /** Answers a request that no fault replaced. */
  handle(request: Request): Promise<Response>;
  /** Records a request a fault answered instead of `handle` (`status` 0 for a dropped connection). */
  recordFault(request: Request, status: number): Promise<void>;
  /** Forgets the area's state. */
  reset(): void;
  /** Ends the server-side session of the request's client, for areas that keep sessions (Publications). */
  endSession?(request: Request): void;
}
