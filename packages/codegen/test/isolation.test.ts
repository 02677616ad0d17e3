// `import { createDataClient } from "@dealcloud-ts/data"` pulls nothing from the other API areas: each package's
// entry, bundled and minified as an app would, contains its own base path and no other area's.
import { build } from "esbuild";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSpec } from "../src/spec.ts";
import { apiPackageDirs } from "../src/workspace.ts";

const dirs = await apiPackageDirs();
const areas = await Promise.all(
  dirs.map(async (dir) => ({
    dir,
    name: dir.split("/").at(-1)!,
    basePath: (await readSpec(join(dir, "openapi.yaml"))).basePath,
  })),
);
const FACTORIES: Record<string, string> = {
  data: "createDataClient",
  schema: "createSchemaClient",
  "user-management": "createUserManagementClient",
  publications: "createPublicationsClient",
  "ri-import": "createRiImportClient",
  backups: "createBackupsClient",
};

describe.each(areas)("a bundle of $name's factory", ({ dir, name, basePath }) => {
  it("holds its own base path and no other area's", async () => {
    const result = await build({
      stdin: { contents: `export { ${FACTORIES[name]} } from "./src/index.ts";`, resolveDir: dir, loader: "ts" },
      bundle: true,
      minify: true,
      format: "esm",
      platform: "neutral",
      write: false,
      logLevel: "silent",
      external: ["openapi-fetch"],
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain(basePath);
    for (const other of areas.filter((area) => area.name !== name)) expect(code).not.toContain(other.basePath);
  });
});
