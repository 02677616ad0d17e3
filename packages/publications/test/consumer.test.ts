import { AbortedError, createDealCloud, InvalidOptionError } from "@dealcloud-ts/client";
import { DEFAULT_MOCK_CLIENT } from "@dealcloud-ts/mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type ConsumedEvent,
  type ConsumerProgress,
  consumePublications,
  createMemoryCheckpointStore,
  isLargeText,
  PublicationsConsumerError,
} from "../src/consumer/index.js";
import { createPublicationsClient, publications } from "../src/index.js";
import { BASE_URL, consumerSite, drive, range } from "./consumer-site.js";

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
});
afterEach(() => {
  vi.useRealTimers();
});

const FAST = { topics: ["default-data"], count: 50, pollTimeoutMs: 5_000 } as const;

/** Takes `n` events from a consumer and leaves it as a crashed process would: no `return`, nothing flushed. */
async function takeAndDrop(events: AsyncGenerator<ConsumedEvent>, n: number, manual = false): Promise<number[]> {
  const offsets: number[] = [];
  while (offsets.length < n) {
    const next = await drive(events.next());
    if (next.done) break;
    offsets.push(next.value.topicOffset);
    if (manual) await next.value.ack();
  }
  return offsets;
}

/** Reads events until `until` offsets were seen, then breaks out of the loop. */
async function collect(events: AsyncIterable<ConsumedEvent>, until: number): Promise<number[]> {
  const offsets: number[] = [];
  for await (const event of events) {
    offsets.push(event.topicOffset);
    if (offsets.length >= until) break;
  }
  return offsets;
}

/** Each topic's acknowledged offsets only ever grow: nothing is acknowledged twice. */
function expectNoDuplicateAcknowledgement(acknowledged: number[]) {
  for (let index = 1; index < acknowledged.length; index++)
    expect(acknowledged[index]!).toBeGreaterThan(acknowledged[index - 1]!);
}

describe("consumePublications: delivery", () => {
  it("delivers 1,000 Data writes made while it runs, in topic-offset order, none lost, with typed payloads", async () => {
    const site = consumerSite();
    const entryIds: number[] = [];
    const reading = (async () => {
      const offsets: number[] = [];
      for await (const event of consumePublications(site.client, { ...FAST, sessionStart: "immediate" })) {
        offsets.push(event.topicOffset);
        // Narrowing on entityType types the payload: no casts.
        if (event.entityType === "Data")
          for (const item of event.payload.entities.created ?? []) entryIds.push(...item.entries.map((e) => e.entryId));
        if (offsets.length === 1_000) break;
      }
      return offsets;
    })();
    for (let write = 0; write < 1_000; write++) {
      await site.writeCompanies();
      if (write % 25 === 0) await vi.advanceTimersByTimeAsync(200);
    }
    const offsets = await drive(reading);
    expect(offsets).toEqual(range(0, 1_000));
    expect(new Set(entryIds).size).toBe(1_000);
    // Acknowledged batch by batch, one call per poll, each offset + 1 of the last processed event.
    expect(site.acknowledgements.every((call) => call.length === 1)).toBe(true);
    expectNoDuplicateAcknowledgement(site.acknowledged());
    expect(site.acknowledged().at(-1)).toBe(999); // the held event (999) was not processed: break leaves it
  });

  it("with a checkpoint store, a consumer restarted within 5 minutes of a crash hands out event 401 onward exactly once", async () => {
    const site = consumerSite();
    for (let write = 0; write < 1_000; write++) await site.writeCompanies();
    const checkpoint = createMemoryCheckpointStore();
    const options = { topics: ["default-data"], count: 128, pollTimeoutMs: 5_000, checkpoint, ack: "manual" } as const;
    // The first consumer polls 512 events (4 polls of 128), processes 400 and dies without acknowledging more.
    const first = await takeAndDrop(
      consumePublications(site.client, { ...options, sessionStart: "immediate" }),
      400,
      true,
    );
    expect(first).toEqual(range(0, 400));
    expect(checkpoint.get("default-data")).toBe(399);
    await vi.advanceTimersByTimeAsync(60_000);

    const progress: ConsumerProgress[] = [];
    const second = await drive(
      collect(consumePublications(site.client, { ...options, onProgress: (p) => progress.push(p) }), 600),
    );
    expect(second).toEqual(range(400, 1_000));
    // The old session was still alive and past offset 511: the consumer saw the gap and waited for a new session.
    expect(progress).toContainEqual(
      expect.objectContaining({
        type: "awaiting-new-session",
        reason: "gap",
        gap: { topic: "default-data", expected: 400, received: 512 },
      }),
    );
    expectNoDuplicateAcknowledgement(site.acknowledged());
  });

  it("without a checkpoint store, a restarted consumer waits out the old session and gets the documented redelivery", async () => {
    const site = consumerSite();
    for (let write = 0; write < 1_000; write++) await site.writeCompanies();
    const options = { topics: ["default-data"], count: 128, pollTimeoutMs: 5_000 } as const;
    const first = await takeAndDrop(consumePublications(site.client, options), 400);
    expect(first).toEqual(range(0, 400));
    // Its last acknowledge call (before its 4th poll) said 384: events 384-399 were processed after it.
    expect(site.acknowledged().at(-1)).toBe(384);
    await vi.advanceTimersByTimeAsync(60_000);
    const second = await drive(collect(consumePublications(site.client, options), 616));
    // At-least-once: events since the last acknowledgement come again, none is skipped.
    expect(second).toEqual(range(384, 1_000));
  });

  it("resumes after the server drops its session, handing out every event once", async () => {
    const site = consumerSite();
    for (let write = 0; write < 300; write++) await site.writeCompanies();
    // The third poll finds its session gone: it starts again from the acknowledged offset.
    site.mock.faults.add({ route: "publications", operation: "POST /poll", endSession: true });
    const progress: ConsumerProgress[] = [];
    const offsets = await drive(
      collect(
        consumePublications(site.client, { ...FAST, sessionStart: "immediate", onProgress: (p) => progress.push(p) }),
        300,
      ),
    );
    expect(offsets).toEqual(range(0, 300));
  });
});

