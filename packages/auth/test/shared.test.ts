// The coordination logic of @dealcloud-ts/auth/shared, with several managers in one process standing for
// several processes (each has its own single flight and budget, as a process would) over one in-memory store
// that keeps the contract. The same behaviours across real processes and a real Redis are tested in
// packages/store-redis.
import { describe, expect, it } from "vitest";
import type { Logger, StoredToken, TokenCoordination, TokenStore } from "../src/index.js";
import { createSharedTokenStore, type SharedTokenStoreOptions } from "../src/shared.js";
import { tokenStoreContract } from "../src/testing.js";
import { managerFor, mockSite } from "./site.js";

/** A store that keeps the contract in memory: what Redis does, in one process. */
function memoryBackend() {
  const tokens = new Map<string, { token: StoredToken; until: number }>();
  const locks = new Map<string, { owner: string; until: number }>();
  const windows = new Map<string, number[]>();
  const pauses = new Map<string, number>();
  const store: TokenStore = {
    get: async (key) => {
      const entry = tokens.get(key);
      return entry && entry.until > Date.now() ? entry.token : undefined;
    },
    set: async (key, token, ttlMs) => void tokens.set(key, { token, until: Date.now() + ttlMs }),
    delete: async (key) => void tokens.delete(key),
  };
  const coordination: TokenCoordination = {
    acquire: async (key, owner, ttlMs) => {
      const held = locks.get(key);
      if (held && held.until > Date.now()) return false;
      locks.set(key, { owner, until: Date.now() + ttlMs });
      return true;
    },
    release: async (key, owner) => {
      if (locks.get(key)?.owner === owner) locks.delete(key);
    },
    take: async (key, limit, windowMs, now) => {
      const paused = pauses.get(key) ?? 0;
      if (paused > now) return paused - now;
      const times = (windows.get(key) ?? []).filter((at) => at > now - windowMs);
      windows.set(key, times);
      if (times.length < limit) return (void times.push(now), 0);
      return Math.max(1, Math.min(...times) + windowMs - now);
    },
    pause: async (key, until) => void pauses.set(key, Math.max(until, pauses.get(key) ?? 0)),
  };
  return { store, coordination };
}

/** A shared store over `backend`, as an adapter would build it. */
const sharedOver = (backend = memoryBackend(), options: SharedTokenStoreOptions = {}) =>
  createSharedTokenStore(backend.store, backend.coordination, { pollIntervalMs: 5, ...options });

/** A logger that keeps its warnings. */
const warningsLog = () => {
  const lines: string[] = [];
  const logger: Logger = { warn: (message) => void lines.push(message) };
  return { lines, logger };
};

