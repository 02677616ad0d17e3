import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = join(dirname(fileURLToPath(import.meta.url)), "../src");

/** The files the main entry loads (paths relative to src/), following relative imports from src/index.ts. */
function importGraph(entry: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const text = readFileSync(join(src, file), "utf8");
    files.set(file, text);
    for (const [, target] of text.matchAll(/from\s+"(\.\.?\/[^"]+)\.js"/g))
      visit(normalize(join(dirname(file), `${target}.ts`)));
  };
  visit(entry);
  return files;
}

describe("the main entry", () => {
  it("uses web-standard APIs only, so it runs in browsers, Deno and workerd", () => {
    const files = importGraph("index.ts");
    expect(files.has("site.ts")).toBe(true);
    expect(files.has("areas/data.ts")).toBe(true);
    expect(files.has("state/values.ts")).toBe(true);
    for (const [file, text] of files) {
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect({ file, nodeImport: /from\s+"node:|require\(/.test(code) }).toEqual({ file, nodeImport: false });
      expect({ file, process: /\bprocess\./.test(code) }).toEqual({ file, process: false });
      expect({ file, buffer: /\bBuffer\b/.test(code) }).toEqual({ file, buffer: false });
      expect({ file, msw: /from\s+"msw/.test(code) }).toEqual({ file, msw: false });
    }
  });
});