describe("consumePublications: failures mid-poll", () => {
  it("5xx answers, also ones sent after the server took the events: none lost, none twice, no acknowledgement twice", async () => {
    const site = consumerSite();
    for (let write = 0; write < 200; write++) await site.writeCompanies();
    site.mock.faults.add({ route: "publications", operation: "POST /poll", status: 503, times: 2 });
    const events = consumePublications(site.client, { ...FAST, sessionStart: "immediate" });
    const reading = collect(events, 200);
    await vi.advanceTimersByTimeAsync(1);
    // An answer lost after the session moved past 50 events: the client's retry gets the next 50.
    site.mock.faults.add({ route: "publications", operation: "POST /poll", status: 502, handleFirst: true });
    expect(await drive(reading)).toEqual(range(0, 200));
    expectNoDuplicateAcknowledgement(site.acknowledged());
  });

  it("a poll that times out after the server took the events: none lost, none twice", async () => {
    const site = consumerSite();
    for (let write = 0; write < 120; write++) await site.writeCompanies();
    const progress: ConsumerProgress[] = [];
    const events = consumePublications(site.client, {
      ...FAST,
      sessionStart: "immediate",
      onProgress: (p) => progress.push(p),
    });
    const first = await drive(events.next());
    // The second poll is handled, then held for 100 s: the client gives up at TimeOut + 15 s.
    site.mock.faults.add({
      route: "publications",
      operation: "POST /poll",
      handleFirst: true,
      delayMs: 100_000,
      dropConnection: true,
    });
    const rest = await drive(collect(events, 119));
    expect([first.value?.topicOffset, ...rest]).toEqual(range(0, 120));
    // The consumer polled again at once and saw offsets 100… where 50 was due: it waited for a new session.
    expect(progress).toContainEqual(
      expect.objectContaining({
        type: "awaiting-new-session",
        reason: "gap",
        gap: { topic: "default-data", expected: 50, received: 100 },
      }),
    );
    expectNoDuplicateAcknowledgement(site.acknowledged());
  });

  it("a failed first poll, whose events could not be checked, makes the consumer wait for a new session", async () => {
    const site = consumerSite();
    for (let write = 0; write < 80; write++) await site.writeCompanies();
    site.mock.faults.add({ route: "publications", operation: "POST /poll", status: 504, handleFirst: true });
    const progress: ConsumerProgress[] = [];
    const options = {
      ...FAST,
      sessionStart: "immediate",
      onProgress: (p: ConsumerProgress) => progress.push(p),
    } as const;
    expect(await drive(collect(consumePublications(site.client, options), 80))).toEqual(range(0, 80));
    expect(progress).toContainEqual(expect.objectContaining({ type: "awaiting-new-session", reason: "lost-answer" }));
  });

  it("keeps polling through failures the client gave up on, and rethrows after maxPollFailures", async () => {
    const site = consumerSite();
    await site.writeCompanies();
    site.mock.faults.add({ route: "publications", operation: "POST /poll", status: 500, times: 3 * 3 });
    const progress: ConsumerProgress[] = [];
    const events = consumePublications(site.client, {
      ...FAST,
      sessionStart: "immediate",
      maxPollFailures: 2,
      onProgress: (p) => progress.push(p),
    });
    await expect(drive(events.next())).rejects.toMatchObject({ name: "InternalServerError", status: 500 });
    expect(progress.filter((p) => p.type === "poll-failed")).toHaveLength(2);
  });
});