describe("managers over one shared store with coordination (one per process)", () => {
  it("send one token request per scope set however many managers ask at once", async () => {
    const mock = mockSite();
    const store = sharedOver();
    const managers = Array.from({ length: 6 }, () => managerFor({ store }));
    const tokens = await Promise.all(
      managers.flatMap((manager) => [
        ...Array.from({ length: 20 }, () => manager.getToken("data")),
        manager.getToken(["data", "publish"]),
      ]),
    );

    expect(mock.tokenCallsByScope()).toEqual({ data: 1, "data publish": 1 });
    expect(new Set(tokens.map((token) => token.value)).size).toBe(2);
  });

  it("share the per-minute budget: two managers of 3 a minute send 3 token requests between them, not 6", async () => {
    const mock = mockSite({ tokenRequestsPerMinute: 1000 });
    mock.faults.add({ route: "token", status: 500, times: Number.POSITIVE_INFINITY });
    const store = sharedOver();
    const options = { store, tokenRequestsPerMinute: 3, maxRateLimitWaitMs: 0, maxAttempts: 1 };
    const [one, two] = [managerFor(options), managerFor(options)];
    const scopeSets = [["data"], ["publish"], ["backup"], ["ri_import"]] as const;
    const results = await Promise.allSettled(
      scopeSets.flatMap((scopes) => [one.getToken(scopes), two.getToken(scopes)]),
    );

    expect(results.every((result) => result.status === "rejected")).toBe(true);
    expect(mock.tokenRequests).toHaveLength(3);
  });

  it("share a 429 pause: after one manager's 429, another waits for it instead of asking", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", status: 429, retryAfter: "30" });
    const store = sharedOver();
    const first = managerFor({ store, maxAttempts: 1 });
    await expect(first.getToken("data")).rejects.toMatchObject({ code: "TOKEN_RATE_LIMITED", status: 429 });
    // The second manager's own pause is empty; the shared one refuses it (it will not wait 30 s).
    const second = managerFor({ store, maxRateLimitWaitMs: 1_000 });
    await expect(second.getToken("publish")).rejects.toMatchObject({ code: "TOKEN_RATE_LIMITED" });
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("read another manager's token from the store instead of asking", async () => {
    const mock = mockSite();
    const store = sharedOver();
    const token = await managerFor({ store }).getToken("data");
    expect((await managerFor({ store }).getToken("data")).value).toBe(token.value);
    expect(mock.tokenRequests).toHaveLength(1);
  });
});

describe("a manager's near copy of the shared token", () => {
  it("answers cache hits without a store round trip while the token is outside its soft window", async () => {
    mockSite();
    const backend = memoryBackend();
    let reads = 0;
    const counted = { ...backend.store, get: (key: string) => (reads++, backend.store.get(key)) };
    const tokens = managerFor({ store: sharedOver({ store: counted, coordination: backend.coordination }) });
    await tokens.getToken("data");
    const afterFirst = reads;
    for (let call = 0; call < 100; call++) await tokens.getToken("data");
    expect(reads).toBe(afterFirst);
  });
});

describe("a shared store that fails", () => {
  const failing = (failures: { on: boolean }, hang = false) => {
    const backend = memoryBackend();
    const broken = <T extends object>(target: T): T =>
      Object.fromEntries(
        Object.entries(target).map(([name, method]) => [
          name,
          (...args: unknown[]) =>
            failures.on
              ? hang
                ? new Promise(() => {})
                : Promise.reject(new Error("ECONNREFUSED"))
              : (method as (...args: unknown[]) => unknown)(...args),
        ]),
      ) as T;
    return { store: broken(backend.store), coordination: broken(backend.coordination) };
  };

  it("never fails a request: each manager carries on alone, warning once per failure period", async () => {
    const mock = mockSite();
    const failures = { on: true };
    const store = sharedOver(failing(failures));
    const { lines, logger } = warningsLog();
    const [one, two] = [managerFor({ store, logger }), managerFor({ store })];

    await Promise.all([one.getToken("data"), two.getToken("data"), one.getToken("publish"), one.getToken("publish")]);
    expect(mock.tokenCallsByScope()).toEqual({ data: 2, publish: 1 });
    expect(lines).toEqual(["dealcloud shared token store unavailable; each process carries on alone until it is back"]);

    failures.on = false;
    await one.getToken("backup");
    failures.on = true;
    await one.getToken("ri_import");
    expect(lines).toHaveLength(2);
  });

  it("treats a call that never answers (a client queueing commands while disconnected) as a failure", async () => {
    mockSite();
    const store = sharedOver(failing({ on: true }, true), { operationTimeoutMs: 50 });
    const { lines, logger } = warningsLog();
    const started = Date.now();
    await managerFor({ store, logger }).getToken("data");
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(lines).toHaveLength(1);
  });
});

describe("createSharedTokenStore", () => {
  it("refuses a store or coordination missing a method, and options out of range, before anything runs", () => {
    const { store, coordination } = memoryBackend();
    expect(() => createSharedTokenStore({ ...store, delete: undefined } as never)).toThrow(/get, set and delete/);
    expect(() => createSharedTokenStore(store, { ...coordination, take: undefined } as never)).toThrow(
      /acquire, release, take and pause/,
    );
    expect(() => createSharedTokenStore(store, coordination, { lockTtlMs: 10 })).toThrow(/lockTtlMs must be/);
    expect(() => createSharedTokenStore(store, coordination, { onWarning: "log" as never })).toThrow(/onWarning/);
  });

  it("without coordination shares tokens only: each manager keeps its own single flight", async () => {
    const mock = mockSite();
    const store = createSharedTokenStore(memoryBackend().store);
    await Promise.all([managerFor({ store }).getToken("data"), managerFor({ store }).getToken("data")]);
    expect(mock.tokenRequests).toHaveLength(2);
  });
});

describe("tokenStoreContract", () => {
  const run = async (store: ReturnType<typeof sharedOver>) => {
    const failed: string[] = [];
    for (const check of tokenStoreContract(() => store, { ttlMs: 30, expirySlackMs: 30 })) {
      await check.run().catch((error: Error) => void failed.push(`${check.name}: ${error.message}`));
    }
    return failed;
  };

  it("passes a store that keeps the contract", async () => {
    expect(await run(sharedOver())).toEqual([]);
  });

  it("leaves out only the waits for a TTL with { expiry: false }, and the lock and budget with { coordination: false }", () => {
    const names = (options: Parameters<typeof tokenStoreContract>[1]) =>
      tokenStoreContract(() => sharedOver(), options).map((check) => check.name);
    const all = names({});
    expect(all).toHaveLength(10);
    expect(all.filter((name) => !names({ expiry: false }).includes(name))).toEqual([
      "drops a token once its ttlMs has passed",
      "frees a lock whose holder died once its ttlMs has passed",
    ]);
    expect(names({ coordination: false })).toHaveLength(3);
  });

  it("catches a lock that is not exclusive, a release by anyone, and a budget that counts wrong", async () => {
    const backend = memoryBackend();
    const sloppy: TokenCoordination = {
      ...backend.coordination,
      acquire: async () => true,
      release: async () => undefined,
      take: async () => 0,
    };
    const failed = await run(sharedOver({ store: backend.store, coordination: sloppy }));
    expect(failed.map((line) => line.split(":")[0])).toEqual([
      "gives a free lock to exactly one of many concurrent owners",
      "frees a lock only for its owner",
      "frees a lock whose holder died once its ttlMs has passed",
      "records exactly `limit` of many concurrent takes and tells the rest how long to wait",
      "slides the window",
      "refuses takes during a pause, never shortens one, and takes again when it ends",
    ]);
  });
});
