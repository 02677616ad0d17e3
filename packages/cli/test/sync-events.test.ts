import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { createDataClient, deleteEntries, writeRows } from "@dealcloud-ts/data";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runBin, serveSite, tempDir } from "./support/cli.js";

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line));

describe("dealcloud sync, twice", () => {
  let site: Awaited<ReturnType<typeof serveSite>>;
  const temp = tempDir();
  const state = join(temp.dir, "company.state.json");
  let dataApi: ReturnType<typeof createDataClient>;
  beforeAll(async () => {
    site = await serveSite({ seed: { sampleEntries: false, rows: { company: 500 } } });
    dataApi = createDataClient({ baseUrl: site.url, ...DEFAULT_MOCK_CLIENT });
  });
  afterAll(async () => {
    await site.close();
    temp.remove();
  });

  it("the first run exports everything and saves the checkpoint; the second gives exactly what changed", async () => {
    const first = join(temp.dir, "first.ndjson");
    const one = await runBin(["sync", "company", "--state", state, "--out", first, "--overlap", "0"], {
      env: site.env,
    });
    expect(one.code).toBe(0);
    expect(one.stderr).toMatch(/sync company: 500 upserts, 0 deletes \(full export\); state saved to/);
    const items = lines(first);
    expect(items[0]).toEqual({ type: "fullExport", reason: "initial" });
    expect(items.slice(1).map((item) => item.row.EntryId)).toEqual(
      site.mock.rows("company").map((row) => row["EntryId"]),
    );
    const checkpoint = JSON.parse(readFileSync(state, "utf8"));
    expect(checkpoint).toMatchObject({ version: 1, entryTypeId: "company" });

    await new Promise((resolve) => setTimeout(resolve, 20));
    const [a, b] = site.mock.rows("company").map((row) => row["EntryId"] as number);
    expect((await writeRows(dataApi, "company", [{ CompanyName: "Newco" }], { mode: "create" })).failed).toEqual([]);
    expect((await writeRows(dataApi, "company", [{ EntryId: a!, City: "Oslo" }], { mode: "update" })).failed).toEqual(
      [],
    );
    expect((await deleteEntries(dataApi, "company", [b!])).failed).toEqual([]);

    const second = join(temp.dir, "second.ndjson");
    const two = await runBin(["sync", "company", "--state", state, "--out", second, "--overlap", "0", "--json"], {
      env: site.env,
    });
    expect(two.code).toBe(0);
    const changes = lines(second);
    expect(changes.filter((c) => c.type === "upsert").map((c) => [c.row.CompanyName, c.row.City])).toEqual(
      expect.arrayContaining([
        [expect.any(String), "Oslo"],
        ["Newco", undefined],
      ]),
    );
    expect(changes.filter((c) => c.type === "upsert")).toHaveLength(2);
    expect(changes.filter((c) => c.type === "delete")).toEqual([{ type: "delete", entryId: b }]);
    expect(JSON.parse(two.stdout)).toMatchObject({ upserts: 2, deletes: 1, fullExport: false, state });
    expect(Date.parse(JSON.parse(readFileSync(state, "utf8")).since)).toBeGreaterThan(Date.parse(checkpoint.since));
  });

  it("a run that fails leaves the state file and the output as they were", async () => {
    const before = readFileSync(state, "utf8");
    const out = join(temp.dir, "failed.ndjson");
    site.mock.faults.add({ route: "data", status: 403, times: 100 });
    const run = await runBin(["sync", "company", "--state", state, "--out", out], { env: site.env });
    site.mock.faults.clear();
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(state, "utf8")).toBe(before);
    expect(existsSync(out)).toBe(false);
  });

  it("a reader that stops early (| head -1) fails the sync and no state file is written", async () => {
    const fresh = join(temp.dir, "piped.state.json");
    // Not spawnSync: the mock answers from this process, whose event loop must keep running.
    const piped = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        "bash",
        ["-c", `set -o pipefail; "${process.execPath}" "${BIN}" sync company --state "${fresh}" | head -1 > /dev/null`],
        { env: site.env, stdio: ["ignore", "ignore", "pipe"] },
      );
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      child.on("close", (status) => {
        clearTimeout(timer);
        resolve({ status, stderr });
      });
    });
    expect(piped.status).toBe(1);
    expect(piped.stderr).toContain("standard output was closed before every change was written");
    expect(existsSync(fresh)).toBe(false);
  });

  it("a state file of another entry type is refused before any row is read", async () => {
    const run = await runBin(["sync", "contact", "--state", state], { env: site.env });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain('is the checkpoint of "company", not contact');
  });
});

describe("dealcloud events", () => {
  it("prints events as NDJSON; Ctrl-C acknowledges every event printed; a restart with the checkpoint prints only new ones", async () => {
    const site = await serveSite();
    const temp = tempDir();
    const checkpoint = join(temp.dir, "events.json");
    const dataApi = createDataClient({ baseUrl: site.url, ...DEFAULT_MOCK_CLIENT });
    const writeCompanies = async (...names: string[]) => {
      for (const name of names)
        expect((await writeRows(dataApi, "company", [{ CompanyName: name }], { mode: "create" })).failed).toEqual([]);
    };
    /** Runs `events` until it has printed `wanted` events, then sends SIGINT; resolves with what it printed. */
    const follow = async (wanted: number) => {
      const child = spawn(
        process.execPath,
        [
          BIN,
          "events",
          "--topic",
          "default-data",
          "--checkpoint",
          checkpoint,
          "--session-start",
          "immediate",
          "--poll-timeout",
          "1",
        ],
        { env: site.env, stdio: ["ignore", "pipe", "pipe"] },
      );
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const events: { topicOffset: number; entityType: string }[] = [];
      const reader = createInterface({ input: child.stdout });
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      for await (const line of reader) {
        events.push(JSON.parse(line));
        if (events.length === wanted) child.kill("SIGINT");
      }
      const code = await new Promise((resolve) =>
        child.exitCode !== null ? resolve(child.exitCode) : child.on("close", resolve),
      );
      clearTimeout(timer);
      return { code, events, stderr };
    };
    try {
      await writeCompanies("Alpha", "Beta", "Gamma");
      const first = await follow(3);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain("events: stopped after 3 events; acknowledgements sent.");
      expect(first.events.map((event) => event.topicOffset)).toEqual([0, 1, 2]);
      expect(first.events.every((event) => event.entityType === "Data")).toBe(true);
      // The last acknowledgement names the offset after the last event printed.
      expect(site.acknowledgements().at(-1)).toEqual([{ Name: "default-data", Offset: 3 }]);
      expect(JSON.parse(readFileSync(checkpoint, "utf8"))).toEqual({ "default-data": 2 });

      await writeCompanies("Delta", "Epsilon");
      const second = await follow(2);
      expect(second.code).toBe(0);
      expect(second.events.map((event) => event.topicOffset)).toEqual([3, 4]);
      expect(site.acknowledgements().at(-1)).toEqual([{ Name: "default-data", Offset: 5 }]);
    } finally {
      await site.close();
      temp.remove();
    }
  });
});
