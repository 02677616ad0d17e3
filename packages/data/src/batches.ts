// Cutting an input into requests: items that must travel together (rows linked by negative ids, one entry's
// cells) form a group; groups are packed, in input order, into batches within a request's limits.
import { InvalidArgumentError } from "./write-errors.js";

/** What one request may carry. */
export interface BatchLimits {
  /** Items (rows, entries' cells, ids) per request. */
  readonly items: number;
  /** Cells per request. */
  readonly cells: number;
}

/** A batch: its groups, each a list of input indices in input order. */
export type Batch = readonly (readonly number[])[];

/**
 * Groups the indices `0…count-1` so that two items sharing a key land in one group (a union-find over keys).
 * Groups come in the order of their first item; within a group, items keep their input order.
 */
export function groupByKeys(count: number, keysOf: (index: number) => Iterable<string | number>): number[][] {
  const parent = Array.from({ length: count }, (_, index) => index);
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!;
    return index;
  };
  const owner = new Map<string | number, number>();
  for (let index = 0; index < count; index++) {
    for (const key of keysOf(index)) {
      const other = owner.get(key);
      if (other === undefined) owner.set(key, index);
      else {
        // The smaller index becomes the root, so a group is placed where its first item was.
        const [a, b] = [root(index), root(other)];
        if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
      }
    }
  }
  const groups = new Map<number, number[]>();
  for (let index = 0; index < count; index++) {
    const top = root(index);
    const group = groups.get(top);
    if (group) group.push(index);
    else groups.set(top, [index]);
  }
  return [...groups.values()];
}

/**
 * Packs groups, in order, into batches of at most `limits.items` items and `limits.cells` cells. A group that
 * cannot fit in one request is refused before anything is sent: splitting it would break its links.
 */
export function packBatches(
  groups: readonly (readonly number[])[],
  cellsOf: (index: number) => number,
  limits: BatchLimits,
  what: string,
): Batch[] {
  const batches: Batch[] = [];
  let current: (readonly number[])[] = [];
  let items = 0;
  let cells = 0;
  for (const group of groups) {
    const groupCells = group.reduce((sum, index) => sum + cellsOf(index), 0);
    if (group.length > limits.items || groupCells > limits.cells)
      throw new InvalidArgumentError(
        `${what} ${group[0]} and the ${group.length - 1} linked to it hold ${group.length} items and ${groupCells} cells: one request takes at most ${limits.items} and ${limits.cells}. Link fewer together.`,
      );
    if (current.length > 0 && (items + group.length > limits.items || cells + groupCells > limits.cells)) {
      batches.push(current);
      current = [];
      items = 0;
      cells = 0;
    }
    current.push(group);
    items += group.length;
    cells += groupCells;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
