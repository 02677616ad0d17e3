#!/usr/bin/env node
// `dealcloud-ts-typegen --base-url URL --out FILE`: reads a live site's schema through the Schema API and writes its
// row types (`generateSiteTypes`) to FILE (`-` for standard output). Credentials come from the environment,
// DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET, never from arguments (they would show in process lists).
// Node only, so it lives outside src/: the package's runtime code stays web-standard. It uses the public API only.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { createDealCloud } from "@dealcloud-ts/client";
import { data } from "@dealcloud-ts/data";
import { schema } from "@dealcloud-ts/schema";
import { createSite, generateSiteTypes } from "../dist/index.js";

const USAGE =
  "Usage: DEALCLOUD_CLIENT_ID=… DEALCLOUD_CLIENT_SECRET=… dealcloud-ts-typegen --base-url yourfirm.dealcloud.com --out src/dealcloud-site.ts";

function fail(message) {
  console.error(`${message}\n${USAGE}`);
  process.exitCode = 2;
}

/** The host for the header: a bare `yourfirm.dealcloud.com` is accepted like the clients accept it. */
const normalUrl = (baseUrl) => (/^https?:\/\//.test(baseUrl) ? baseUrl : `https://${baseUrl}`);

async function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: { "base-url": { type: "string" }, out: { type: "string", short: "o" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    return fail(error.message);
  }
  if (values.help) return void console.log(USAGE);
  const baseUrl = values["base-url"] ?? process.env.DEALCLOUD_BASE_URL;
  const { DEALCLOUD_CLIENT_ID: clientId, DEALCLOUD_CLIENT_SECRET: clientSecret } = process.env;
  if (!baseUrl) return fail("Pass --base-url (or set DEALCLOUD_BASE_URL).");
  if (!values.out) return fail("Pass --out FILE (or --out - for standard output).");
  if (!clientId || !clientSecret) return fail("Set DEALCLOUD_CLIENT_ID and DEALCLOUD_CLIENT_SECRET.");

  const model = await createSite(createDealCloud({ baseUrl, clientId, clientSecret, apis: { schema, data } })).model();
  const source = generateSiteTypes(model, { header: `Read from ${new URL(normalUrl(baseUrl)).host}` });
  if (values.out === "-") return void process.stdout.write(source);
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, source);
  console.error(`Wrote ${model.entryTypes.length} entry types to ${values.out}`);
}

main().catch((error) => {
  // The SDK's errors never carry the secret; print the message only, not the object.
  console.error(`dealcloud-ts-typegen: ${error?.message ?? String(error)}`);
  process.exitCode = 1;
});
