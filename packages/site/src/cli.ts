#!/usr/bin/env node
/**
 * `dealcloud-ts-typegen --base-url URL --out FILE`: reads a live site's schema through the Schema API and writes
 * its row types (`generateSiteTypes`) to FILE (`-` for standard output). Credentials come from the environment,
 * `DEALCLOUD_CLIENT_ID` and `DEALCLOUD_CLIENT_SECRET`, never from arguments (they would show in process lists).
 * Node only: exempt from the web-standard lint, like the mock's bin.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { createSchemaClient } from "@dealcloud-ts/schema";
import { loadModel } from "./model.js";
import { generateSiteTypes } from "./types.js";

const USAGE =
  "Usage: DEALCLOUD_CLIENT_ID=… DEALCLOUD_CLIENT_SECRET=… dealcloud-ts-typegen --base-url yourfirm.dealcloud.com --out src/dealcloud-site.ts";

function fail(message: string): void {
  console.error(`${message}\n${USAGE}`);
  process.exitCode = 2;
}

async function main(): Promise<void> {
  let values: { "base-url"?: string | undefined; out?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      options: { "base-url": { type: "string" }, out: { type: "string", short: "o" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    return fail((error as Error).message);
  }
  if (values.help) return void console.log(USAGE);
  const baseUrl = values["base-url"] ?? process.env["DEALCLOUD_BASE_URL"];
  const { DEALCLOUD_CLIENT_ID: clientId, DEALCLOUD_CLIENT_SECRET: clientSecret } = process.env;
  if (!baseUrl) return fail("Pass --base-url (or set DEALCLOUD_BASE_URL).");
  if (!values.out) return fail("Pass --out FILE (or --out - for standard output).");
  if (!clientId || !clientSecret) return fail("Set DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET.");

  const model = await loadModel(createSchemaClient({ baseUrl, clientId, clientSecret }));
  const source = generateSiteTypes(model, { header: `Read from ${new URL(normalUrl(baseUrl)).host}` });
  if (values.out === "-") return void process.stdout.write(source);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, source);
  console.error(`Wrote ${model.entryTypes.length} entry types to ${values.out}`);
}

/** The host for the header: a bare `yourfirm.dealcloud.com` is accepted like the clients accept it. */
const normalUrl = (baseUrl: string) => (/^https?:\/\//.test(baseUrl) ? baseUrl : `https://${baseUrl}`);

main().catch((error: unknown) => {
  // The SDK's errors never carry the secret; print the message only, not the object.
  console.error(`dealcloud-ts-typegen: ${(error as Error)?.message ?? String(error)}`);
  process.exitCode = 1;
});
