// Where a command's results go: standard output, or a file written atomically (a temp file beside it, flushed to
// disk, then renamed over it), so a crash or Ctrl-C never leaves a half-written file under the real name.
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { CliOutput } from "./io.js";

/** Text written in chunks, with backpressure; `commit` makes it final, `discard` drops it. */
export interface Sink {
  /** Queues text; resolves at once unless the destination asks to wait (a slow disk or pipe). */
  write(text: string): Promise<void>;
  /** Flushes everything; a file is synced to disk and renamed to its real name. */
  commit(): Promise<void>;
  /** Drops what was written: a file's temp copy is removed and the real name left untouched. */
  discard(): Promise<void>;
}

/** Writes are gathered into chunks of this size: one syscall per 64 KiB, not per row. */
const CHUNK = 65_536;

/** Resolves when `stream` drains or fails (the caller then sees the error), removing both listeners. */
function drained(stream: CliOutput): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("error", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("error", done);
  });
}

/** A sink over a stream that someone else owns (standard output): never closed here. */
export function streamSink(stream: CliOutput): Sink {
  let buffer = "";
  let broken: Error | undefined;
  stream.on("error", (error) => {
    broken = error as Error;
  });
  const flush = async () => {
    if (broken) throw broken;
    const text = buffer;
    buffer = "";
    if (text && !stream.write(text)) await drained(stream);
    if (broken) throw broken;
  };
  return {
    async write(text) {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    },
    commit: flush,
    async discard() {
      buffer = "";
    },
  };
}

/**
 * A sink that writes `path` atomically: into `.<name>.<pid>.tmp` in the same folder (so the rename stays on one
 * file system), then `fsync`, then `rename` over `path`, then `fsync` of the folder so the rename itself is durable.
 */
export async function atomicFileSink(path: string): Promise<Sink> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  // `flush`: the file is fsynced before its descriptor closes, so "close" means the bytes are on disk.
  const out = createWriteStream(temp, { flush: true, highWaterMark: CHUNK });
  await Promise.race([once(out, "open"), once(out, "error").then(([error]) => Promise.reject(error))]);
  const inner = streamSink(out);
  let closed: Promise<unknown> | undefined;
  const close = () => {
    closed ??= new Promise((resolve, reject) => {
      out.once("close", () => resolve(undefined)).once("error", reject);
      out.end();
    });
    return closed;
  };
  return {
    write: inner.write,
    async commit() {
      await inner.commit();
      await close();
      await rename(temp, path);
      await syncFolder(dirname(path));
    },
    async discard() {
      await inner.discard();
      out.destroy();
      await rm(temp, { force: true });
    },
  };
}

/** Makes a rename durable; some systems refuse to fsync a folder, which is then the best that can be done. */
async function syncFolder(folder: string): Promise<void> {
  try {
    const dir = await open(folder, "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {}
}

/** Writes `text` to `path` atomically (temp file, fsync, rename). */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const sink = await atomicFileSink(path);
  try {
    await sink.write(text);
    await sink.commit();
  } catch (error) {
    await sink.discard();
    throw error;
  }
}
