// The coordination logic of @dealcloud-ts/auth/shared, with several managers in one process standing for
// several processes (each has its own single flight and budget, as a process would) over one in-memory store
// that keeps the contract. The same behaviours across real processes and a real Redis are tested in
// packages/store-redis.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Logger, type StoredToken, type TokenCoordination, type TokenStore, tokenStoreKey } from "../src/index.js";
import { createSharedTokenStore, lockKeyOf, type SharedTokenStoreOptions } from "../src/shared.js";
import { tokenStoreContract } from "../src/testing.js";
import { BASE_URL, CLIENT_ID, managerFor, mockSite } from "./site.js";

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
    extend: async (key, owner, ttlMs) => {
      const held = locks.get(key);
      if (held?.owner !== owner || held.until <= Date.now()) return false;
      held.until = Date.now() + ttlMs;
      return true;
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

describe("a refresh slower than the lock's TTL (fake clocks)", () => {
  const lockTtlMs = 1_000;
  const T0 = Date.UTC(2026, 11, 2, 9, 0, 0);
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date", "performance"] });
    vi.setSystemTime(T0);
  });
  afterEach(() => void vi.useRealTimers());

  /** Settles every promise while fake time runs forward `ms`. */
  async function settle<T>(promises: Promise<T>[], ms: number) {
    const settled = Promise.allSettled(promises);
    await vi.advanceTimersByTimeAsync(ms);
    return settled;
  }
  const LOCK_LOST = "dealcloud shared token lock ran out during a refresh; another process may ask for the same token";

  it.each([3, 10])(
    "the holder renews its lock: 6 managers, a token endpoint answering after %i× lockTtlMs → exactly 1 token request",
    async (times) => {
      const mock = mockSite();
      // Every token request is that slow, as an endpoint under load would be.
      mock.faults.add({ route: "token", delayMs: times * lockTtlMs, times: Number.POSITIVE_INFINITY });
      const store = sharedOver(memoryBackend(), { lockTtlMs, pollIntervalMs: 50 });
      const { lines, logger } = warningsLog();
      const managers = Array.from({ length: 6 }, () => managerFor({ store, logger }));
      const results = await settle(
        managers.flatMap((manager) => Array.from({ length: 5 }, () => manager.getToken("data"))),
        (times + 5) * lockTtlMs,
      );

      expect(results.filter((result) => result.status === "rejected")).toEqual([]);
      expect(mock.tokenRequests).toHaveLength(1);
      expect(lines).toEqual([]);
      // The renewals ended with the refresh: nothing is left to keep a script alive.
      expect(vi.getTimerCount()).toBe(0);
    },
  );

  it("renews through the store's extend every lockTtlMs / 3, and frees the lock once the token is stored", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 3.5 * lockTtlMs });
    const backend = memoryBackend();
    const renewedAt: number[] = [];
    const coordination: TokenCoordination = {
      ...backend.coordination,
      extend: (key, owner, ttlMs) => (renewedAt.push(Date.now() - T0), backend.coordination.extend!(key, owner, ttlMs)),
    };
    const store = sharedOver({ store: backend.store, coordination }, { lockTtlMs });
    const [result] = await settle([managerFor({ store }).getToken("data")], 5 * lockTtlMs);

    expect(result?.status).toBe("fulfilled");
    expect(renewedAt).toHaveLength(10); // at 1/3, 2/3, … 10/3 of the TTL; the token came at 3.5/3
    expect(renewedAt.every((at, index) => Math.abs(at - (index + 1) * (lockTtlMs / 3)) < 20)).toBe(true);
    // Freed at once: another owner takes it well inside the TTL.
    const lock = lockKeyOf(tokenStoreKey({ baseUrl: BASE_URL, clientId: CLIENT_ID, scopes: "data" }));
    expect(await backend.coordination.acquire(lock, "next", lockTtlMs)).toBe(true);
  });

  it("stops renewing as soon as the refresh is abandoned (its only caller gave up), and frees the lock", async () => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 10 * lockTtlMs });
    const backend = memoryBackend();
    let renewals = 0;
    const coordination: TokenCoordination = {
      ...backend.coordination,
      extend: (key, owner, ttlMs) => (renewals++, backend.coordination.extend!(key, owner, ttlMs)),
    };
    const store = sharedOver({ store: backend.store, coordination }, { lockTtlMs });
    const controller = new AbortController();
    const call = managerFor({ store }).getToken("data", { signal: controller.signal });
    const settled = Promise.allSettled([call]);
    await vi.advanceTimersByTimeAsync(1.5 * lockTtlMs);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    const renewedBeforeAbort = renewals;
    // Freed at once, not left to run out (it was last renewed for a full TTL at 4/3 of it).
    const lock = lockKeyOf(tokenStoreKey({ baseUrl: BASE_URL, clientId: CLIENT_ID, scopes: "data" }));
    expect(await backend.coordination.acquire(lock, "next", 10 * lockTtlMs)).toBe(true);
    await vi.advanceTimersByTimeAsync(5 * lockTtlMs);

    expect((await settled)[0]?.status).toBe("rejected");
    expect(renewedBeforeAbort).toBe(4);
    expect(renewals).toBe(renewedBeforeAbort);
  });

  it.each([
    ["answers false (the lock was lost)", async () => false, LOCK_LOST],
    [
      "fails",
      async () => Promise.reject(new Error("ECONNRESET")),
      "dealcloud shared token store unavailable; each process carries on alone until it is back",
    ],
  ])("a renewal that %s warns once, stops renewing and never fails the caller", async (_, extend, warning) => {
    const mock = mockSite();
    mock.faults.add({ route: "token", delayMs: 5 * lockTtlMs });
    const backend = memoryBackend();
    let renewals = 0;
    const coordination: TokenCoordination = { ...backend.coordination, extend: () => (renewals++, extend()) };
    const { lines, logger } = warningsLog();
    const store = sharedOver({ store: backend.store, coordination }, { lockTtlMs });
    const results = await settle([managerFor({ store, logger }).getToken("data")], 7 * lockTtlMs);

    expect(results.map((result) => result.status)).toEqual(["fulfilled"]);
    expect(renewals).toBe(1);
    expect(lines).toEqual([warning]);
    expect(mock.tokenRequests).toHaveLength(1);
  });

  it("a holder stuck past the longest refresh its options allow stops renewing, and another manager takes over", async () => {
    mockSite();
    const store = sharedOver(memoryBackend(), { lockTtlMs, pollIntervalMs: 50 });
    // One attempt of at most 1 s, no budget wait: a refresh may hold the lock 1 × (1 s + 0 + 8 s backoff) = 9 s.
    const options = { store, maxAttempts: 1, tokenTimeoutMs: 1_000, maxRateLimitWaitMs: 0 };
    // A token provider that ignores its signal and never answers: its holder would renew for ever.
    const stuck = managerFor({ ...options, clientSecret: undefined, tokenProvider: () => new Promise(() => {}) });
    const asked: number[] = [];
    const next = managerFor({
      ...options,
      clientSecret: undefined,
      tokenProvider: async () => (asked.push(Date.now() - T0), { access_token: "next-token", expires_in: 900 }),
    });
    void stuck.getToken("data");
    await vi.advanceTimersByTimeAsync(100);
    const [result] = await settle([next.getToken("data")], 20 * lockTtlMs);

    expect(result).toMatchObject({ status: "fulfilled", value: { value: "next-token" } });
    expect(asked).toHaveLength(1);
    // Not before the stuck holder's renewals ran out, and within a lock's life after.
    expect(asked[0]).toBeGreaterThanOrEqual(9_000);
    expect(asked[0]).toBeLessThan(9_000 + 2 * lockTtlMs);
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
    expect(() => createSharedTokenStore(store, { ...coordination, extend: 5 } as never)).toThrow(/extend must be/);
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
    expect(all).toHaveLength(14);
    expect(all.filter((name) => !names({ expiry: false }).includes(name))).toEqual([
      "drops a token once its ttlMs has passed",
      "frees a lock whose holder died once its ttlMs has passed",
      "extends its owner's lock: the lock outlives its first ttlMs",
      "answers false to extend a lock that ran out, and does not take it",
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
      extend: async () => true,
    };
    const failed = await run(sharedOver({ store: backend.store, coordination: sloppy }));
    expect(failed.map((line) => line.split(":")[0])).toEqual([
      "gives a free lock to exactly one of many concurrent owners",
      "frees a lock only for its owner",
      "frees a lock whose holder died once its ttlMs has passed",
      "records exactly `limit` of many concurrent takes and tells the rest how long to wait",
      "slides the window",
      "refuses takes during a pause, never shortens one, and takes again when it ends",
      "extends its owner's lock",
      "refuses to extend another owner's lock, or a free one (without taking it)",
      "answers false to extend a lock that ran out, and does not take it",
      "extends only for the holder under concurrent extends, acquires and a release",
    ]);
  });

  it("passes a store without extend (it is optional) unless { extend: true } requires it", async () => {
    const { extend: _extend, ...withoutExtend } = memoryBackend().coordination;
    const store = sharedOver({ store: memoryBackend().store, coordination: withoutExtend });
    expect(await run(store)).toEqual([]);
    const required = tokenStoreContract(() => store, { extend: true });
    const failures = await Promise.all(
      required.map((check) =>
        check.run().then(
          () => "",
          (error: Error) => error.message,
        ),
      ),
    );
    expect(failures.filter(Boolean)).toEqual(Array(4).fill("the store has no extend"));
  });
});
