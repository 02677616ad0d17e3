import type { PublicationEvent } from "../generated/openapi.js";

/**
 * A text value DealCloud did not send: values over 10,000 characters come as `isLargeText: true` without the
 * text (catalogue §6.1). The consumer puts this marker where the value would be, so a long text never reads as
 * an empty string; read the value itself through the Data API (the event gives the entry and field).
 */
export interface LargeText {
  /** Always true: the value was too long to be sent in the event. */
  readonly isLargeText: true;
}

/**
 * Whether an event value is the {@link LargeText} marker, narrowing it.
 *
 * @example
 * ```ts
 * import { isLargeText } from "@dealcloud-ts/publications/consumer";
 *
 * declare const value: unknown; // e.g. row.Description of an updated row
 * const text = isLargeText(value) ? "(longer than 10,000 characters: read it through the Data API)" : value;
 * ```
 */
export function isLargeText(value: unknown): value is LargeText {
  return typeof value === "object" && value !== null && (value as { isLargeText?: unknown }).isLargeText === true;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Replaces every large-text value of the event's payload by a frozen {@link LargeText} marker, in the two places
 * it may sit (the samples do not show which): as the value itself (`{ isLargeText: true }`), or as a flag beside
 * an empty cell value (`{ fieldId, entryId, value: "", isLargeText: true }`).
 */
export function markLargeTexts(event: Json): void {
  const entities = (event.payload as Json | undefined)?.entities;
  if (!isObject(entities)) return;
  for (const items of Object.values(entities)) {
    if (!Array.isArray(items)) continue;
    for (const item of items) {
      if (!isObject(item)) continue;
      for (const list of Object.values(item)) if (Array.isArray(list)) for (const element of list) markIn(element);
    }
  }
}

function markIn(element: unknown): void {
  if (!isObject(element)) return;
  for (const key in element) {
    const value = element[key];
    if (isLargeText(value)) element[key] = Object.freeze({ ...value, isLargeText: true });
  }
  if (element.isLargeText === true && "value" in element && !isLargeText(element.value)) {
    element.value = Object.freeze({ isLargeText: true });
  }
}

/** A message as polled: an event, or one part of a split one (`isLastPart: false` on all parts but the last). */
type Message = Json & { topicName: string; topicOffset: number };

/**
 * Puts split messages back together, one topic at a time (parts of one event arrive in offset order in their
 * topic). A whole event passes straight through; parts are held until the last one arrives and then come out as
 * one event: the first part's envelope, every part's entities joined, and the last part's `topicOffset` (so
 * "acknowledge `topicOffset` + 1" still holds). `firstOffset` is where the event began in the topic.
 */
export function createReassembler() {
  const held = new Map<string, Message[]>();
  return {
    /** The complete event this message finishes, or undefined while parts are missing. */
    add(message: Message): { event: PublicationEvent; firstOffset: number } | undefined {
      const parts = held.get(message.topicName);
      if (message.isLastPart === false) {
        if (parts) parts.push(message);
        else held.set(message.topicName, [message]);
        return undefined;
      }
      if (!parts) return { event: message as unknown as PublicationEvent, firstOffset: message.topicOffset };
      held.delete(message.topicName);
      parts.push(message);
      return { event: joinParts(parts), firstOffset: parts[0]!.topicOffset };
    },
    /** The offset of the first held part of `topic`: the acknowledgement must not pass it. */
    heldFrom(topic: string): number | undefined {
      return held.get(topic)?.[0]?.topicOffset;
    },
    /** Forgets the held parts of `topic` (the server is delivering it again from an earlier offset). */
    drop(topic: string): void {
      held.delete(topic);
    },
  };
}

function joinParts(parts: readonly Message[]): PublicationEvent {
  const first = parts[0]!;
  const last = parts.at(-1)!;
  const entities: Record<string, Json[]> = {};
  for (const part of parts) {
    const partEntities = (part.payload as Json | undefined)?.entities;
    if (!isObject(partEntities)) continue;
    for (const [kind, items] of Object.entries(partEntities)) {
      if (!Array.isArray(items)) continue;
      const joined = (entities[kind] ??= []);
      for (const item of items) appendItem(joined, item);
    }
  }
  const { isLastPart: _, partNumber: __, ...envelope } = first;
  return {
    ...envelope,
    topicOffset: last.topicOffset,
    isLastPart: true,
    ...(last.partNumber === undefined ? {} : { partNumber: last.partNumber }),
    payload: { ...(first.payload as Json), entities },
  } as unknown as PublicationEvent;
}

/** Appends `item`, or joins its lists into the previous item when it is the continuation of that one. */
function appendItem(items: Json[], item: unknown): void {
  if (!isObject(item)) return;
  const previous = items.at(-1);
  if (previous && continues(previous, item)) {
    for (const [key, value] of Object.entries(item))
      if (Array.isArray(value)) previous[key] = [...(previous[key] as unknown[]), ...value];
  } else items.push({ ...item });
}

/** Same keys, same scalar values (e.g. `entryListId`), lists under the same keys: one item cut in two. */
function continues(previous: Json, item: Json): boolean {
  const keys = Object.keys(item);
  if (keys.length !== Object.keys(previous).length) return false;
  return keys.every((key) =>
    Array.isArray(item[key]) ? Array.isArray(previous[key]) : key in previous && previous[key] === item[key],
  );
}
