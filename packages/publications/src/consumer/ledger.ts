import type { PublicationEvent } from "../generated/openapi.js";
import { createReassembler } from "./parts.js";

/** A message as polled, with the two keys the consumer relies on. */
export type Message = Record<string, unknown> & { topicName: string; topicOffset: number };

/** Offsets a poll answer skipped in a topic: the server's read position passed events this consumer never got. */
export interface Gap {
  /** The topic. */
  readonly topic: string;
  /** The offset the consumer expected next (at most). */
  readonly expected: number;
  /** The offset that came instead. */
  readonly received: number;
}

/** An event ready to be handed out, with the topic offsets it spans (several for a reassembled split event). */
export interface Ready {
  readonly event: PublicationEvent;
  readonly topic: string;
  readonly firstOffset: number;
  readonly lastOffset: number;
}

interface TopicState {
  /** The highest offset the next message may have in this session (last received + 1, or checkpoint + 1). */
  next: number | undefined;
  /** The last offset of the events processed without a hole (from the checkpoint store, then as events are processed). */
  processed: number | undefined;
  /** The last offset handed out: messages up to it are duplicates. */
  delivered: number | undefined;
  /** Handed out and not processed yet: first offset → last offset. */
  readonly pending: Map<number, number>;
  /** The `Offset` last acknowledged successfully (the next to read). */
  acked: number | undefined;
}

/**
 * The per-topic offset book of one consumer: which polled messages are duplicates, where a poll answer skipped
 * events (a gap), what was handed out and processed, and which acknowledgement is due. Knows no HTTP.
 */
export function createLedger(topics: readonly string[]) {
  const states = new Map<string, TopicState>(
    topics.map((topic) => [
      topic,
      { next: undefined, processed: undefined, delivered: undefined, pending: new Map(), acked: undefined },
    ]),
  );
  const parts = createReassembler();
  const stateOf = (topic: string) => states.get(topic);
  const atOrBelow = (offset: number, limit: number | undefined) => limit !== undefined && offset <= limit;

  return {
    /** Starts from a checkpoint: events up to `offset` were processed by an earlier consumer. */
    restore(topic: string, offset: number): void {
      const state = stateOf(topic)!;
      state.processed = offset;
      state.next = offset + 1;
    },

    /** The first gap in `messages` (in the order polled), or undefined when every topic continues without a hole. */
    findGap(messages: readonly Message[]): Gap | undefined {
      const next = new Map([...states].map(([topic, state]) => [topic, state.next]));
      for (const { topicName, topicOffset } of messages) {
        const expected = next.get(topicName);
        if (expected !== undefined && topicOffset > expected)
          return { topic: topicName, expected, received: topicOffset };
        next.set(topicName, topicOffset + 1);
      }
      return undefined;
    },

    /** Accepts a gap as a hole in the topic (events expired or never there): the topic continues after it. */
    skipGap(gap: Gap): void {
      const state = stateOf(gap.topic)!;
      state.next = gap.received;
      // The hole counts as handed out, and as processed once nothing before it waits, or the acknowledgement and
      // checkpoint could never pass it.
      state.delivered = Math.max(state.delivered ?? -1, gap.received - 1);
      if (state.pending.size === 0 && parts.heldFrom(gap.topic) === undefined) {
        state.processed = Math.max(state.processed ?? -1, gap.received - 1);
      }
    },

    /**
     * Takes a gap-free poll answer: drops what was already handed out or processed, joins split messages, and
     * returns the events to hand out, in order, with how many messages were duplicates.
     */
    take(messages: readonly Message[]): { ready: Ready[]; duplicates: number } {
      const ready: Ready[] = [];
      let duplicates = 0;
      for (const message of messages) {
        const state = stateOf(message.topicName);
        if (!state) continue;
        const offset = message.topicOffset;
        // An offset below the expected one means the server started a new session from an earlier position.
        if (state.next !== undefined && offset < state.next) parts.drop(message.topicName);
        state.next = offset + 1;
        if (atOrBelow(offset, state.delivered) || atOrBelow(offset, state.processed)) {
          duplicates++;
          continue;
        }
        const complete = parts.add(message);
        if (!complete) continue;
        state.delivered = offset;
        state.pending.set(complete.firstOffset, offset);
        ready.push({
          event: complete.event,
          topic: message.topicName,
          firstOffset: complete.firstOffset,
          lastOffset: offset,
        });
      }
      return { ready, duplicates };
    },

    /**
     * Marks a handed-out event processed; returns the topic's new processed offset when the run of processed
     * events grew (what the checkpoint store records), else undefined.
     */
    processed(item: Ready): number | undefined {
      const state = stateOf(item.topic)!;
      if (!state.pending.delete(item.firstOffset)) return undefined;
      const before = state.processed;
      const after = safeNext(item.topic, state) - 1;
      if (before !== undefined && after <= before) return undefined;
      state.processed = after;
      return after;
    },

    /** The acknowledgements due: per topic, the next offset to read once everything before it is processed. */
    due(): { Name: string; Offset: number }[] {
      const offsets: { Name: string; Offset: number }[] = [];
      for (const [topic, state] of states) {
        if (state.processed === undefined && state.delivered === undefined) continue;
        const offset = safeNext(topic, state);
        if (offset > 0 && (state.acked === undefined || offset > state.acked))
          offsets.push({ Name: topic, Offset: offset });
      }
      return offsets;
    },

    /** Records acknowledgements the server accepted. */
    acknowledged(offsets: readonly { Name: string; Offset: number }[]): void {
      for (const { Name, Offset } of offsets) stateOf(Name)!.acked = Offset;
    },

    /** Whether the offset each of `topics` must continue from is known, so a skipped event would show as a gap. */
    expectsNext(names: readonly string[]): boolean {
      return names.every((topic) => stateOf(topic)?.next !== undefined);
    },

    /** Whether every topic has a processed offset (from the checkpoint store or this consumer). */
    knowsEveryTopic(): boolean {
      return [...states.values()].every((state) => state.processed !== undefined);
    },
  };

  /** The next offset to read once everything processed is behind: below the first unprocessed or held message. */
  function safeNext(topic: string, state: TopicState): number {
    let lowest = parts.heldFrom(topic);
    for (const first of state.pending.keys()) if (lowest === undefined || first < lowest) lowest = first;
    if (lowest !== undefined) return lowest;
    return Math.max(state.processed ?? -1, state.delivered ?? -1) + 1;
  }
}

/**
 * The answer with each topic's messages in offset order, in the slots the topic had (so topics stay interleaved as
 * polled). DealCloud's samples show them in order; a message out of order would otherwise read as a redelivery.
 */
export function inTopicOrder(messages: Message[]): Message[] {
  const last = new Map<string, number>();
  let ordered = true;
  for (const { topicName, topicOffset } of messages) {
    if (topicOffset < (last.get(topicName) ?? -1)) ordered = false;
    last.set(topicName, topicOffset);
  }
  if (ordered) return messages;
  const byTopic = new Map<string, Message[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topicName);
    if (list) list.push(message);
    else byTopic.set(message.topicName, [message]);
  }
  for (const list of byTopic.values()) list.sort((a, b) => a.topicOffset - b.topicOffset);
  return messages.map((message) => byTopic.get(message.topicName)!.shift()!);
}

/** One consumer's offset book. */
export type Ledger = ReturnType<typeof createLedger>;
