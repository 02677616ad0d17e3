// The Worker test/workers-kv.test.ts runs under Miniflare (workerd): two copies of it, two isolates, share one KV
// namespace and one Durable Object namespace. Each isolate keeps one token manager per store and options, as a
// real Worker keeps one for its isolate's life.
import { createTokenManager, type Scope, type TokenManager, tokenStoreKey } from "@dealcloud-ts/auth";
import { lockKeyOf } from "@dealcloud-ts/auth/shared";
import { tokenStoreContract } from "@dealcloud-ts/auth/testing";
import {
  createDurableObjectTokenStore,
  type DurableObjectNamespaceLike,
  type DurableObjectStubLike,
  createWorkersKvTokenStore,
  TokenCoordinatorDurableObject,
} from "../../dist/index.js";

export { TokenCoordinatorDurableObject };

interface Env {
  TOKENS: KVNamespace;
  COORDINATOR: DurableObjectNamespace;
  DEALCLOUD_URL: string;
  DEALCLOUD_CLIENT_ID: string;
  DEALCLOUD_CLIENT_SECRET: string;
}

const managers = new Map<string, TokenManager>();
/** The managers' warnings (a shared store that failed), reported with each answer. */
const warnings: string[] = [];
const logger = {
  warn: (message: string, meta?: Record<string, unknown>) => void warnings.push(`${message} ${JSON.stringify(meta)}`),
};

/**
 * The namespace, with each `release` call held back `ms` in this isolate first: an object far away, whose
 * release a Worker that answered before it finished (outside its waitUntil) would cancel.
 */
function slowRelease(namespace: DurableObjectNamespace, ms: number): DurableObjectNamespaceLike {
  return {
    idFromName: (name) => namespace.idFromName(name),
    get: (id) => {
      const stub = namespace.get(id as DurableObjectId) as unknown as DurableObjectStubLike;
      return {
        async fetch(url, init) {
          if ((JSON.parse(init.body) as { op?: string }).op === "release") {
            await new Promise((resolve) => setTimeout(resolve, ms));
          }
          return stub.fetch(url, init);
        },
      };
    },
  };
}

function storeFor(env: Env, query: URLSearchParams) {
  const name = query.get("object") ?? "default";
  const slow = Number(query.get("slowRelease") ?? 0);
  const namespace = slow > 0 ? slowRelease(env.COORDINATOR, slow) : env.COORDINATOR;
  if (query.get("store") === "do") return createDurableObjectTokenStore({ namespace, name });
  return createWorkersKvTokenStore({ namespace: env.TOKENS, prefix: `${name}:` });
}

function managerFor(env: Env, query: URLSearchParams) {
  const id = query.toString();
  let manager = managers.get(id);
  if (!manager) {
    const perMinute = query.get("perMinute");
    const maxWait = query.get("maxWait");
    manager = createTokenManager({
      baseUrl: env.DEALCLOUD_URL,
      clientId: env.DEALCLOUD_CLIENT_ID,
      clientSecret: env.DEALCLOUD_CLIENT_SECRET,
      store: storeFor(env, query),
      logger,
      ...(perMinute ? { tokenRequestsPerMinute: Number(perMinute) } : {}),
      ...(maxWait ? { maxRateLimitWaitMs: Number(maxWait) } : {}),
    });
    managers.set(id, manager);
  }
  return manager;
}

/** `scopes=data,publish|user_management`: scope sets split by `|`, scopes by `,`. */
const scopeSetsOf = (query: URLSearchParams) =>
  (query.get("scopes") ?? "data").split("|").map((set) => set.split(",") as Scope[]);

async function tokens(env: Env, query: URLSearchParams, ctx: ExecutionContext) {
  const perCall = new Set(["concurrency", "forceRefresh"]);
  const manager = managerFor(env, new URLSearchParams([...query].filter(([name]) => !perCall.has(name))));
  const concurrency = Number(query.get("concurrency") ?? 1);
  const forceRefresh = query.get("forceRefresh") === "1";
  const calls = scopeSetsOf(query).flatMap((scopes) =>
    Array.from({ length: concurrency }, () =>
      manager.getToken(scopes, { forceRefresh, waitUntil: ctx.waitUntil.bind(ctx) }),
    ),
  );
  const results = await Promise.allSettled(calls);
  const failed = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
  return {
    ok: results.length - failed.length,
    failed: failed.length,
    codes: [...new Set(failed.map((result) => (result.reason as { code?: string })?.code))],
    stats: manager.stats(),
    warnings: warnings.splice(0),
  };
}

async function contract(env: Env, query: URLSearchParams) {
  const store = storeFor(env, query);
  const coordination = query.get("store") === "do";
  const checks = tokenStoreContract(() => store, { coordination, extend: coordination });
  let passed = 0;
  const failures: string[] = [];
  for (const check of checks) {
    try {
      await check.run();
      passed++;
    } catch (error) {
      failures.push(`${check.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { passed, failed: failures.length, failures };
}

/** Whether the lock of a scope set's refresh is free right now (taken for a moment by a probe, then freed). */
async function lockFree(env: Env, query: URLSearchParams) {
  const coordination = createDurableObjectTokenStore({ namespace: env.COORDINATOR, name: query.get("object") ?? "" })
    .coordination as NonNullable<ReturnType<typeof createDurableObjectTokenStore>["coordination"]>;
  const scopes = (query.get("scopes") ?? "data").split(",") as Scope[];
  const lock = lockKeyOf(tokenStoreKey({ baseUrl: env.DEALCLOUD_URL, clientId: env.DEALCLOUD_CLIENT_ID, scopes }));
  const free = await coordination.acquire(lock, "probe", 1_000);
  if (free) await coordination.release(lock, "probe");
  return { free };
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    try {
      const body =
        url.pathname === "/tokens"
          ? await tokens(env, url.searchParams, ctx)
          : url.pathname === "/contract"
            ? await contract(env, url.searchParams)
            : url.pathname === "/lock"
              ? await lockFree(env, url.searchParams)
              : undefined;
      if (body === undefined) return new Response("not found", { status: 404 });
      return Response.json(body);
    } catch (error) {
      return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
    }
  },
} satisfies ExportedHandler<Env>;
