// The `dealcloud` command line: commander declares the commands, flags and help; each command's module is loaded
// only when it runs, so `dealcloud --version` and `--help` stay fast.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { DealCloudError } from "@dealcloud-ts/auth";
import type { ConnectionFlags } from "./credentials.js";
import { ExitCode, UsageError } from "./errors.js";
import type { CliIo } from "./io.js";

const VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

const GLOBAL_HELP = `
Credentials (each from the first place that has it):
  site        --site, DEALCLOUD_SITE, DC_SDK_SITE_URL, "site" in the config file
  client id   --client-id, DEALCLOUD_CLIENT_ID, DC_SDK_CLIENT_ID, "clientId" in the config file
  secret      --client-secret-stdin, DEALCLOUD_CLIENT_SECRET, DC_SDK_CLIENT_SECRET, "clientSecret" in the config file
              (never a flag value: it would land in shell history and process lists; never printed)
  config file --config FILE, DEALCLOUD_CONFIG, or ~/.config/dealcloud/config.json ($XDG_CONFIG_HOME) if present:
              {"site": "yourfirm.dealcloud.com", "clientId": "106", "clientSecret": "…"}  (chmod 600 it)

Output: results on stdout, progress and diagnostics on stderr; --json for machine-readable results, --quiet for no
progress or summaries. Progress is a bar when stderr is a terminal, a plain line every 5 s otherwise.

Exit codes:
  0    done
  1    the command failed (network, credentials refused, a site error)
  2    bad usage or input, found before anything was sent or written (the message says what to pass)
  3    partial failure: the command ran but some rows failed (import; see --report)
  130  interrupted (Ctrl-C): a file being written with --out is left as it was

Try it with no account: dealcloud mock --seed company=100000, then the export line it prints.`;

const EXPORT_HELP = `
Rows are read through the Data API in pages of 1,000 (paginateRows) with --concurrency pages in flight and written
as they arrive: memory stays flat however many rows. Choice, reference and user values are written as names
(--resolve name, the default) or ids (--resolve id); multi-value fields are JSON arrays in NDJSON and JSON, and
joined with "; " in CSV. CSV columns are EntryId then the fields in the site's order (or --fields' order).

Progress and the summary go to stderr; with --json and --out, a JSON summary {entryType, rows, format, out,
seconds} goes to stdout (without --out, stdout holds the rows only).

--out FILE is written atomically: into a temp file beside it, flushed to disk, then renamed, so FILE is either
the old file or the complete new one. An export is not resumable after a crash: DealCloud pages by offset
(skip/limit) with no snapshot or cursor, so rows added or deleted since would be skipped or repeated in a
resumed file. Run it again; for changes since a date, use a --filter on ModifiedDate.

Examples:
  dealcloud export company --format csv --out companies.csv
  dealcloud export contact --fields FullName,Email,Company --filter '{"Email": {"$contains": "@acme.com"}}'
  dealcloud export deal --format json --resolve id --concurrency 4 > deals.json`;

const IMPORT_HELP = `
Columns are matched to fields by apiName or display name (a column that matches no field stops the import before
anything is written, with the closest names). Choice, reference and user values are names (or ids), resolved
through the site model: references are looked up for exactly the names used. In CSV, an empty cell leaves the
field as it is, multi-value cells are split on ";", numbers and true/false are converted by the field's type.

Modes: create (new entries only), update (existing entries found by --key or an EntryId column), upsert (update
those --key finds, create the rest). A key found on several entries, an unknown name, a value of the wrong type,
a row the file names twice or a row DealCloud refuses fails that row only; the others are written.

--dry-run resolves names, looks up keys and checks every row, then writes nothing to the site: the summary says
what would be created, updated and left unchanged (rows DealCloud itself would refuse cannot be known without
writing). --report FILE gets every failed row as one JSON line {line, code, reason, unknown?, entryIds?, row},
also in a dry run. The exit code is 3 when any row failed.

Examples:
  dealcloud import contact contacts.csv --mode upsert --key Email --report failed.ndjson
  dealcloud import company companies.ndjson --mode create --dry-run`;

