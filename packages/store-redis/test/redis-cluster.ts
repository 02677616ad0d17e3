// A real Redis Cluster for the tests: three redis-server primaries in cluster mode on free loopback ports, joined
// with `redis-cli --cluster create` (Debian's redis-server package brings both), stopped after.
import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort, launch, stopServer } from "./redis-server.js";

const run = promisify(execFile);

/** A running cluster: its nodes' ports, and `stop`. */
export interface RedisCluster {
  readonly ports: readonly number[];
  stop(): Promise<void>;
}

const stopAll = (children: readonly ChildProcess[]) => Promise.all(children.map(stopServer));

/** Starts `size` primaries (no replicas) and waits until the cluster says `cluster_state:ok` on every node. */
export async function startRedisCluster(size = 3): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), "dealcloud-redis-cluster-"));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let n = 0; n < size; n++) {
      const port = await freePort();
      ports.push(port);
      const config = ["--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`)];
      children.push(await launch(port, [...config, "--dir", dir]));
    }
    const nodes = ports.map((port) => `127.0.0.1:${port}`);
    await run("redis-cli", ["--cluster", "create", ...nodes, "--cluster-replicas", "0", "--cluster-yes"], {
      timeout: 30_000,
    });
    // The slots are assigned at once; every node agrees a little later (the cluster bus gossips).
    for (let round = 0; ; round++) {
      const states = await Promise.all(
        ports.map(async (port) => (await run("redis-cli", ["-p", String(port), "cluster", "info"])).stdout),
      );
      if (states.every((info) => info.includes("cluster_state:ok"))) break;
      if (round === 200) throw new Error(`the Redis Cluster on ${nodes.join(", ")} did not become ok within 20 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (error) {
    await stopAll(children);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ports,
    async stop() {
      await stopAll(children);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
