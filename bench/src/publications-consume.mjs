import { pathToFileURL } from "node:url";
import { createApiClient } from "@dealcloud-ts/client";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { serveMockDealCloud } from "@dealcloud-ts/mock/server";
import { createPublicationsClient } from "@dealcloud-ts/publications";
import { consumePublications } from "@dealcloud-ts/publications/consumer";
import { fmt, median, mergeAloneRun, ratio, table } from "./report.mjs";

const TITLE = "Publications: events per second through consumePublications";
const EVENTS = 20_000;
const TOPIC = "default-data";
const ROUNDS = 3;

/** Just the Data rows write, to make events (one `default-data` event per write). */
const dataWrites = {
  name: "data",
  packageName: "bench",
  basePath: "/api/rest/v4/data",
  scopes: ["data"],
  operationScopes: {},
  idempotentOperations: [],
};

/** Resets the site and fills `default-data` with `EVENTS` events, in process (not timed). */
async function fillTopic(server) {
  server.mock.reset();
  const fetch = (input, init) => server.mock.handle(new Request(input, init));
  const data = createApiClient(dataWrites, { baseUrl: server.url, ...DEFAULT_MOCK_CLIENT, fetch });
  for (let n = 0; n < EVENTS; n++) {
    const { response } = await data.POST("/entrydata/rows/{entryTypeId}", {
      params: { path: { entryTypeId: "company" } },
      body: [{ EntryId: -1, CompanyName: `Company ${n}` }],
    });
    if (response.status !== 200) throw new Error(`write ${n} answered ${response.status}`);
  }
}

/** The poll/acknowledge loop a user writes by hand with the plain client: no gap check, no checkpoint. */
async function rawLoop(client, count) {
  let seen = 0;
  while (seen < EVENTS) {
    const { data: events } = await client.POST("/poll", { body: { Topics: [TOPIC], TimeOut: 1_000, Count: count } });
    if (!events?.length) continue;
    seen += events.length;
    await client.POST("/acknowledge", { body: [{ Name: TOPIC, Offset: events.at(-1).topicOffset + 1 }] });
  }
  return seen;
}

async function consumerLoop(client, count) {
  let seen = 0;
  const events = consumePublications(client, {
    topics: [TOPIC],
    count,
    pollTimeoutMs: 1_000,
    sessionStart: "immediate",
  });
  for await (const event of events) {
    if (event.topicOffset !== seen) throw new Error(`offset ${event.topicOffset} where ${seen} was due`);
    if (++seen === EVENTS) break;
  }
  return seen;
}

export async function benchPublicationsConsume() {
  const server = await serveMockDealCloud({ port: 0, seed: { sampleEntries: false } });
  const measured = {};
  try {
    for (const count of [100, 1000]) {
      for (const [name, loop] of [
        ["raw", rawLoop],
        ["consumer", consumerLoop],
      ]) {
        const times = [];
        for (let round = 0; round < ROUNDS; round++) {
          await fillTopic(server);
          const client = createPublicationsClient({ baseUrl: server.url, ...DEFAULT_MOCK_CLIENT });
          const start = performance.now();
          const seen = await loop(client, count);
          times.push((performance.now() - start) / 1000);
          if (seen !== EVENTS) throw new Error(`${name}: ${seen} events`);
        }
        const seconds = median(times);
        measured[`${name}${count}`] = { count, seconds, rounds: times, eventsPerSecond: EVENTS / seconds };
      }
    }
  } finally {
    await server.close();
  }
  const rows = [100, 1000].flatMap((count) =>
    [
      ["raw", "hand-written poll/acknowledge loop (plain client)"],
      ["consumer", "`consumePublications` (auto acks, gap checks, in-memory checkpoint)"],
    ].map(([name, label]) => {
      const figures = measured[`${name}${count}`];
      return {
        loop: label,
        Count: fmt(count),
        seconds: fmt(figures.seconds, 2),
        "events/s": fmt(figures.eventsPerSecond),
        "consumer / raw (time)": ratio(figures.seconds, measured[`raw${count}`].seconds),
      };
    }),
  );
  table(TITLE, rows, [
    `\`serveMockDealCloud\` in the same process over loopback HTTP; before each run the site is reset and \`default-data\` filled with ${fmt(EVENTS)} events (one per Data write, not timed). Each loop reads all ${fmt(EVENTS)} events through \`createPublicationsClient\` (polls with \`TimeOut\` 1,000 ms and the given \`Count\`, one acknowledge call per poll); the consumer also checks that every offset follows the one before. Median of ${ROUNDS} runs each.`,
  ]);
  return measured;
}

// Alone: merge into the last full run's results and page rather than rewriting them.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href)
  mergeAloneRun("publicationsConsume", await benchPublicationsConsume(), TITLE);
