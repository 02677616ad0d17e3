#!/usr/bin/env node
/**
 * `dealcloud-mock [--port N] [--host H] [--sandbox] [--control] [--row-errors batch|per-row] [--empty-topics empty|not-in-kafka] [--max-rows-per-message N]`: serves an in-memory DealCloud site on loopback
 * until SIGINT/SIGTERM, for the demo, benchmarks and manual tries. `--sandbox` applies the UAT/sandbox token limit
 * (60 calls a minute instead of 300: DealCloud token docs); `--control` adds the `/__mock/` control API;
 * `--row-errors` picks how rows writes answer bad rows (`rowErrors`, default `batch`); `--empty-topics` and
 * `--max-rows-per-message` set the Publications options (`publications.emptyTopics`, `publications.maxRowsPerMessage`).
 */
import { parseArgs } from "node:util";
import { DEFAULT_MOCK_CLIENT } from "./options.js";
import { serveMockDealCloud } from "./server.js";

const USAGE =
  "Usage: dealcloud-mock [--port N] [--host H] [--sandbox] [--control] [--row-errors batch|per-row] [--empty-topics empty|not-in-kafka] [--max-rows-per-message N]";

async function main(): Promise<void> {
  let values: {
    port?: string | undefined;
    host?: string | undefined;
    sandbox?: boolean | undefined;
    control?: boolean | undefined;
    "row-errors"?: string | undefined;
    "empty-topics"?: string | undefined;
    "max-rows-per-message"?: string | undefined;
    help?: boolean | undefined;
  };
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: "string", short: "p" },
        host: { type: "string" },
        sandbox: { type: "boolean" },
        control: { type: "boolean" },
        "row-errors": { type: "string" },
        "empty-topics": { type: "string" },
        "max-rows-per-message": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be an integer from 0 to 65535.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const rowErrors = values["row-errors"];
  if (rowErrors !== undefined && rowErrors !== "batch" && rowErrors !== "per-row") {
    console.error(`--row-errors must be batch or per-row.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const emptyTopics = values["empty-topics"];
  if (emptyTopics !== undefined && emptyTopics !== "empty" && emptyTopics !== "not-in-kafka") {
    console.error(`--empty-topics must be empty or not-in-kafka.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const maxRows = values["max-rows-per-message"] === undefined ? undefined : Number(values["max-rows-per-message"]);
  if (maxRows !== undefined && !(Number.isInteger(maxRows) && maxRows >= 1)) {
    console.error(`--max-rows-per-message must be a positive integer.\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const server = await serveMockDealCloud({
    port,
    ...(values.host !== undefined ? { host: values.host } : {}),
    ...(values.sandbox ? { tokenRequestsPerMinute: 60 } : {}),
    ...(values.control ? { controlApi: true } : {}),
    ...(rowErrors ? { rowErrors } : {}),
    publications: {
      ...(emptyTopics ? { emptyTopics } : {}),
      ...(maxRows !== undefined ? { maxRowsPerMessage: maxRows } : {}),
    },
  });
  // The client id only: the default secret is the vendor docs' public sample, but printing secrets is a bad habit.
  console.log(
    `dealcloud-mock listening on ${server.url} (client id ${DEFAULT_MOCK_CLIENT.clientId}${values.sandbox ? ", sandbox limits" : ""})`,
  );
  const stop = () => {
    process.off("SIGINT", stop).off("SIGTERM", stop);
    void server.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop).on("SIGTERM", stop);
}

void main().catch((error: unknown) => {
  console.error(`dealcloud-mock: ${(error as Error).message ?? String(error)}`);
  process.exitCode = 1;
});