describe("consumePublications: client forms", () => {
  it("takes a throwing client and a createDealCloud client alike", async () => {
    const site = consumerSite({ publications: { emptyTopics: "not-in-kafka" } });
    for (let write = 0; write < 3; write++) await site.writeCompanies();
    const fetch = (input: Request | string, init?: RequestInit) => site.mock.handle(new Request(input, init));
    const throwing = createPublicationsClient({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch, throwOnError: true });
    const dc = createDealCloud({ baseUrl: BASE_URL, ...DEFAULT_MOCK_CLIENT, fetch, apis: { publications } });
    const options = { ...FAST, topics: ["default-data", "default-users"], sessionStart: "immediate" } as const;
    expect(await drive(collect(consumePublications(throwing, options), 3))).toEqual([0, 1, 2]);
    // A new session starts from the first consumer's acknowledgement: the event it held (2) comes again.
    site.mock.faults.add({ route: "publications", operation: "POST /poll", endSession: true });
    expect(await drive(collect(consumePublications(dc.publications, options), 1))).toEqual([2]);
  });
});

describe("consumePublications: message shapes", () => {
  it("reassembles split messages into one event at the last part's offset", async () => {
    const split = consumerSite({ publications: { maxRowsPerMessage: 3 } });
    const whole = consumerSite();
    for (const site of [split, whole]) {
      await site.writeCompanies(5);
      await site.writeCompanies(1);
    }
    const options = { ...FAST, sessionStart: "immediate" } as const;
    const [splitEvents, wholeEvents] = await Promise.all([
      drive(collectEvents(consumePublications(split.client, options), 2)),
      drive(collectEvents(consumePublications(whole.client, options), 2)),
    ]);
    // 5 created entries + 5 updated rows = 10 rows: parts at offsets 0-3; the next event is at 4.
    expect(splitEvents.map((event) => event.topicOffset)).toEqual([3, 4]);
    const strip = (event: ConsumedEvent) => {
      const { eventId: _, topicOffset: __, isLastPart: ___, partNumber: ____, ...rest } = event;
      return rest;
    };
    expect(strip(splitEvents[0]!)).toEqual(strip(wholeEvents[0]!));
    expect(split.acknowledged()).toEqual([4]);
  });

  it("surfaces text over 10,000 characters as the large-text marker, never as an empty string", async () => {
    const site = consumerSite();
    await site.writeCompanies(1, { Website: "x".repeat(10_001) });
    const [event] = await drive(
      collectEvents(consumePublications(site.client, { ...FAST, sessionStart: "immediate" }), 1),
    );
    if (event?.entityType !== "Data") throw new Error("expected a Data event");
    const row = event.payload.entities.updated?.[0]?.entryFields[0] as Record<string, unknown>;
    expect(isLargeText(row.Website)).toBe(true);
    expect(row.Website).not.toBe("");
    expect(JSON.parse(JSON.stringify(event)).payload.entities.updated[0].entryFields[0].Website).toEqual({
      isLargeText: true,
    });
  });

  it("treats DealCloud's 'topic does not exist in Kafka' 400 as no events, and follows the topic once it has some", async () => {
    const site = consumerSite({ publications: { emptyTopics: "not-in-kafka" } });
    const progress: ConsumerProgress[] = [];
    const events = consumePublications(site.client, {
      ...FAST,
      topics: ["default-data", "default-schema"],
      sessionStart: "immediate",
      onProgress: (p) => progress.push(p),
    });
    const reading = collect(events, 3);
    await vi.advanceTimersByTimeAsync(12_000);
    for (let write = 0; write < 3; write++) await site.writeCompanies();
    expect(await drive(reading)).toEqual([0, 1, 2]);
    expect(progress).toContainEqual({ type: "topic-missing", topic: "default-schema" });
  });
});

