import { describe, expect, it } from "vitest";
import { inTopicOrder } from "../src/consumer/ledger.js";
import { createReassembler, isLargeText, markLargeTexts } from "../src/consumer/parts.js";

const envelope = (topicOffset: number, extra: Record<string, unknown> = {}) => ({
  eventId: "e1",
  modifiedAt: "2024-01-15T09:30:00Z",
  topicName: "default-data",
  topicOffset,
  entityType: "Data",
  entityFormatType: "Rows",
  modifiedById: 1,
  modifiedByUserEmail: "a@example.test",
  ...extra,
});

describe("large texts", () => {
  it("marks a value sent as { isLargeText: true } and an empty cell value flagged isLargeText", () => {
    const event = envelope(0, {
      payload: {
        entities: {
          updated: [
            {
              entryFields: [{ EntryId: 1, EntryListId: 2011, Notes: { isLargeText: true }, City: "" }],
              entryListId: 2011,
            },
            { entryFields: [{ fieldId: 5, entryId: 1, value: "", isLargeText: true }] },
          ],
        },
      },
    });
    markLargeTexts(event);
    const [rows, cells] = (event as any).payload.entities.updated;
    expect(isLargeText(rows.entryFields[0].Notes)).toBe(true);
    expect(Object.isFrozen(rows.entryFields[0].Notes)).toBe(true);
    // An empty string that DealCloud did not flag stays an empty string.
    expect(rows.entryFields[0].City).toBe("");
    expect(isLargeText(cells.entryFields[0].value)).toBe(true);
  });

  it("isLargeText is false for plain values", () => {
    for (const value of ["", "text", null, undefined, 3, { isLargeText: "yes" }, []])
      expect(isLargeText(value)).toBe(false);
  });
});

describe("split messages", () => {
  const part = (offset: number, partNumber: number, isLastPart: boolean, ids: number[]) =>
    envelope(offset, {
      partNumber,
      isLastPart,
      payload: { entities: { created: [{ entries: ids.map((entryId) => ({ entryId })), entryListId: 2011 }] } },
    });

  it("passes whole events through and joins parts at the last part's offset", () => {
    const parts = createReassembler();
    expect(parts.add(envelope(0) as never)?.firstOffset).toBe(0);
    expect(parts.add(part(1, 1, false, [1, 2]) as never)).toBeUndefined();
    expect(parts.heldFrom("default-data")).toBe(1);
    expect(parts.add(part(2, 2, false, [3]) as never)).toBeUndefined();
    const joined = parts.add(part(3, 3, true, [4]) as never)!;
    expect(joined.firstOffset).toBe(1);
    expect(joined.event).toMatchObject({ topicOffset: 3, isLastPart: true, partNumber: 3 });
    expect((joined.event.payload.entities as any).created).toEqual([
      { entries: [1, 2, 3, 4].map((entryId) => ({ entryId })), entryListId: 2011 },
    ]);
    expect(parts.heldFrom("default-data")).toBeUndefined();
  });

  it("keeps items of different objects apart when joining", () => {
    const parts = createReassembler();
    parts.add(part(0, 1, false, [1]) as never);
    const last = envelope(1, {
      partNumber: 2,
      isLastPart: true,
      payload: { entities: { created: [{ entries: [{ entryId: 9 }], entryListId: 2012 }] } },
    });
    const joined = parts.add(last as never)!;
    expect((joined.event.payload.entities as any).created.map((item: any) => item.entryListId)).toEqual([2011, 2012]);
  });
});

describe("inTopicOrder", () => {
  const message = (topicName: string, topicOffset: number) => ({ topicName, topicOffset });
  it("leaves an ordered answer as it is, and sorts each topic within its own slots otherwise", () => {
    const ordered = [message("a", 1), message("b", 7), message("a", 2)];
    expect(inTopicOrder(ordered)).toBe(ordered);
    expect(inTopicOrder([message("a", 2), message("b", 7), message("a", 1), message("b", 6)])).toEqual([
      message("a", 1),
      message("b", 6),
      message("a", 2),
      message("b", 7),
    ]);
  });
});
