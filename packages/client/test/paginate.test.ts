import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { AbortedError, DealCloudError, InvalidOptionError, type PageProgress, paginate } from "../src/index.js";

interface FakePage {
  readonly index: number;
  readonly items: number[];
  readonly total?: number;
}

/**
 * A fake paged API over `total` items in pages of `size`: counts calls per index, tracks requests in flight and
 * pages fetched but not yet handed over, and answers later pages sooner (so completion order ≠ page order).
 */
function fakeSource(options: { total: number; size: number; knownTotal: boolean; failAt?: number }) {
  const { total, size, knownTotal } = options;
  const calls: number[] = [];
  const aborted: number[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let fetched = 0;
  let handedOver = 0;
  let maxHeld = 0;
  const fetchPage = (index: number, signal: AbortSignal) =>
    new Promise<FakePage>((resolve, reject) => {
      calls.push(index);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const timer = setTimeout(
        () => {
          inFlight--;
          signal.removeEventListener("abort", onAbort);
          if (index === options.failAt) return reject(new Error(`page ${index} failed`));
          fetched++;
          const first = index * size;
          const items = Array.from({ length: Math.max(0, Math.min(size, total - first)) }, (_, k) => first + k);
          resolve({ index, items, ...(knownTotal ? { total } : {}) });
        },
        1 + ((1000 - index) % 4),
      );
      const onAbort = () => {
        clearTimeout(timer);
        inFlight--;
        aborted.push(index);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  const inspect = (page: FakePage) => {
    handedOver++;
    maxHeld = Math.max(maxHeld, fetched - handedOver + 1);
    return {
      items: page.items.length,
      total: page.total,
      pages: page.total === undefined ? undefined : Math.ceil(page.total / size),
      last: page.items.length < size,
    };
  };
  return {
    fetchPage,
    inspect,
    calls,
    aborted,
    stats: () => ({ maxInFlight, maxHeld, inFlight }),
  };
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("paginate with a total known after the first page", () => {
  it.each([1, 4])("yields every page in order, each fetched once, with concurrency %i", async (concurrency) => {
    const source = fakeSource({ total: 1003, size: 100, knownTotal: true });
    const pages = await collect(paginate({ ...source, concurrency }));
    expect(pages.map((page) => page.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(pages.flatMap((page) => page.items)).toEqual(Array.from({ length: 1003 }, (_, k) => k));
    expect([...source.calls].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(source.stats().maxInFlight).toBe(concurrency);
  });

  it("never asks for a page past the count the first page gives, even when the last page is full", async () => {
    const source = fakeSource({ total: 400, size: 100, knownTotal: true });
    const pages = await collect(paginate({ ...source, concurrency: 4 }));
    expect(pages).toHaveLength(4);
    expect(source.calls.sort()).toEqual([0, 1, 2, 3]);
  });

  it("holds at most `concurrency` pages for a slow consumer", async () => {
    const source = fakeSource({ total: 2000, size: 100, knownTotal: true });
    for await (const _page of paginate({ ...source, concurrency: 4 })) await new Promise((r) => setTimeout(r, 15));
    expect(source.stats().maxHeld).toBeLessThanOrEqual(4);
    expect(source.stats().maxInFlight).toBeLessThanOrEqual(4);
  });

  it("reports progress once per page, in order, with done, total, pages and elapsed time", async () => {
    const source = fakeSource({ total: 250, size: 100, knownTotal: true });
    const seen: PageProgress[] = [];
    await collect(paginate({ ...source, concurrency: 2, onProgress: (progress) => seen.push(progress) }));
    expect(seen.map(({ done, total, pages }) => ({ done, total, pages }))).toEqual([
      { done: 100, total: 250, pages: 1 },
      { done: 200, total: 250, pages: 2 },
      { done: 250, total: 250, pages: 3 },
    ]);
    expect(seen.every((progress) => progress.elapsedMs >= 0)).toBe(true);
  });
});

describe("paginate without a total", () => {
  it("stops at the short page and sends no request past it with concurrency 1", async () => {
    const source = fakeSource({ total: 250, size: 100, knownTotal: false });
    const pages = await collect(paginate({ ...source, concurrency: 1 }));
    expect(pages.map((page) => page.items.length)).toEqual([100, 100, 50]);
    expect(source.calls).toEqual([0, 1, 2]);
  });

  it("stops at an empty page after full ones", async () => {
    const source = fakeSource({ total: 200, size: 100, knownTotal: false });
    const pages = await collect(paginate({ ...source }));
    expect(pages.map((page) => page.items.length)).toEqual([100, 100, 0]);
    expect(source.calls).toEqual([0, 1, 2]);
  });

  it("with concurrency 4 fetches ahead, yields nothing past the end and aborts the extra requests", async () => {
    const source = fakeSource({ total: 250, size: 100, knownTotal: false });
    const pages = await collect(paginate({ ...source, concurrency: 4 }));
    expect(pages.map((page) => page.index)).toEqual([0, 1, 2]);
    await settle();
    const extra = source.calls.filter((index) => index > 2);
    expect(extra.length).toBeLessThanOrEqual(3);
    expect(new Set(source.calls).size).toBe(source.calls.length);
    expect(source.stats().inFlight).toBe(0);
  });
});

describe("stopping", () => {
  it("break stops all work: no request after it, the ones in flight aborted", async () => {
    const source = fakeSource({ total: 10_000, size: 100, knownTotal: true });
    let seen = 0;
    for await (const _page of paginate({ ...source, concurrency: 4 })) if (++seen === 2) break;
    const callsAtBreak = source.calls.length;
    await settle();
    expect(source.calls.length).toBe(callsAtBreak);
    expect(callsAtBreak).toBeLessThanOrEqual(2 + 4);
    expect(source.stats().inFlight).toBe(0);
    expect(source.aborted.length).toBeGreaterThan(0);
  });

  it("the caller's signal rejects with AbortedError, aborts requests in flight and sends nothing after", async () => {
    const source = fakeSource({ total: 10_000, size: 100, knownTotal: true });
    const controller = new AbortController();
    const reading = (async () => {
      let seen = 0;
      for await (const _page of paginate({ ...source, concurrency: 4, signal: controller.signal, operation: "test" }))
        if (++seen === 3) controller.abort(new Error("user stop"));
    })();
    await expect(reading).rejects.toBeInstanceOf(AbortedError);
    const callsAtAbort = source.calls.length;
    await settle();
    expect(source.calls.length).toBe(callsAtAbort);
    expect(source.stats().inFlight).toBe(0);
  });

  it("an already aborted signal sends nothing", async () => {
    const source = fakeSource({ total: 100, size: 10, knownTotal: true });
    await expect(collect(paginate({ ...source, signal: AbortSignal.abort() }))).rejects.toBeInstanceOf(AbortedError);
    expect(source.calls).toEqual([]);
  });

  it("a failed page rejects the iteration with its error and aborts the pages fetched ahead", async () => {
    const source = fakeSource({ total: 10_000, size: 100, knownTotal: true, failAt: 5 });
    await expect(collect(paginate({ ...source, concurrency: 4 }))).rejects.toThrow("page 5 failed");
    await settle();
    expect(source.stats().inFlight).toBe(0);
    expect(Math.max(...source.calls)).toBeLessThanOrEqual(5 + 3);
  });

  it("sends nothing before the first next()", async () => {
    const source = fakeSource({ total: 100, size: 10, knownTotal: true });
    paginate(source);
    await settle();
    expect(source.calls).toEqual([]);
  });
});

describe("options", () => {
  it.each([0, 17, 1.5, "4"])("refuses concurrency %j before any request, saying what to pass", (concurrency) => {
    const source = fakeSource({ total: 100, size: 10, knownTotal: true });
    const call = () => paginate({ ...source, concurrency: concurrency as number });
    expect(call).toThrow(InvalidOptionError);
    expect(call).toThrow(/pass concurrency as an integer from 1 to 16/);
    expect(source.calls).toEqual([]);
  });

  it("refuses a signal that is not an AbortSignal and an onProgress that is not a function", () => {
    const source = fakeSource({ total: 100, size: 10, knownTotal: true });
    const bad = (extra: object) => () => paginate({ ...source, ...extra });
    expect(bad({ signal: "stop" })).toThrow(/pass signal as an AbortSignal/);
    expect(bad({ onProgress: 1 })).toThrow(/pass onProgress as a function/);
    try {
      bad({ concurrency: -1 })();
    } catch (error) {
      expect(error).toBeInstanceOf(DealCloudError);
      expect(error).toMatchObject({ code: "INVALID_OPTION", name: "InvalidOptionError", option: "concurrency" });
    }
  });
});

describe("memory", () => {
  it("lets every page handed over be collected while the read goes on", async () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const handedOver: WeakRef<object>[] = [];
    const pages = paginate({
      fetchPage: async (index) => ({ index, payload: new Array(10_000).fill(index) }),
      inspect: () => ({ items: 1, pages: 60, last: false }),
    });
    let stillHeld = -1;
    for await (const page of pages) {
      handedOver.push(new WeakRef(page));
      if (page.index < 50) continue;
      // Mid-read (the iteration has not ended, so nothing has been cleaned up by its end yet).
      await new Promise((resolve) => setTimeout(resolve, 0));
      gc();
      stillHeld = handedOver.slice(0, 40).filter((ref) => ref.deref() !== undefined).length;
      break;
    }
    // Pages 0–39, long since handed over: the paginator must hold none of them.
    expect(stillHeld).toBe(0);
  });
});
