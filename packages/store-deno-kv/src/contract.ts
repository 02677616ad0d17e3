// The coordination contract of issue 16, as sketched before @dealcloud-ts/auth exports it: replaced by the
// import from "@dealcloud-ts/auth" once the shared-stores branch lands.
import type { TokenStore } from "@dealcloud-ts/auth";

/** Optional capabilities a shared TokenStore offers so many processes act as one. */
export interface TokenCoordination {
  acquire(key: string, owner: string, ttlMs: number): Promise<boolean>;
  release(key: string, owner: string): Promise<unknown>;
  take(key: string, limit: number, windowMs: number, now: number): Promise<number>;
  pause(key: string, until: number): Promise<unknown>;
}

/** A TokenStore that may also coordinate. */
export interface SharedTokenStore extends TokenStore {
  readonly coordination?: TokenCoordination | undefined;
}
