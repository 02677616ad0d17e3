// `dealcloud mock`: the in-memory mock DealCloud site on loopback, so every command can be tried with no account.
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { UsageError } from "../errors.js";
import type { CliIo } from "../io.js";

/** The flags of `mock`. */
export interface MockFlags {
  readonly port: number;
  readonly host: string;
  readonly seed: readonly string[];
  readonly sampleEntries: boolean;
  readonly rowErrors: "batch" | "per-row";
  readonly sandbox: boolean;
  readonly control: boolean;
  readonly json: boolean;
}

/** `company=100000,contact=500` (repeatable) → `{ company: 100000, contact: 500 }`. */
export function parseSeed(items: readonly string[]): Record<string, number> {
  const rows: Record<string, number> = {};
  for (const item of items.flatMap((text) => text.split(","))) {
    const match = /^\s*([A-Za-z_][\w]*)\s*=\s*(\d+)\s*$/.exec(item);
    if (!match)
      throw new UsageError(`--seed takes entryType=count, e.g. --seed company=100000,contact=5000; got "${item}".`);
    rows[match[1]!] = Number(match[2]);
  }
  return rows;
}

/** Serves until Ctrl-C or SIGTERM; prints the URL (and the environment to use it) first. */
export async function runMock(io: CliIo, flags: MockFlags): Promise<void> {
  if (!Number.isInteger(flags.port) || flags.port < 0 || flags.port > 65_535)
    throw new UsageError(`--port must be an integer from 0 to 65535; got ${String(flags.port)}.`);
  const rows = parseSeed(flags.seed);
  let server: Awaited<ReturnType<typeof serveMockDealCloud>>;
  try {
    server = await serveMockDealCloud({
      port: flags.port,
      host: flags.host,
      seed: { sampleEntries: flags.sampleEntries, rows },
      rowErrors: flags.rowErrors,
      ...(flags.sandbox ? { tokenRequestsPerMinute: 60 } : {}),
      ...(flags.control ? { controlApi: true } : {}),
    });
  } catch (error) {
    if (error instanceof RangeError) throw new UsageError(`--seed: ${error.message}`);
    throw error;
  }
  const { clientId, clientSecret } = DEFAULT_MOCK_CLIENT;
  if (flags.json) io.stdout.write(`${JSON.stringify({ url: server.url, clientId })}\n`);
  else {
    io.stdout.write(`dealcloud mock listening on ${server.url}\n`);
    // The mock's sample credentials are public (the vendor token docs' example), not a secret worth hiding.
    io.stderr.write(
      `Use it from another shell:\n  export DEALCLOUD_SITE=${server.url} DEALCLOUD_CLIENT_ID=${clientId} DEALCLOUD_CLIENT_SECRET=${clientSecret}\nCtrl-C stops it.\n`,
    );
  }
  if (!io.signal.aborted) await new Promise((resolve) => io.signal.addEventListener("abort", resolve, { once: true }));
  await server.close();
}
