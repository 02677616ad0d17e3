/**
 * A Redis token store for `@dealcloud-ts/auth`: every process (container, worker, queue consumer) whose token
 * manager uses it shares one DealCloud token per scope set, sends one token request per scope set per token
 * lifetime, and keeps within one per-minute token budget, as DealCloud counts it (per user). The Redis client is
 * yours (node-redis v4/v5 or ioredis, already connected); this package sends it a handful of commands and four Lua
 * scripts, and uses no Node built-in, so it runs wherever your client does.
 *
 * @packageDocumentation
 */
import { DealCloudAuthError, type StoredToken, type TokenCoordination } from "@dealcloud-ts/auth";
import { createSharedTokenStore, type SharedTokenStore, type SharedTokenStoreOptions } from "@dealcloud-ts/auth/shared";

/** A node-redis client (v4 or v5, `createClient()` from "redis"): commands go through its `sendCommand`. */
export interface NodeRedisLike {
  /** Sends one command as its words, e.g. `["GET", key]`, and resolves to Redis's answer. */
  sendCommand(args: string[]): Promise<unknown>;
}

/** An ioredis client (`new Redis()` from "ioredis"): commands go through its `call`. */
export interface IoRedisLike {
  /** Sends one command, e.g. `call("GET", key)`, and resolves to Redis's answer. */
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * A node-redis cluster client (v4 or v5, `createCluster()` from "redis"): each command goes to the node that holds
 * its key.
 */
export interface NodeRedisClusterLike {
  /** Sends one command, e.g. `["GET", key]`, to the primary that holds `firstKey`. */
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  /** The cluster's primaries: what tells a cluster client from a single one. */
  readonly masters: readonly unknown[];
}

/**
 * The clients {@link createRedisTokenStore} accepts, connected: node-redis (v4, v5), ioredis, or either's Redis
 * Cluster client (then with a hash-tagged `prefix`).
 */
export type RedisClientLike = NodeRedisLike | IoRedisLike | NodeRedisClusterLike;

/** Options of {@link createRedisTokenStore}. */
export interface RedisTokenStoreOptions extends SharedTokenStoreOptions {
  /**
   * A connected node-redis or ioredis client. Create it so that commands fail at once while Redis is
   * unreachable instead of queueing (node-redis `disableOfflineQueue: true`, ioredis `enableOfflineQueue: false`),
   * and give it an `error` listener: the managers carry on without Redis meanwhile.
   */
  client: RedisClientLike;
  /**
   * Put before every key, e.g. `"myapp:"` to share a Redis database with other applications. Default "". With a
   * Redis Cluster it must hold a hash tag, e.g. `"{myapp}:"`, so that every key lands in one slot.
   */
  prefix?: string | undefined;
}

/** Frees a lock only for the owner that holds it. */
const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`;

/** Sets a lock's remaining life to ARGV[2] ms only for the owner that holds it: 1 when it did, else 0. */
const EXTEND = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`;

/**
 * One atomic step of the shared budget. KEYS[1]: the window, a sorted set of request times; KEYS[2]: the pause
 * (a wall-clock time). ARGV: limit, window ms, now, a unique member. Answers 0 when the request was recorded,
 * else the ms to wait. Records older than the window are dropped first, so the set holds at most `limit`.
 */
const TAKE = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local paused = tonumber(redis.call("GET", KEYS[2]) or "0")
if paused > now then return tostring(paused - now) end
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", now - window)
if redis.call("ZCARD", KEYS[1]) < limit then
  redis.call("ZADD", KEYS[1], now, ARGV[4])
  redis.call("PEXPIRE", KEYS[1], window)
  return "0"
end
local oldest = redis.call("ZRANGE", KEYS[1], 0, 0, "WITHSCORES")
return tostring(math.max(1, tonumber(oldest[2]) + window - now))
`;

/** Sets the pause to ARGV[1] unless a later one is already set; the key outlives any pause DealCloud asks for. */
const PAUSE = `
local current = tonumber(redis.call("GET", KEYS[1]) or "0")
if tonumber(ARGV[1]) > current then redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2]) end
return 0
`;

/** How long a pause key lives in Redis, whatever its value: longer than any Retry-After worth honouring. */
const PAUSE_KEY_TTL_MS = 3_600_000;

const invalid = (message: string) => new DealCloudAuthError("INVALID_OPTION", message);

/** One way to send a command, whichever client it is. */
function commandsOf(client: RedisClientLike): (...args: string[]) => Promise<unknown> {
  if (typeof (client as IoRedisLike | undefined)?.call === "function") {
    const io = client as IoRedisLike;
    return (command, ...args) => io.call(command as string, ...args);
  }
  if (isNodeRedisCluster(client)) {
    // Every command names its key after the command word, an EVAL's after the script and the key count.
    return (...args) => client.sendCommand(args[0] === "EVAL" ? args[3] : args[1], false, args);
  }
  if (typeof (client as NodeRedisLike | undefined)?.sendCommand === "function") {
    const node = client as NodeRedisLike;
    return (...args) => node.sendCommand(args);
  }
  throw invalid(
    "client must be a connected node-redis client (createClient from 'redis') or an ioredis client (new Redis()).",
  );
}

const isNodeRedisCluster = (client: unknown): client is NodeRedisClusterLike =>
  Array.isArray((client as { masters?: unknown } | undefined)?.masters) &&
  typeof (client as NodeRedisClusterLike).sendCommand === "function";

/** A stored token as written by `set`, or undefined for anything else (a key another program wrote, say). */
function parseToken(text: unknown): StoredToken | undefined {
  if (typeof text !== "string") return undefined;
  try {
    const token = JSON.parse(text) as Partial<StoredToken> | null;
    return typeof token?.value === "string" && typeof token.expiresAt === "number" ? (token as StoredToken) : undefined;
  } catch {
    return undefined;
  }
}

/** A unique member of a budget window, so two requests at the same millisecond count twice. */
const memberId = () => crypto.randomUUID();

/**
 * A token store in Redis that coordinates every token manager using it: one token request per scope set per
 * token lifetime across all processes (a lock per scope set, `SET NX PX`, renewed by a compare-and-`PEXPIRE`
 * script while its holder's refresh runs, freed by a compare-and-delete script),
 * one per-minute budget and 429 pause per DealCloud user (a sorted-set sliding window in one atomic script).
 * While Redis is unreachable, each process carries on alone with one warning per outage, and picks sharing up
 * again when Redis is back. Keys: the auth package's `tokenStoreKey()` (plus `:lock`, `:budget`, `:budget:pause`)
 * after your `prefix`; values: the token as JSON (never the secret), expiring with it.
 *
 * Redis Cluster: pass ioredis's `Cluster` or node-redis's `createCluster()` client and a prefix with a hash tag,
 * e.g. `"{dealcloud}:"`, so that every key lands in one slot (the budget script touches two keys); a cluster
 * client without one is refused. Tested on a real three-primary cluster with all three clients.
 *
 * @example node-redis
 * ```ts
 * import { createTokenManager } from "@dealcloud-ts/auth";
 * import { createRedisTokenStore, type NodeRedisLike } from "@dealcloud-ts/store-redis";
 *
 * declare const env: { DEALCLOUD_CLIENT_ID: string; DEALCLOUD_CLIENT_SECRET: string };
 * // From "redis": createClient({ url, disableOfflineQueue: true }), an `error` listener, then `await connect()`.
 * declare const redis: NodeRedisLike;
 *
 * const tokens = createTokenManager({
 *   baseUrl: "yourfirm.dealcloud.com",
 *   clientId: env.DEALCLOUD_CLIENT_ID,
 *   clientSecret: env.DEALCLOUD_CLIENT_SECRET,
 *   store: createRedisTokenStore({ client: redis, prefix: "myapp:" }),
 *   logger: console,
 * });
 * ```
 */
export function createRedisTokenStore(options: RedisTokenStoreOptions): SharedTokenStore {
  if (options === null || typeof options !== "object") throw invalid("Pass an options object with a Redis client.");
  const { client, prefix = "", ...shared } = options;
  if (typeof prefix !== "string") throw invalid("prefix must be a string.");
  const send = commandsOf(client);
  // Without a hash tag, Redis Cluster refuses the budget script (its two keys in two slots): the budget would
  // silently stay per process.
  const cluster = (client as { isCluster?: unknown }).isCluster === true || isNodeRedisCluster(client);
  if (cluster && !/^[^{]*\{[^}]+\}/.test(prefix)) {
    throw invalid(
      'With a Redis Cluster, pass a prefix with a hash tag, e.g. "{dealcloud}:", so every key shares a slot.',
    );
  }
  const at = (key: string) => prefix + key;

  const coordination: TokenCoordination = {
    acquire: async (key, owner, ttlMs) =>
      (await send("SET", at(key), owner, "NX", "PX", String(Math.max(1, Math.ceil(ttlMs))))) === "OK",
    release: (key, owner) => send("EVAL", RELEASE, "1", at(key), owner),
    // Both clients answer a Lua integer as a JavaScript number.
    extend: async (key, owner, ttlMs) =>
      Number(await send("EVAL", EXTEND, "1", at(key), owner, String(Math.max(1, Math.ceil(ttlMs))))) === 1,
    take: async (key, limit, windowMs, now) =>
      Number(
        await send(
          "EVAL",
          TAKE,
          "2",
          at(key),
          at(`${key}:pause`),
          String(limit),
          String(windowMs),
          String(now),
          memberId(),
        ),
      ),
    pause: (key, until) => send("EVAL", PAUSE, "1", at(`${key}:pause`), String(until), String(PAUSE_KEY_TTL_MS)),
  };

  return createSharedTokenStore(
    {
      get: async (key) => parseToken(await send("GET", at(key))),
      set: (key, token, ttlMs) =>
        ttlMs >= 1
          ? send("SET", at(key), JSON.stringify(token), "PX", String(Math.floor(ttlMs)))
          : send("DEL", at(key)),
      delete: (key) => send("DEL", at(key)),
    },
    coordination,
    shared,
  );
}