const SYNC_HELP = `
Each run prints what changed since the previous one: {"type": "upsert", "row": {…}} for a created or changed
entry (values by name, as export writes them), {"type": "delete", "entryId": N, "mergedInto"?: M} for one deleted
or merged away, and {"type": "fullExport", "reason": "initial" | "stale"} before a full export (the first run, or
--on-stale full): then drop what you hold that the run did not upsert. Apply upserts as upserts: changes near the
previous run's end come again (10 minutes of overlap, because history timestamps can lag by minutes).

The state file is written only after the output is durable: with --out, after the changes file is flushed to disk
and renamed into place (each run replaces it: process it before the next run); with stdout, after every line was
handed to the pipe. A run that fails or is interrupted leaves the state as it was, so the next run starts from the
same place and loses nothing.

Examples:
  dealcloud sync company --state company.state.json --out company-changes.ndjson
  dealcloud sync contact --state contact.state.json --fields FullName,Email | your-loader`;

const EVENTS_HELP = `
Each event is printed as one JSON line (as DealCloud sent it; split messages joined, large texts marked), then
counted as processed. Ctrl-C is the normal way to stop: the poll in flight is cut, the acknowledgements of every
event printed are sent, and the exit code is 0. DealCloud applies acknowledgements when a new session starts
(5 minutes after the last poll), so without --checkpoint a restart first waits for that (--session-start
await-expiry); with --checkpoint, events at or below the recorded offsets are dropped, so each is printed once.

Examples:
  dealcloud events --topic default-data --checkpoint events.checkpoint.json >> events.ndjson
  dealcloud events --topic default-data,default-user --session-start immediate | jq .entityType`;

interface GlobalFlags extends ConnectionFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
  readonly clientSecret?: string;
}

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
];

