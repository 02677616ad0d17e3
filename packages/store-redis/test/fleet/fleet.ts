// A fleet of real OS processes (child_process.fork of member.mjs), each with its own token manager, driven
// over IPC: the multi-process tests and the benchmark use it.
import { type ChildProcess, fork } from "node:child_process";
import type { TokenManagerOptions, TokenManagerStats } from "@dealcloud-ts/auth";
import type { SharedTokenStoreOptions } from "@dealcloud-ts/auth/shared";
import type { ClientKind } from "./connect.mjs";

const MEMBER = new URL("./member.mjs", import.meta.url).pathname;

/** How each process's token manager is set up (see `Fleet.configure`). */
export interface FleetConfig {
  baseUrl: string;
  clientId: string | number;
  clientSecret: string;
  /** "redis" (default) or each process's own memory store. */
  store?: "redis" | "memory";
  redisPort?: number;
  /** The Redis client of process i: `clients[i % clients.length]`. Default all three kinds, in turn. */
  clients?: readonly ClientKind[];
  prefix?: string;
  storeOptions?: SharedTokenStoreOptions;
  managerOptions?: Partial<TokenManagerOptions>;
  /** Drive `now` and `monotonicNow` from the parent (`setClock`), starting here. */
  simulatedFrom?: number;
  /** Send each call's latency back (the benchmark). */
  keepLatencies?: boolean;
}

/** What one process's burst of calls came to. */
export interface BurstResult {
  calls: number;
  /** The error code of each failed call. */
  failures: string[];
  latencies: number[];
  /** Distinct token values the calls got. */
  values: string[];
}

export interface Fleet {
  readonly members: readonly ChildProcess[];
  /** A new token manager (and store) in every process; the Redis connection is kept while port and client stay. */
  configure(config: FleetConfig): Promise<void>;
  /** `count` concurrent getToken per scope set in each process of `which` (default all); one result each. */
  burst(
    scopeSets: readonly (readonly string[])[],
    count: number,
    options?: { which?: readonly number[]; callOptions?: Record<string, unknown> },
  ): Promise<BurstResult[]>;
  setClock(now: number): Promise<void>;
  warnings(): Promise<string[][]>;
  stats(): Promise<TokenManagerStats[]>;
  /** Whether each process's Redis client is connected and ready. */
  redisReady(which?: readonly number[]): Promise<boolean[]>;
  /** Asks every live process to exit, then kills any that did not within 5 s. */
  stop(): Promise<void>;
}

let nextId = 0;

/** Forks `size` processes and resolves once every one is ready for `configure`. */
export async function startFleet(size: number): Promise<Fleet> {
  const pending = new Map<number, (answer: unknown) => void>();
  const members = Array.from({ length: size }, () =>
    fork(MEMBER, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  await Promise.all(
    members.map(
      (member, index) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`process ${index} was not ready within 30 s`)), 30_000);
          member.once("exit", (code) => reject(new Error(`process ${index} exited with ${code} before it was ready`)));
          member.on("message", (message: { ready?: boolean; id?: number; answer?: unknown }) => {
            if (message.ready) clearTimeout(timer), resolve();
            else if (message.id !== undefined) pending.get(message.id)?.(message.answer), pending.delete(message.id);
          });
        }),
    ),
  ).catch(async (error) => {
    for (const member of members) member.kill("SIGKILL");
    throw error;
  });

  const ask = <T>(member: ChildProcess, message: Record<string, unknown>) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      const onExit = () => reject(new Error(`process ${member.pid} exited while asked ${String(message["type"])}`));
      member.once("exit", onExit);
      pending.set(id, (answer) => (member.off("exit", onExit), resolve(answer as T)));
      member.send({ id, ...message });
    });
  const everyone = <T>(message: Record<string, unknown>, which: readonly number[] = members.map((_, index) => index)) =>
    Promise.all(which.map((index) => ask<T>(members[index] as ChildProcess, message)));

  return {
    members,
    async configure(config) {
      const { clients = ["node-redis", "ioredis", "node-redis-v4"], simulatedFrom, ...rest } = config;
      await Promise.all(
        members.map((member, index) =>
          ask(member, {
            type: "configure",
            config: {
              store: "redis",
              ...rest,
              client: clients[index % clients.length],
              simulated: simulatedFrom !== undefined,
              startAt: simulatedFrom ?? 0,
            },
          }),
        ),
      );
    },
    burst: (scopeSets, count, { which, callOptions } = {}) =>
      everyone<BurstResult>({ type: "burst", scopeSets, count, options: callOptions }, which),
    setClock: async (now) => void (await everyone({ type: "clock", now })),
    warnings: () => everyone<string[]>({ type: "warnings" }),
    stats: () => everyone<TokenManagerStats>({ type: "stats" }),
    redisReady: (which) => everyone<boolean>({ type: "redisReady" }, which),
    async stop() {
      const live = members.filter((member) => member.exitCode === null && member.signalCode === null);
      await Promise.all(
        live.map(async (member) => {
          const exited = new Promise((resolve) => member.once("exit", resolve));
          const timer = setTimeout(() => member.kill("SIGKILL"), 5_000);
          if (member.connected) member.send({ id: nextId++, type: "exit" });
          else member.kill("SIGKILL");
          await exited;
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** Every non-empty set of DealCloud's five scopes: 31 of them. */
export const ALL_SCOPE_SETS: readonly (readonly string[])[] = (() => {
  const scopes = ["data", "user_management", "publish", "ri_import", "backup"];
  return Array.from({ length: 31 }, (_, mask) => scopes.filter((_, bit) => ((mask + 1) >> bit) & 1));
})();
