// Progress of long work on stderr: a bar (cli-progress) when stderr is a terminal, plain lines every few seconds
// when it is not (a log, CI), nothing with --quiet. The bar is cleared when the work ends.
import cliProgress from "cli-progress";
import { type CliIo, count } from "./io.js";

/** A progress display for one piece of work. */
export interface Progress {
  /** Reports rows done so far and the total when known. */
  update(done: number, total?: number): void;
  /** Ends the display: the bar is cleared, so the summary that follows stands alone. */
  stop(): void;
}

/** How the display is chosen. */
export interface ProgressOptions {
  /** What is counted, e.g. `"export company"`. */
  readonly label: string;
  /** `--quiet`: no progress at all. */
  readonly quiet: boolean;
  /** Plain lines at most this often when stderr is no terminal; default 5,000 ms. */
  readonly intervalMs?: number;
}

const rate = (done: number, startedAt: number) => {
  const seconds = (performance.now() - startedAt) / 1000;
  return seconds > 0 ? done / seconds : 0;
};

const seconds = (s: number) =>
  !Number.isFinite(s) ? "?" : s < 60 ? `${Math.ceil(s)} s` : `${Math.floor(s / 60)} min ${Math.ceil(s % 60)} s`;

/** The display for `io.stderr`: a bar on a terminal, plain periodic lines elsewhere, or nothing when quiet. */
export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  if (options.quiet) return { update() {}, stop() {} };
  const startedAt = performance.now();
  if (io.stderr.isTTY) return terminalBar(io, options.label, startedAt);
  const interval = options.intervalMs ?? 5000;
  let last = startedAt;
  return {
    update(done, total) {
      const now = performance.now();
      if (now - last < interval) return;
      last = now;
      const perSecond = rate(done, startedAt);
      const of = total === undefined ? "" : ` / ${count(total)} (${Math.floor((done / Math.max(total, 1)) * 100)}%)`;
      const eta = total === undefined || perSecond === 0 ? "" : `, ETA ${seconds((total - done) / perSecond)}`;
      io.stderr.write(`${options.label}: ${count(done)}${of} rows, ${count(perSecond)} rows/s${eta}\n`);
    },
    stop() {},
  };
}

function terminalBar(io: CliIo, label: string, startedAt: number): Progress {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} {bar} {percentage}% | {value}/{total} rows | {rate} rows/s | ETA {eta_formatted}`,
      // cli-progress draws with the terminal methods of a real tty stream, which stderr is here.
      stream: io.stderr as unknown as NodeJS.WritableStream,
      clearOnComplete: true,
      hideCursor: true,
      fps: 10,
      etaBuffer: 50,
      formatValue: (value, _options, type) => (type === "value" || type === "total" ? count(value) : String(value)),
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      const payload = { rate: count(rate(done, startedAt)) };
      if (!started) {
        bar.start(total ?? done, done, payload);
        started = true;
      } else {
        if (total !== undefined && total !== bar.getTotal()) bar.setTotal(total);
        bar.update(done, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