const integer = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${name} must be an integer; got "${value}".`);
  return n;
};

/** The connection flags of a run; refuses `--client-secret VALUE` with the ways that keep it out of history. */
function connectionFlags(flags: GlobalFlags): ConnectionFlags {
  if (flags.clientSecret !== undefined)
    throw new UsageError(
      "The client secret is never taken as a flag value (it would land in shell history and process lists): set DEALCLOUD_CLIENT_SECRET, put it in the config file, or pipe it to --client-secret-stdin.",
    );
  return {
    site: flags.site,
    clientId: flags.clientId,
    config: flags.config,
    clientSecretStdin: flags.clientSecretStdin,
  };
}

async function connectFor(io: CliIo, flags: GlobalFlags) {
  const { connect } = await import("./connect.js");
  return connect(io, connectionFlags(flags));
}

/** Builds the program; `exitCode` receives the code of commands that finish with a partial failure. */
function buildProgram(io: CliIo, result: { exitCode: number }): Command {
  const program = new Command("dealcloud")
    .description(
      "Work with a DealCloud site from the command line: tokens, schema, export, import, sync, events, types, a mock site.",
    )
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .option("--site <url>", "the site, e.g. yourfirm.dealcloud.com (or DEALCLOUD_SITE)")
    .option("--client-id <id>", "the API user's client id (or DEALCLOUD_CLIENT_ID)")
    .option("--client-secret-stdin", "read the client secret from standard input (first line)")
    .option("--config <file>", "a JSON config file with site, clientId, clientSecret")
    .option("--json", "machine-readable results on stdout")
    .option("-q, --quiet", "no progress bar, no summaries on stderr")
    .addOption(new Option("--client-secret <secret>", "refused: see the secret's ways above").hideHelp())
    .addHelpText("after", GLOBAL_HELP)
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    });
  const globals = (command: Command) => command.optsWithGlobals() as GlobalFlags & Record<string, unknown>;

  program
    .command("token")
    .description("check the credentials: ask for a token and print its scopes and expiry (never the token itself)")
    .option(
      "--scope <scopes>",
      "scopes to ask for, comma-separated or repeated: data, user_management, publish, ri_import, backup (default data)",
      list,
    )
    .option("--show-token", "print the access token on stdout (the facts go to stderr)")
    .addHelpText(
      "after",
      '\nExamples:\n  dealcloud token\n  dealcloud token --scope data,publish --json\n  curl -H "Authorization: Bearer $(dealcloud token --show-token)" …',
    )
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const { runToken, checkScopes } = await import("./commands/token.js");
      checkScopes((flags["scope"] as string[] | undefined) ?? []);
      await runToken(io, await connectFor(io, flags), {
        scope: (flags["scope"] as string[] | undefined) ?? [],
        showToken: flags["showToken"] === true,
        json: flags.json === true,
      });
    });

  program
    .command("schema")
    .argument("[entryType]", "an entry type (apiName, name or id): list its fields")
    .description("list the site's entry types, or one entry type's fields with their kinds and choice values")
    .addHelpText(
      "after",
      "\nExamples:\n  dealcloud schema\n  dealcloud schema company\n  dealcloud schema contact --json",
    )
    .action(async (entryType: string | undefined, _options, command: Command) => {
      const flags = globals(command);
      const { runSchema } = await import("./commands/schema.js");
      await runSchema(io, await connectFor(io, flags), entryType, { json: flags.json === true });
    });

  program
    .command("export")
    .argument("<entryType>", "the entry type to export (apiName, name or id)")
    .description("stream an entry type's rows to NDJSON, CSV or JSON (stdout, or --out FILE atomically)")
    .addOption(new Option("--format <format>", "output format").choices(["ndjson", "csv", "json"]).default("ndjson"))
    .option("--fields <fields>", "only these fields, comma-separated apiNames or names (EntryId always comes)", list)
    .option("--filter <json>", `a rows query as JSON, e.g. '{"City": "Boston"}'`)
    .addOption(
      new Option("--resolve <how>", "choice, reference and user values as names or ids")
        .choices(["name", "id"])
        .default("name"),
    )
    .option("--out <file>", "write to FILE (temp file, fsync, rename) instead of stdout")
    .option("--concurrency <n>", "pages fetched ahead, 1 to 16", integer("--concurrency"), 4)
    .addHelpText("after", EXPORT_HELP)
    .action(async (entryType: string, _options, command: Command) => {
      const flags = globals(command);
      const { runExport, checkExportFlags } = await import("./commands/export.js");
      const exportFlags = {
        format: flags["format"] as "ndjson" | "csv" | "json",
        fields: flags["fields"] as string[] | undefined,
        filter: flags["filter"] as string | undefined,
        resolve: flags["resolve"] as "name" | "id",
        out: flags["out"] as string | undefined,
        concurrency: flags["concurrency"] as number,
        quiet: flags.quiet === true,
        json: flags.json === true,
      };
      checkExportFlags(exportFlags);
      await runExport(io, await connectFor(io, flags), entryType, exportFlags);
    });

  program
    .command("import")
    .argument("<entryType>", "the entry type to write (apiName, name or id)")
    .argument("<file>", "a .csv or .ndjson file of rows (a header line of field names for CSV)")
    .description(
      "write rows from CSV or NDJSON by names (choice, reference, user values), create, update or upsert by a key",
    )
    .addOption(
      new Option("--mode <mode>", "create, update or upsert").choices(["create", "update", "upsert"]).default("upsert"),
    )
    .option("--key <fields>", "the field(s) that find an existing entry, comma-separated, e.g. Email", list)
    .addOption(
      new Option("--format <format>", "the file's format (default: from its extension)").choices(["csv", "ndjson"]),
    )
    .option("--dry-run", "resolve and check everything, write nothing to the site")
    .option("--report <file>", "write every failed row with its reason to FILE (NDJSON)")
    .addOption(
      new Option("--on-unknown <what>", "an unknown name fails its row (error) or leaves that field out (skip-field)")
        .choices(["error", "skip-field"])
        .default("error"),
    )
    .option("--concurrency <n>", "write requests in flight, 1 to 16", integer("--concurrency"), 2)
    .addHelpText("after", IMPORT_HELP)
    .action(async (entryType: string, file: string, _options, command: Command) => {
      const flags = globals(command);
      const { runImport } = await import("./commands/import.js");
      const { summary, interrupted } = await runImport(io, await connectFor(io, flags), entryType, file, {
        mode: flags["mode"] as "create" | "update" | "upsert",
        key: flags["key"] as string[] | undefined,
        format: flags["format"] as string | undefined,
        dryRun: flags["dryRun"] === true,
        report: flags["report"] as string | undefined,
        onUnknown: flags["onUnknown"] as "error" | "skip-field",
        concurrency: flags["concurrency"] as number,
        quiet: flags.quiet === true,
        json: flags.json === true,
      });
      result.exitCode = interrupted ? ExitCode.interrupted : summary.failed > 0 ? ExitCode.partial : ExitCode.ok;
    });

  program
    .command("sync")
    .argument("<entryType>", "the entry type to follow (apiName, name or id)")
    .description(
      "what changed since the last run (from DealCloud's history), as NDJSON; the checkpoint kept in --state",
    )
    .requiredOption("--state <file>", "the checkpoint of the last run (JSON); missing on the first run: a full export")
    .option("--out <file>", "write the changes to FILE (temp file, fsync, rename) instead of stdout")
    .option("--fields <fields>", "only these fields in each row, comma-separated", list)
    .addOption(
      new Option("--resolve <how>", "choice, reference and user values as names or ids")
        .choices(["name", "id"])
        .default("name"),
    )
    .addOption(
      new Option("--on-stale <what>", "a state older than history's 180 days: fail (error) or export everything (full)")
        .choices(["error", "full"])
        .default("error"),
    )
    .option(
      "--overlap <seconds>",
      "how far before the last run's start to read history again (history can lag by minutes)",
      integer("--overlap"),
      600,
    )
    .option(
      "--concurrency <n>",
      "row requests in flight (pages ahead, or chunks of 1,000 changed ids), 1 to 16",
      integer("--concurrency"),
      4,
    )
    .addHelpText("after", SYNC_HELP)
    .action(async (entryType: string, _options, command: Command) => {
      const flags = globals(command);
      const { runSync } = await import("./commands/sync.js");
      await runSync(io, await connectFor(io, flags), entryType, {
        state: flags["state"] as string,
        out: flags["out"] as string | undefined,
        fields: flags["fields"] as string[] | undefined,
        resolve: flags["resolve"] as "name" | "id",
        onStale: flags["onStale"] as "error" | "full",
        overlapSeconds: flags["overlap"] as number,
        concurrency: flags["concurrency"] as number,
        quiet: flags.quiet === true,
        json: flags.json === true,
      });
    });

  program
    .command("events")
    .description("print Publications events as NDJSON until Ctrl-C, acknowledging each once printed")
    .option("--topic <topics>", "the topics to follow, comma-separated or repeated, e.g. default-data", list)
    .option(
      "--checkpoint <file>",
      "keep the last printed offset per topic in FILE, so a restart prints each later event once",
    )
    .option("--count <n>", "events one poll waits for, 1 to 10000", integer("--count"), 100)
    .option("--poll-timeout <seconds>", "how long one poll waits for them, 1 to 240", integer("--poll-timeout"), 60)
    .addOption(
      new Option(
        "--session-start <when>",
        "wait for an earlier session to expire first, or poll at once (default: at once with a checkpoint)",
      ).choices(["await-expiry", "immediate"]),
    )
    .addHelpText("after", EVENTS_HELP)
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const { runEvents } = await import("./commands/events.js");
      result.exitCode = await runEvents(io, await connectFor(io, flags), {
        topic: (flags["topic"] as string[] | undefined) ?? [],
        checkpoint: flags["checkpoint"] as string | undefined,
        count: flags["count"] as number,
        pollTimeout: flags["pollTimeout"] as number,
        sessionStart: flags["sessionStart"] as "await-expiry" | "immediate" | undefined,
        quiet: flags.quiet === true,
      });
    });

  program
    .command("typegen")
    .description("write the site's row types (one Row, Create and Update type per entry type, and SiteTypes)")
    .requiredOption("--out <file>", "the TypeScript file to write (atomically), or - for stdout")
    .addHelpText(
      "after",
      "\nUse the types with createSite(dc).typed<SiteTypes>() from @dealcloud-ts/site.\n\nExamples:\n  dealcloud typegen --out src/dealcloud-site.ts\n  dealcloud typegen --out - | less",
    )
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const { runTypegen } = await import("./commands/typegen.js");
      await runTypegen(io, await connectFor(io, flags), {
        out: flags["out"] as string,
        quiet: flags.quiet === true,
        json: flags.json === true,
      });
    });

  program
    .command("mock")
    .description("serve the in-memory mock DealCloud site on loopback until Ctrl-C (client id 106, secret 1356GYNU)")
    .option("--port <n>", "TCP port (0 picks a free one)", integer("--port"), 0)
    .option("--host <host>", "interface to bind", "127.0.0.1")
    .option("--seed <counts>", "generated rows per entry type, e.g. company=100000,contact=5000 (repeatable)", list)
    .option("--no-sample-entries", "leave out the handful of sample entries")
    .addOption(
      new Option("--row-errors <how>", "how writes answer bad rows: a 400 for the batch, or per-row errors")
        .choices(["batch", "per-row"])
        .default("batch"),
    )
    .option("--sandbox", "apply the UAT/sandbox token limit (60 a minute)")
    .option("--control", "add the /__mock/ control API")
    .addHelpText(
      "after",
      '\nThe first stdout line is the URL (with --json: {"url", "clientId"}).\n\nExamples:\n  dealcloud mock --seed company=100000 --port 4010\n  DEALCLOUD_SITE=http://127.0.0.1:4010 DEALCLOUD_CLIENT_ID=106 DEALCLOUD_CLIENT_SECRET=1356GYNU dealcloud schema',
    )
    .action(async (_options, command: Command) => {
      const flags = globals(command);
      const { runMock } = await import("./commands/mock.js");
      await runMock(io, {
        port: flags["port"] as number,
        host: flags["host"] as string,
        seed: (flags["seed"] as string[] | undefined) ?? [],
        sampleEntries: flags["sampleEntries"] !== false,
        rowErrors: flags["rowErrors"] as "batch" | "per-row",
        sandbox: flags["sandbox"] === true,
        control: flags["control"] === true,
        json: flags.json === true,
      });
    });
  return program;
}

/** Codes of SDK errors that mean bad input (exit 2) rather than a failure of the site or the network. */
const USAGE_CODES = new Set([
  "INVALID_BASE_URL",
  "UNKNOWN_SCOPE",
  "EMPTY_SCOPES",
  "INVALID_OPTION",
  "INVALID_ARGUMENT",
]);

/**
 * Runs the `dealcloud` command line with `argv` (the arguments after the program name) on `io`; resolves with the
 * exit code. Errors are printed as one line on stderr, never with the secret or the error object.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const result = { exitCode: ExitCode.ok as number };
  const program = buildProgram(io, result);
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.usage;
    }
    await program.parseAsync([...argv], { from: "user" });
    return result.exitCode;
  } catch (error) {
    return reportError(io, error);
  }
}

function reportError(io: CliIo, error: unknown): number {
  if (error instanceof CommanderError) {
    if (["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code)) return ExitCode.ok;
    // commander has printed its message (and a suggestion) already.
    return ExitCode.usage;
  }
  if (io.signal.aborted) {
    io.stderr.write("dealcloud: interrupted\n");
    return ExitCode.interrupted;
  }
  const code = error instanceof DealCloudError ? error.code : (error as NodeJS.ErrnoException)?.code;
  if (code === "EPIPE") return ExitCode.ok; // the reader of stdout stopped (e.g. | head): not our failure
  const message = (error as Error)?.message ?? String(error);
  io.stderr.write(`dealcloud: ${message}\n`);
  return error instanceof UsageError || (code !== undefined && USAGE_CODES.has(code))
    ? ExitCode.usage
    : ExitCode.failure;
}
