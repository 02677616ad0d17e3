import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CliIo } from "../src/io.js";
import { createProgress } from "../src/progress.js";

/** An io whose stderr is no terminal and keeps what was written. */
function plainIo() {
  const written: string[] = [];
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  stderr.on("data", (chunk: Buffer) => written.push(String(chunk)));
  const io = {
    stdout: new PassThrough(),
    stderr,
    stdin: new PassThrough(),
    env: {},
    signal: new AbortController().signal,
  };
  return { io: io as unknown as CliIo, written };
}

describe("progress when stderr is not a terminal", () => {
  afterEach(() => vi.useRealTimers());

  it("writes a plain line at most every 5 seconds, with rows, total, percentage, rate and ETA", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { io, written } = plainIo();
    const progress = createProgress(io, { label: "export company", quiet: false });
    vi.advanceTimersByTime(1000);
    progress.update(1000, 10_000); // too soon: nothing
    vi.advanceTimersByTime(4000);
    progress.update(5000, 10_000);
    vi.advanceTimersByTime(1000);
    progress.update(6000, 10_000); // 1 s after the last line: nothing
    vi.advanceTimersByTime(4000);
    progress.update(10_000, 10_000);
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.join("")).toBe(
      "export company: 5,000 / 10,000 (50%) rows, 1,000 rows/s, ETA 5 s\nexport company: 10,000 / 10,000 (100%) rows, 1,000 rows/s, ETA 0 s\n",
    );
  });

  it("writes nothing with --quiet", async () => {
    vi.useFakeTimers({ toFake: ["performance"] });
    const { io, written } = plainIo();
    const progress = createProgress(io, { label: "export company", quiet: true });
    vi.advanceTimersByTime(60_000);
    progress.update(5000, 10_000);
    progress.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([]);
  });
});
