// A tiny test harness in plain ESM with web APIs only, so the same file runs in Node, Deno, Bun, workerd,
// edge-runtime and browsers. Tests run one after another (they share one mock site) and every result is
// reported as it lands, then one closing line: `N passed, N failed`.

/**
 * @typedef {{ name: string, ok: boolean, error?: string, ms: number }} Result
 * @typedef {{ log?: (line: string) => void, only?: (name: string) => boolean }} RunOptions
 */

/** Throws with `message` unless `condition` holds. */
export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Throws unless `actual` and `expected` have the same JSON form. */
export function assertEqual(actual, expected, what = "value") {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Runs `run` and returns what it threw, or fails when it did not throw. */
export async function rejection(run, what = "the call") {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error(`${what} should have failed`);
}

/** Creates a suite: `test(name, fn)` registers, `run(options)` runs them in order and reports. */
export function createSuite() {
  /** @type {{ name: string, fn: () => Promise<void> | void }[]} */
  const tests = [];
  return {
    test(name, fn) {
      tests.push({ name, fn });
    },
    /** @param {RunOptions} [options] */
    async run(options = {}) {
      const log = options.log ?? ((line) => console.log(line));
      /** @type {Result[]} */
      const results = [];
      for (const { name, fn } of tests) {
        if (options.only && !options.only(name)) continue;
        const started = Date.now();
        try {
          await fn();
          results.push({ name, ok: true, ms: Date.now() - started });
          log(`ok ${results.length} - ${name}`);
        } catch (error) {
          const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          results.push({ name, ok: false, error: message, ms: Date.now() - started });
          log(`not ok ${results.length} - ${name}\n  # ${message}`);
        }
      }
      const passed = results.filter((result) => result.ok).length;
      const failed = results.length - passed;
      log(`${passed} passed, ${failed} failed`);
      return { passed, failed, results };
    },
  };
}
