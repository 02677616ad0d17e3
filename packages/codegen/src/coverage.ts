// Checks the specs against the catalogue of publicly known endpoints (docs/sources/dealcloud-api.md): every
// catalogued endpoint whose method and path are known must be an operation with the same catalogue id, method and
// path, and every operation must name a catalogue entry (so nothing is invented).
import { readFile } from "node:fs/promises";
import type { Spec } from "./spec.ts";

export interface CatalogueEntry {
  readonly id: string;
  /** Upper-case method, or undefined when the catalogue does not know it. */
  readonly method: string | undefined;
  /**
   * Each reading of the path the sources give (more than one where they disagree), without query strings; from
   * the site root, except where the catalogue leaves the prefix open ("/ri/import/emails").
   */
  readonly paths: readonly string[];
  readonly line: number;
}

export interface CoverageReport {
  readonly entries: readonly CatalogueEntry[];
  /** Catalogue entries the catalogue itself cannot place (unknown method or path). */
  readonly unplaceable: readonly CatalogueEntry[];
  readonly missing: readonly string[];
  readonly uncatalogued: readonly string[];
  readonly covered: number;
}

const ROW = /^\|\s*([DSUPRB]\d+)\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|/;

export function parseCatalogue(markdown: string): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  // Sections 3-5 give paths relative to a "Base `/api/rest/...`" line; "…/ri/import/x" leaves the version open.
  let base = "";
  markdown.split("\n").forEach((text, index) => {
    if (text.startsWith("## ")) base = "";
    const baseLine = /^Base:? `(\/api\/[^`]+)`/.exec(text);
    if (baseLine) base = baseLine[1]!.replace(/\/$/, "");
    const match = ROW.exec(text);
    if (!match) return;
    const [, id, methodCell, pathCell] = match as unknown as [string, string, string, string];
    const method = /^[A-Z]+$/.test(methodCell) ? methodCell : undefined;
    const paths = [...pathCell.matchAll(/`([^`]+)`/g)]
      .map(([, path]) =>
        path!
          .replace(/^\{pubUrl\}/, "")
          .replace(/^…/, "")
          .replace(/\?.*$/, ""),
      )
      .filter((path) => path.startsWith("/"))
      .map((path) => (path.startsWith("/api/") || !base ? path : base + path));
    entries.push({ id, method, paths, line: index + 1 });
  });
  return entries;
}

// Path parameter names differ between sources; only their positions matter.
const shape = (path: string) => path.toLowerCase().replace(/\{[^}]*\}/g, "{}");

export function checkCoverage(entries: readonly CatalogueEntry[], specs: readonly Spec[]): CoverageReport {
  const operations = specs.flatMap((spec) =>
    spec.operations.map((op) => ({ ...op, fullPath: spec.basePath + op.path, file: spec.file })),
  );
  const unplaceable = entries.filter((entry) => !entry.method || entry.paths.length === 0);
  const missing: string[] = [];
  let covered = 0;
  for (const entry of entries) {
    if (!entry.method || entry.paths.length === 0) continue;
    for (const path of entry.paths) {
      const found = operations.some(
        (op) =>
          op.catalogueId === entry.id &&
          op.method === entry.method &&
          (path.startsWith("/api/") ? shape(op.fullPath) === shape(path) : shape(op.fullPath).endsWith(shape(path))),
      );
      if (found) covered++;
      else missing.push(`${entry.id} ${entry.method} ${path} (catalogue line ${entry.line})`);
    }
  }
  const known = new Set(entries.map((entry) => entry.id));
  const uncatalogued = operations
    .filter((op) => !known.has(op.catalogueId))
    .map(
      (op) => `${op.method} ${op.fullPath} in ${op.file} names "${op.catalogueId}", which the catalogue does not list`,
    );
  return { entries, unplaceable, missing, uncatalogued, covered };
}

export async function readCatalogue(file: string): Promise<CatalogueEntry[]> {
  return parseCatalogue(await readFile(file, "utf8"));
}