async function collectEvents(events: AsyncIterable<ConsumedEvent>, until: number): Promise<ConsumedEvent[]> {
  const all: ConsumedEvent[] = [];
  for await (const event of events) {
    all.push(event);
    if (all.length >= until) break;
  }
  return all;
}

describe("consumePublications: stopping", () => {
  it("break stops polling and acknowledges what was processed, not the event held", async () => {
    const site = consumerSite();
    for (let write = 0; write < 10; write++) await site.writeCompanies();
    expect(await drive(collect(consumePublications(site.client, { ...FAST, sessionStart: "immediate" }), 7))).toEqual(
      range(0, 7),
    );
    expect(site.acknowledgements).toEqual([[{ Name: "default-data", Offset: 6 }]]);
    expect(site.polls).toHaveLength(1);
  });

  it("event.ack() before break counts the held event", async () => {
    const site = consumerSite();
    for (let write = 0; write < 10; write++) await site.writeCompanies();
    const reading = (async () => {
      for await (const event of consumePublications(site.client, { ...FAST, sessionStart: "immediate" })) {
        if (event.topicOffset === 4) {
          await event.ack();
          break;
        }
      }
    })();
    await drive(reading);
    expect(site.acknowledged()).toEqual([5]);
  });

  it("in manual mode acknowledges up to the first event not acked", async () => {
    const site = consumerSite();
    for (let write = 0; write < 6; write++) await site.writeCompanies();
    const reading = (async () => {
      for await (const event of consumePublications(site.client, {
        ...FAST,
        sessionStart: "immediate",
        ack: "manual",
      })) {
        if (event.topicOffset !== 2) await event.ack();
        if (event.topicOffset === 5) break;
      }
    })();
    await drive(reading);
    expect(site.acknowledged()).toEqual([2]);
  });

  it("the signal aborts the waiting poll, acknowledges what is due and rejects with AbortedError", async () => {
    const site = consumerSite();
    for (let write = 0; write < 3; write++) await site.writeCompanies();
    const controller = new AbortController();
    const reading = (async () => {
      for await (const event of consumePublications(site.client, {
        ...FAST,
        sessionStart: "immediate",
        signal: controller.signal,
      })) {
        if (event.topicOffset === 2) setTimeout(() => controller.abort(), 1_000);
      }
    })();
    await expect(drive(reading)).rejects.toBeInstanceOf(AbortedError);
    expect(site.acknowledged()).toEqual([3]);
  });

  it("the signal also stops the hand-out of events already polled", async () => {
    const site = consumerSite();
    for (let write = 0; write < 10; write++) await site.writeCompanies();
    const controller = new AbortController();
    const seen: number[] = [];
    const reading = (async () => {
      for await (const event of consumePublications(site.client, {
        ...FAST,
        sessionStart: "immediate",
        signal: controller.signal,
      })) {
        seen.push(event.topicOffset);
        if (event.topicOffset === 3) controller.abort();
      }
    })();
    await expect(drive(reading)).rejects.toBeInstanceOf(AbortedError);
    expect(seen).toEqual([0, 1, 2, 3]);
    // Event 3 was processed when the loop asked for the next one; the abort then stopped the hand-out.
    expect(site.acknowledged()).toEqual([4]);
  });
});

