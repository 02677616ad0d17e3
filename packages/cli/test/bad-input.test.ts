import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanEnv, runBin, serveSite, tempDir } from "./support/cli.js";

describe("bad input: a clear message, exit code 2, nothing written", () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  const temp = tempDir();
  const csvFile = (name: string, text: string) => {
    const path = join(temp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeAll(async () => {
    site = await serveSite();
  });
  afterAll(async () => {
    await site.close();
    temp.remove();
  });

  const cases: [string, () => string[], RegExp, Record<string, string | undefined>?][] = [
    ["an unknown entry type", () => ["export", "compnay"], /Unknown entry type "compnay"\. Did you mean "company"\?/],
    [
      "an unknown field",
      () => ["export", "company", "--fields", "CompanyName,Citty"],
      /Unknown field "Citty" for company\. Did you mean "City"\?/,
    ],
    [
      "an unknown field in the filter",
      () => ["export", "company", "--filter", '{"$or": [{"Cty": "Boston"}]}'],
      /Unknown field in --filter "Cty" for company\. Did you mean "City"\?/,
    ],
    [
      "a malformed filter",
      () => ["export", "company", "--filter", "{City: Boston}"],
      /--filter is not valid JSON: .*e\.g\. --filter '\{"City": "Boston"\}'/,
    ],
    [
      "a filter that is not an object",
      () => ["export", "company", "--filter", '["City"]'],
      /--filter must be a JSON object/,
    ],
    [
      "a format that does not exist",
      () => ["export", "company", "--format", "xml"],
      /argument 'xml' is invalid\. Allowed choices are ndjson, csv, json/,
    ],
    [
      "a concurrency out of range",
      () => ["export", "company", "--concurrency", "0"],
      /--concurrency must be an integer from 1 to 16/,
    ],
    [
      "a sync concurrency out of range",
      () => ["sync", "company", "--state", "never-written.json", "--concurrency", "17"],
      /--concurrency must be an integer from 1 to 16/,
    ],
    [
      "a CSV column that maps to no field",
      () => [
        "import",
        "contact",
        csvFile("a.csv", "Full Name,Emial,Phone\nAda,ada@example.test,1\n"),
        "--key",
        "Full Name",
        "--report",
        join(temp.dir, "a.ndjson"),
      ],
      /a\.csv: columns map to no field of contact: "Emial" \(did you mean "Email"\?\), "Phone"\. Rename them/,
    ],
    [
      "a malformed CSV",
      () => ["import", "contact", csvFile("b.csv", 'FullName,Email\nAda,"ada@example.test\n'), "--key", "Email"],
      /b\.csv is not valid CSV: .*Quote Not Closed/i,
    ],
    [
      "a CSV row with more cells than the header",
      () => ["import", "contact", csvFile("c.csv", "FullName,Email\nAda,ada@example.test,extra\n"), "--key", "Email"],
      /c\.csv is not valid CSV: Invalid Record Length/,
    ],
    [
      "an import file that does not exist",
      () => ["import", "contact", join(temp.dir, "none.csv"), "--key", "Email"],
      /Cannot read .*none\.csv/,
    ],
    [
      "an upsert with no key",
      () => ["import", "contact", csvFile("d.csv", "FullName,Email\nAda,ada@example.test\n")],
      /--mode upsert needs --key \(e\.g\. --key Email\) or an EntryId column/,
    ],
    [
      "a key that is no field",
      () => ["import", "contact", csvFile("e.csv", "FullName,Email\nAda,ada@example.test\n"), "--key", "Emale"],
      /Unknown key field "Emale" for contact\. Did you mean "Email"\?/,
    ],
    [
      "an unknown scope",
      () => ["token", "--scope", "data,pubish"],
      /Unknown scope "pubish"\. Did you mean "publish"\?/,
    ],
    ["an unknown command", () => ["exprot"], /unknown command 'exprot'\n\(Did you mean export\?\)/],
    ["the secret as a flag", () => ["schema", "--client-secret", "1356GYNU"], /never taken as a flag value/],
    [
      "no site",
      () => ["schema"],
      /No site: pass --site yourfirm\.dealcloud\.com, or set DEALCLOUD_SITE \(or DC_SDK_SITE_URL\)/,
      { DEALCLOUD_SITE: undefined },
    ],
    [
      "no client id",
      () => ["schema"],
      /No client id: .*set DEALCLOUD_CLIENT_ID \(or DC_SDK_CLIENT_ID\)/,
      { DEALCLOUD_CLIENT_ID: undefined },
    ],
    [
      "no secret",
      () => ["schema"],
      /No client secret: set DEALCLOUD_CLIENT_SECRET \(or DC_SDK_CLIENT_SECRET\)/,
      { DEALCLOUD_CLIENT_SECRET: undefined },
    ],
    [
      "a config file that is not JSON",
      () => ["schema", "--config", csvFile("config.json", "{site:")],
      /config file .*config\.json is not JSON/,
    ],
  ];

  it.each(cases)("%s", async (_what, args, message, envChange) => {
    const env = { ...site.env };
    for (const [name, value] of Object.entries(envChange ?? {})) if (value === undefined) delete env[name];
    const writes = site.writes();
    const run = await runBin(args(), { env });
    expect(run.stderr).toMatch(message);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toBe("");
    expect(site.writes()).toBe(writes);
    if (!args().includes("--client-secret")) expect(run.stderr).not.toContain("1356GYNU");
  });

  it("no report file is written when the input is refused", () => {
    expect(existsSync(join(temp.dir, "a.ndjson"))).toBe(false);
  });

  it("refused credentials exit 1 with the site's reason and never print the secret", async () => {
    const run = await runBin(["token"], { env: { ...site.env, DEALCLOUD_CLIENT_SECRET: "wrong-secret-123" } });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^dealcloud: .+/);
    expect(run.stderr + run.stdout).not.toContain("wrong-secret-123");
  });

  it("a site address that cannot be one exits 2", async () => {
    const run = await runBin(["schema", "--site", "https//acme.dealcloud.com"], { env: site.env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('did you mean "https://acme.dealcloud.com"');
  });

  it("no command prints the help and exits 2", async () => {
    const run = await runBin([], { env: cleanEnv() });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stdout).toContain("Usage: dealcloud [options] [command]");
  });
});
