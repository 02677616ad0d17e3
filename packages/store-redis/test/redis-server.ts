// Starts a real redis-server (Debian's `redis-server` package) on a free loopback port, with no persistence, for
// the tests; stops it after. The global setup starts one for the whole run and hands its port to every file
// (`inject("redisPort")`); a test that stops Redis on purpose starts its own with `startRedisServer()`.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    redisPort: number;
  }
}

const INSTALL = "apt-get install -y redis-server";

/** A port nobody listens on right now (the kernel's pick, released at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running redis-server; `stop` and `start` again keep its port, so clients reconnect to the same address. */
export interface RedisServer {
  readonly port: number;
  /** Stops it (SIGTERM; SIGKILL after 5 s) and resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty; resolves once it accepts connections. */
  start(): Promise<void>;
}

/** Starts redis-server on `port` (loopback, no persistence) with `extra` arguments; resolves once it is ready. */
export function launch(port: number, extra: readonly string[] = []): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      "redis-server",
      [
        "--port",
        String(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--loglevel",
        "notice",
        ...extra,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`redis-server did not start within 10 s:\n${output}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (chunk: Buffer) => void (output += chunk));
    child.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new Error(`redis-server is not installed; these tests need a real one: ${INSTALL} (as root).`)
          : error,
      );
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Stops a redis-server (SIGTERM; SIGKILL after 5 s) and resolves once it has exited. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** Starts a redis-server on a free loopback port; fails, naming the apt command, when it is not installed. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined = await launch(port);
  return {
    port,
    async stop() {
      const running = child;
      child = undefined;
      if (running) await stopServer(running);
    },
    async start() {
      if (!child) child = await launch(port);
    },
  };
}

/** Vitest global setup: one redis-server for the whole run, stopped at the end. */
export default async function setup(project: TestProject) {
  const server = await startRedisServer();
  project.provide("redisPort", server.port);
  return () => server.stop();
}
