import { readFileSync, writeFileSync } from "node:fs";
// Shared helpers: statistics, number formatting and Markdown tables (printed now, collected for the docs page).
export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const fmt = (n, digits = 0) =>
  typeof n === "number"
    ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : String(n);
export const ratio = (a, b) => `${(a / b).toFixed(2)}×`;

/** Every section printed so far, as Markdown, for docs/guides/performance.md. */
export const sections = [];

/** Prints a titled Markdown table (and optional notes) and remembers it for the docs page. */
export function table(title, rows, notes = []) {
  const columns = Object.keys(rows[0] ?? {});
  const line = (cells) => `| ${cells.join(" | ")} |`;
  const md = [
    `## ${title}`,
    "",
    ...(notes.length ? [...notes, ""] : []),
    line(columns),
    line(columns.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...rows.map((row) => line(columns.map((c) => String(row[c])))),
    "",
  ].join("\n");
  sections.push(md);
  console.log(`\n${md}`);
}

/** Runs `fn` `rounds` times after one warm-up round and returns each round's duration in ms. */
export async function rounds(fn, count = 5) {
  await fn();
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

/**
 * When a bench module runs alone: merges its figures into the last full run's bench/results.json under `key`
 * and replaces its own section (titled `title`, the last one it added) on the performance page.
 */
export function mergeAloneRun(key, figures, title) {
  const resultsUrl = new URL("../results.json", import.meta.url);
  let results = {};
  try {
    results = JSON.parse(readFileSync(resultsUrl, "utf8"));
  } catch {}
  results[key] = figures;
  writeFileSync(resultsUrl, `${JSON.stringify(results, null, 2)}\n`);
  const pageUrl = new URL("../../docs/guides/performance.md", import.meta.url);
  const page = readFileSync(pageUrl, "utf8");
  const section = sections.at(-1);
  const start = page.indexOf(`## ${title}`);
  const end = start < 0 ? -1 : page.indexOf("\n## ", start + 1);
  const updated =
    start < 0
      ? `${page.trimEnd()}\n\n${section}`
      : `${page.slice(0, start)}${section}${end < 0 ? "" : page.slice(end + 1)}`;
  writeFileSync(pageUrl, updated.endsWith("\n") ? updated : `${updated}\n`);
  console.log("Merged into bench/results.json and docs/guides/performance.md");
}
