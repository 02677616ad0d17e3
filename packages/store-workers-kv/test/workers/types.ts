// Type-checked with @cloudflare/workers-types (test/workers/tsconfig.json, the package's `typecheck`): fails if
// the structural types stop accepting the real bindings.
import {
  createDurableObjectTokenStore,
  createWorkersKvTokenStore,
  TokenCoordinatorDurableObject,
} from "../../src/index.js";

export const kvStore = (namespace: KVNamespace) => createWorkersKvTokenStore({ namespace });
export const objectStore = (stub: DurableObjectStub) => createDurableObjectTokenStore({ stub });
export const coordinator = (ctx: DurableObjectState, env: unknown) => new TokenCoordinatorDurableObject(ctx, env);
export const namedStore = (namespace: DurableObjectNamespace) =>
  createDurableObjectTokenStore({ namespace, name: "106" });
