// The dealcloud-ts-typegen bin, built, against the mock served on loopback; its output type-checked by tsc with
// lines that must fail (@ts-expect-error): a misspelt field, a wrong choice name, a missing required field.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { type MockDealCloudServer, serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSite, generateSiteTypes } from "../src/index.js";
import { mockSite } from "./support/site.js";

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL("..", import.meta.url));
const bin = join(packageDir, "bin", "typegen.mjs");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** Uses the generated types the way an application would; every @ts-expect-error must be a real error. */
const USAGE = `import { createSite } from "../../dist/index.js";
import type { ContactRow, SiteTypes } from "./site-types.js";

declare const clients: Parameters<typeof createSite>[0];
const site = createSite(clients).typed<SiteTypes>();

export async function uses(): Promise<void> {
  await site.insert("contact", [{ FullName: "Ada Lovelace", Email: "ada@example.com", Company: "Acme" }]);
  await site.insert("company", [{ CompanyName: "Acme", CompanyType: "Limited Partner", Industries: ["Technology"] }]);
  await site.insert("company", [{ CompanyName: "Acme", CompanyType: 3197780, Industries: "Healthcare" }]);
  await site.upsert("contact", [{ Email: "ada@example.com", Title: "Partner" }], { key: "Email" });

  // @ts-expect-error a misspelt field
  await site.insert("contact", [{ FullName: "Ada Lovelace", Emial: "ada@example.com" }]);
  // @ts-expect-error a wrong choice name
  await site.insert("company", [{ CompanyName: "Acme", CompanyType: "Limited Partnr" }]);
  // @ts-expect-error a wrong name in a multi-value choice
  await site.update("company", [{ EntryId: 1, Industries: ["Technology", "Tech"] }]);
  // @ts-expect-error FullName is required on create
  await site.insert("contact", [{ Email: "ada@example.com" }]);
  // @ts-expect-error a misspelt key
  await site.upsert("contact", [{ Email: "ada@example.com" }], { key: "Emial" });
  // @ts-expect-error an entry type the site does not have
  site.rows("contcat");

  for await (const row of site.rows("company", { fields: ["CompanyType"] })) {
    const id: number = row.EntryId;
    const type: "Limited Partner" | "Portfolio Company" | "Investment Bank" | "Law Firm" | "Lender" | null | undefined =
      row.CompanyType;
    // @ts-expect-error a field not read
    void row.Industries;
    void [id, type];
  }
  for await (const row of site.rows("contact")) {
    const whole: ContactRow = row;
    void whole;
  }
}
`;

describe("dealcloud-ts-typegen against the mock on loopback", () => {
  let server: MockDealCloudServer;
  let dir: string;

  beforeAll(async () => {
    server = await serveMockDealCloud({ port: 0 });
    dir = mkdtempSync(join(packageDir, "test", ".typegen-"));
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the site's row types, which tsc accepts and which reject misspelt fields and wrong choice names", async () => {
    const out = join(dir, "site-types.ts");
    const { stderr } = await run(process.execPath, [bin, "--base-url", server.url, "--out", out], {
      env: {
        ...process.env,
        DEALCLOUD_CLIENT_ID: DEFAULT_MOCK_CLIENT.clientId,
        DEALCLOUD_CLIENT_SECRET: DEFAULT_MOCK_CLIENT.clientSecret,
      },
    });
    expect(stderr).toMatch(/^Wrote \d+ entry types to /);
    expect(stderr).not.toContain(DEFAULT_MOCK_CLIENT.clientSecret);
    const source = readFileSync(out, "utf8");
    expect(source).toContain("export interface ContactCreate {");
    expect(source).toContain('readonly CompanyType?: "Limited Partner" | "Portfolio Company"');
    expect(source).toContain("readonly FullName: string;");

    writeFileSync(join(dir, "usage.ts"), USAGE);
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          lib: ["es2022", "dom"],
          types: [],
          skipLibCheck: true,
          exactOptionalPropertyTypes: true,
        },
        files: ["site-types.ts", "usage.ts"],
      }),
    );
    const checked = await run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(checked).toBe("");
  }, 60_000);

  it("fails with a clear message and exit code 2 without credentials, before any request", async () => {
    const before = server.mock.tokenRequests.length;
    const { DEALCLOUD_CLIENT_ID: _id, DEALCLOUD_CLIENT_SECRET: _secret, ...env } = process.env;
    const failure = await run(process.execPath, [bin, "--base-url", server.url, "--out", "-"], { env }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining("DEALCLOUD_CLIENT_SECRET") });
    expect(server.mock.tokenRequests.length).toBe(before);
  });
});

describe("generateSiteTypes", () => {
  it("writes one Row, Create and Update type per entry type and a SiteTypes map by apiName", async () => {
    const site = createSite(mockSite().dc);
    const model = await site.model();
    const source = generateSiteTypes(model);
    for (const type of model.entryTypes) expect(source).toMatch(new RegExp(`readonly ${type.apiName}: \\{ row: `));
    expect(source.match(/^export interface \w+Row \{/gm)).toHaveLength(model.entryTypes.length);
    // Calculated fields are read, never written; multi-value choices are arrays.
    expect(source).toMatch(/readonly Industries\?: readonly \("Technology" \| "Healthcare"/);
    expect(source).not.toContain("import ");
  });
});
