import { spawn } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanEnv, runBin, serveSite, tempDir } from "./support/cli.js";

const SECRET = "1356GYNU";

describe("credentials, token, schema and typegen against the mock", () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  const temp = tempDir();
  beforeAll(async () => {
    site = await serveSite();
  });
  afterAll(async () => {
    await site.close();
    temp.remove();
  });

  it("token checks the credentials and prints the scopes and expiry, never the token or the secret", async () => {
    const run = await runBin(["token", "--scope", "data", "--scope", "publish"], { env: site.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /^Credentials OK for http:\/\/127\.0\.0\.1:\d+\nscopes: {2}data publish\nexpires: \S+Z \(in (?:89\d|900) s\)\n$/,
    );
    const issued = [...site.mock.issuedTokens.keys()];
    for (const token of issued) expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });

  it("token --show-token prints the token alone on stdout, and --json the facts", async () => {
    const run = await runBin(["token", "--show-token"], { env: site.env });
    expect(run.code, run.stderr).toBe(0);
    expect(site.mock.issuedTokens.has(run.stdout.trim())).toBe(true);
    expect(run.stderr).toContain("Credentials OK");
    const json = await runBin(["token", "--json"], { env: site.env });
    const facts = JSON.parse(json.stdout);
    expect(facts).toMatchObject({ site: site.url, scopes: ["data"] });
    // The token's remaining life when printed: 900 s, or 899 once the run took more than half a second.
    expect(facts.expiresInSeconds).toBeGreaterThanOrEqual(899);
    expect(facts.expiresInSeconds).toBeLessThanOrEqual(900);
  });

  it("takes the vendor SDK's DC_SDK_* variables", async () => {
    const env = cleanEnv({ DC_SDK_SITE_URL: site.url, DC_SDK_CLIENT_ID: "106", DC_SDK_CLIENT_SECRET: SECRET });
    const run = await runBin(["token", "--json"], { env });
    expect(run.code, run.stderr).toBe(0);
  });

  it("takes a config file, warns when others can read its secret, and takes the secret from stdin", async () => {
    const config = join(temp.dir, "config.json");
    writeFileSync(config, JSON.stringify({ site: site.url, clientId: 106, clientSecret: SECRET }));
    chmodSync(config, 0o644);
    const loose = await runBin(["token", "--config", config], { env: cleanEnv() });
    expect(loose.code).toBe(0);
    expect(loose.stderr).toContain(`warning: ${config} holds a client secret and is readable by others (mode 644)`);
    chmodSync(config, 0o600);
    const tight = await runBin(["token"], { env: cleanEnv({ DEALCLOUD_CONFIG: config }) });
    expect(tight.code).toBe(0);
    expect(tight.stderr).toBe("");
    const piped = await runBin(["token", "--site", site.url, "--client-id", "106", "--client-secret-stdin"], {
      env: cleanEnv(),
      input: `${SECRET}\n`,
    });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain("Credentials OK");
  });

  it("schema lists the entry types, one entry type's fields with kinds and choices, and JSON", async () => {
    const list = await runBin(["schema"], { env: site.env });
    expect(list.stdout.split("\n")[0]).toMatch(/^id\s+apiName\s+name\s+fields$/);
    expect(list.stdout).toMatch(/2011\s+company\s+Companies\s+12/);
    const company = await runBin(["schema", "company"], { env: site.env });
    expect(company.stdout).toContain("Company (company, entry type 2011): 12 fields");
    expect(company.stdout).toMatch(/CompanyType\s+Company Type\s+choice\s+Limited Partner, Portfolio Company/);
    expect(company.stdout).toMatch(/ParentCompany\s+Parent Company\s+reference\s+→ company/);
    const json = JSON.parse((await runBin(["schema", "contact", "--json"], { env: site.env })).stdout);
    expect(json).toMatchObject({ apiName: "contact", nameField: "FullName" });
    expect(json.fields.find((f: { apiName: string }) => f.apiName === "Company")).toMatchObject({
      kind: "reference",
      targets: [2011],
    });
  });

  it("typegen writes the site's row types to a file", async () => {
    const out = join(temp.dir, "types", "dealcloud-site.ts");
    const run = await runBin(["typegen", "--out", out], { env: site.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain(`Wrote the row types of 4 entry types to ${out}`);
    const source = readFileSync(out, "utf8");
    expect(source).toContain("export interface CompanyRow {");
    expect(source).toContain('readonly CompanyType?: "Limited Partner" | "Portfolio Company"');
    expect(source).toContain("export interface SiteTypes {");
  });

  it("export under a terminal shows a progress bar with rows, total, rate and ETA, and clears it at the end", async () => {
    // `script` (util-linux) gives the bin a pseudo-terminal; everything it writes there comes out on script's stdout.
    const seeded = await serveSite({ seed: { sampleEntries: false, rows: { company: 30_000 } } });
    try {
      const out = join(temp.dir, "tty.ndjson");
      const run = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
        const child = spawn(
          "script",
          ["-qefc", `${process.execPath} ${BIN} export company --concurrency 1 --out ${out}`, "/dev/null"],
          {
            env: { ...seeded.env, TERM: "xterm" },
            stdio: ["pipe", "pipe", "inherit"],
          },
        );
        let output = "";
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
        child.on("error", reject).on("close", (code) => resolve({ code, output }));
        child.stdin.end();
      });
      expect(run.code, run.output).toBe(0);
      const frames =
        run.output.match(/export company \S+ \d+% \| [\d,]+\/30,000 rows \| [\d,]+ rows\/s \| ETA \S+/g) ?? [];
      expect(frames.length).toBeGreaterThan(1);
      // After the last frame: the line is erased (ESC[2K), then the summary stands alone.
      const afterLastFrame = run.output.slice(run.output.lastIndexOf(frames.at(-1)!));
      expect(afterLastFrame).toMatch(/\x1b\[2K(\x1b\[\?25h)?Exported 30,000 company rows to/);
      expect(readFileSync(out, "utf8").split("\n")).toHaveLength(30_001);
    } finally {
      await seeded.close();
    }
  });

  it("without a terminal and with --quiet, no progress at all", async () => {
    const run = await runBin(["export", "company", "--quiet"], { env: site.env });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe("");
  });
});

describe("dealcloud mock", () => {
  it("serves a seeded site the other commands can use, prints its URL first, and stops on Ctrl-C", async () => {
    const child = spawn(process.execPath, [BIN, "mock", "--seed", "company=2500,contact=10", "--json"], {
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve) => lines.once("line", resolve));
      const { url, clientId } = JSON.parse(first) as { url: string; clientId: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const env = cleanEnv({ DEALCLOUD_SITE: url, DEALCLOUD_CLIENT_ID: clientId, DEALCLOUD_CLIENT_SECRET: SECRET });
      const exported = await runBin(["export", "company", "-q", "--fields", "CompanyName"], { env });
      expect(exported.code).toBe(0);
      // 2,500 generated companies plus the mock's sample ones.
      expect(exported.stdout.trimEnd().split("\n").length).toBeGreaterThanOrEqual(2500);
    } finally {
      child.kill("SIGINT");
    }
    const code = await new Promise((resolve) => child.on("close", resolve));
    expect(code).toBe(0);
  });

  it("refuses a seed it cannot follow with exit 2", async () => {
    const bad = await runBin(["mock", "--seed", "company=lots"], { env: cleanEnv() });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--seed takes entryType=count");
    const unknown = await runBin(["mock", "--seed", "compnay=5"], { env: cleanEnv() });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no object "compnay"');
  });
});

describe("help and version", () => {
  it("every command has complete help", async () => {
    for (const command of ["token", "schema", "export", "import", "sync", "events", "typegen", "mock"]) {
      const run = await runBin([command, "--help"], { env: cleanEnv() });
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(new RegExp(`^Usage: dealcloud ${command} `));
      expect(run.stdout, command).toContain("Global Options:");
      expect(run.stdout, command).toMatch(/Examples:\n {2}dealcloud /);
    }
    const top = await runBin(["--help"], { env: cleanEnv() });
    expect(top.stdout).toContain("Exit codes:");
    expect(top.stdout).toContain("DC_SDK_CLIENT_SECRET");
  });

  it("--version prints the package version", async () => {
    const run = await runBin(["--version"], { env: cleanEnv() });
    const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.code, run.stderr).toBe(0);
  });
});