describe("consumePublications: start-up and options", () => {
  it("without a checkpoint for every topic, waits for any earlier session to expire before the first poll", async () => {
    const site = consumerSite();
    await site.writeCompanies();
    const progress: ConsumerProgress[] = [];
    const started = Date.now();
    const events = consumePublications(site.client, { ...FAST, onProgress: (p) => progress.push(p) });
    const first = await drive(events.next());
    expect(first.value?.topicOffset).toBe(0);
    expect(progress[0]).toMatchObject({ type: "awaiting-new-session", reason: "startup" });
    expect(site.polls.length).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 60_000);
    await events.return();
  });

  it("drops events at or below the checkpoint", async () => {
    const site = consumerSite();
    for (let write = 0; write < 5; write++) await site.writeCompanies();
    const checkpoint = createMemoryCheckpointStore({ "default-data": 2 });
    expect(await drive(collect(consumePublications(site.client, { ...FAST, checkpoint }), 2))).toEqual([3, 4]);
    expect(site.acknowledgements[0]).toEqual([{ Name: "default-data", Offset: 3 }]);
  });

  it("a gap that shows again in a new session (events past the 9-day retention) is reported and passed", async () => {
    const site = consumerSite();
    for (let write = 0; write < 5; write++) await site.writeCompanies();
    vi.setSystemTime(Date.now() + 10 * 86_400_000); // offsets 0-4 expire
    for (let write = 0; write < 3; write++) await site.writeCompanies();
    const checkpoint = createMemoryCheckpointStore({ "default-data": 1 });
    const progress: ConsumerProgress[] = [];
    const events = consumePublications(site.client, { ...FAST, checkpoint, onProgress: (p) => progress.push(p) });
    expect(await drive(collect(events, 3))).toEqual([5, 6, 7]);
    const gap = { topic: "default-data", expected: 2, received: 5 };
    expect(progress.filter((p) => p.type === "awaiting-new-session" || p.type === "gap-accepted")).toEqual([
      expect.objectContaining({ type: "awaiting-new-session", reason: "gap", gap }),
      { type: "gap-accepted", gap },
    ]);
    expect(checkpoint.get("default-data")).toBe(6);
  });

  it("a failing checkpoint store stops the consumer with CHECKPOINT_FAILED", async () => {
    const site = consumerSite();
    for (let write = 0; write < 3; write++) await site.writeCompanies();
    const checkpoint = {
      get: () => undefined,
      set: () => {
        throw new Error("disk full");
      },
    };
    const events = consumePublications(site.client, { ...FAST, checkpoint, sessionStart: "immediate" });
    await drive(events.next());
    const failure = await drive(events.next()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PublicationsConsumerError);
    expect(failure).toMatchObject({ code: "CHECKPOINT_FAILED", name: "PublicationsConsumerError" });
    expect(site.acknowledgements).toEqual([]);
  });

  it.each([
    ["no topics", { topics: [] }, "topics"],
    ["a repeated topic", { topics: ["a", "a"] }, "topics"],
    ["a count of 0", { topics: ["a"], count: 0 }, "count"],
    ["a poll time-out past the session expiry", { topics: ["a"], pollTimeoutMs: 300_000 }, "pollTimeoutMs"],
    ["an unknown ack mode", { topics: ["a"], ack: "later" }, "ack"],
    ["a checkpoint without set", { topics: ["a"], checkpoint: { get: () => 1 } }, "checkpoint"],
  ])("refuses %s before sending anything", (_, options, option) => {
    const site = consumerSite();
    let thrown: unknown;
    try {
      consumePublications(site.client, options as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidOptionError);
    expect(thrown).toMatchObject({ option, code: "INVALID_OPTION" });
    expect(site.polls).toEqual([]);
  });
});
