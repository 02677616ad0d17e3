// Where the specs and the catalogue live in the monorepo.
import { readdir, access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
export const CATALOGUE = join(ROOT, "docs/sources/dealcloud-api.md");

/** Every package folder that holds an openapi.yaml, sorted. */
export async function apiPackageDirs(root = ROOT): Promise<string[]> {
  const packages = join(root, "packages");
  const dirs: string[] = [];
  for (const name of (await readdir(packages)).sort()) {
    try {
      await access(join(packages, name, "openapi.yaml"));
      dirs.push(join(packages, name));
    } catch {}
  }
  return dirs;
}
