// `dealcloud events --topic default-data`: Publications events as NDJSON on stdout until Ctrl-C
// (consumePublications), each acknowledged once printed; the checkpoint file, when given, records the last event
// printed per topic, so a restart prints every later event exactly once.
import { readFileSync } from "node:fs";
import { publications } from "@dealcloud-ts/publications";
import { type CheckpointStore, type ConsumerProgress, consumePublications } from "@dealcloud-ts/publications/consumer";
import { createDealCloud } from "@dealcloud-ts/client";
import type { Connection } from "../connect.js";
import { UsageError } from "../errors.js";
import { type CliIo, counted, note } from "../io.js";
import { streamSink, writeFileAtomic } from "../sink.js";

/** The flags of `events`. */
export interface EventsFlags {
  readonly topic: readonly string[];
  readonly checkpoint?: string | undefined;
  readonly count: number;
  readonly pollTimeout: number;
  readonly sessionStart?: "await-expiry" | "immediate" | undefined;
  readonly quiet: boolean;
}

/** A checkpoint store in a JSON file `{ "topic": offset }`, rewritten atomically (temp, fsync, rename) on each set. */
function fileCheckpoint(path: string): CheckpointStore {
  let offsets: Record<string, number> = {};
  try {
    offsets = JSON.parse(readFileSync(path, "utf8")) as Record<string, number>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new UsageError(
        `The checkpoint file ${path} cannot be read as JSON {"topic": offset}: ${(error as Error).message}`,
      );
  }
  if (typeof offsets !== "object" || offsets === null || Object.values(offsets).some((v) => !Number.isInteger(v)))
    throw new UsageError(`The checkpoint file ${path} must hold {"topic": offset, …} with integer offsets.`);
  return {
    get: (topic) => offsets[topic],
    set: async (topic, offset) => {
      offsets = { ...offsets, [topic]: offset };
      await writeFileAtomic(path, `${JSON.stringify(offsets)}\n`);
    },
  };
}

/** One line on stderr for what the consumer does that a person watching should know. */
function describe(progress: ConsumerProgress): string | undefined {
  switch (progress.type) {
    case "awaiting-new-session":
      return `events: waiting ${Math.ceil(progress.untilMs / 1000)} s for the previous session to expire (${progress.reason}); DealCloud applies acknowledgements only to a new session`;
    case "gap-accepted":
      return `events: offsets missing in ${JSON.stringify(progress.gap)}: past the topic's retention`;
    case "poll-failed":
      return `events: poll failed (${(progress.error as Error)?.message ?? String(progress.error)}); again in ${Math.ceil(progress.retryInMs / 1000)} s`;
    case "acknowledge-failed":
      return `events: acknowledgement failed (${(progress.error as Error)?.message ?? String(progress.error)})`;
    default:
      return undefined;
  }
}

export async function runEvents(io: CliIo, connection: Connection, flags: EventsFlags): Promise<number> {
  if (flags.topic.length === 0)
    throw new UsageError("Pass --topic, e.g. --topic default-data (repeat it for several).");
  if (!Number.isInteger(flags.pollTimeout) || flags.pollTimeout < 1 || flags.pollTimeout > 240)
    throw new UsageError(
      `--poll-timeout must be a whole number of seconds from 1 to 240; got ${String(flags.pollTimeout)}.`,
    );
  if (!Number.isInteger(flags.count) || flags.count < 1 || flags.count > 10_000)
    throw new UsageError(`--count must be an integer from 1 to 10000; got ${String(flags.count)}.`);
  const checkpoint = flags.checkpoint ? fileCheckpoint(flags.checkpoint) : undefined;
  const { publications: client } = createDealCloud({ tokens: connection.tokens, apis: { publications } });
  const out = streamSink(io.stdout);
  let printed = 0;
  const events = consumePublications(client, {
    topics: [...new Set(flags.topic)],
    count: flags.count,
    pollTimeoutMs: flags.pollTimeout * 1000,
    signal: io.signal,
    ...(checkpoint ? { checkpoint } : {}),
    ...(flags.sessionStart ? { sessionStart: flags.sessionStart } : {}),
    onProgress: (progress) => {
      const line = flags.quiet ? undefined : describe(progress);
      if (line) note(io, line);
    },
  });
  try {
    for await (const event of events) {
      await out.write(`${JSON.stringify(event)}\n`);
      await out.commit();
      // Printed: count it as processed now, so Ctrl-C while the next poll waits acknowledges it.
      await event.ack();
      printed++;
    }
  } catch (error) {
    // Ctrl-C is how `events` ends: the consumer has sent the acknowledgements due before rejecting.
    if (!io.signal.aborted) throw error;
  }
  if (!flags.quiet) note(io, `events: stopped after ${counted(printed, "event")}; acknowledgements sent.`);
  return 0;
}
