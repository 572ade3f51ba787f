/**
 * The values of a map whose keys are the positions 0 … n−1, as decimal text, held by position:
 * a persistent vector, a trie of 32-way arrays indexed by the position's bits (Bagwell and
 * Rompf, "RRB-Trees", 2011, without the relaxed nodes). The map of persistent-map.ts holds it
 * in place of its hash trie for an order index, such as `requestIds`, which lists request ids
 * by filing order (`emptyPositionalMap`).
 *
 * Why: in the hash trie, a key of an order index cost its leaf, its decimal key's own string
 * and its share of the branches, some 120 bytes of heap a filing in the exchange and in every
 * gateway (heap snapshots of the sustained run, issue 14). Held by position, a value costs its
 * slot and its share of the nodes, some 10 bytes (the nodes' arrays at their exact length,
 * spliced.ts), and the key is written only when it is read. An append copies one path, as a
 * set in the hash trie does, so every earlier version stays valid.
 *
 * The shape depends on the number of values alone: a vector of n values is the same trie
 * whatever the appends, sets and removals that made it.
 */

import { spliced } from '../spliced.ts';

const BITS = 5;
const WIDTH = 32;
const MASK = WIDTH - 1;

/** A node: at level 0 the values themselves, above it the nodes one level down. */
type PositionNode = readonly unknown[];

/** The root of a map held by position. `shift` is BITS times the levels above the values. */
export class Positions<V> {
  /** @internal the value type, for the compiler only. */
  declare readonly __value?: V;
  constructor(
    readonly shift: number,
    readonly top: PositionNode,
  ) {}
}

export function emptyPositions<V>(): Positions<V> {
  return new Positions<V>(0, []);
}

/** The position a key names: decimal digits without a leading zero, as `String(position)` writes them; else undefined. */
export function positionOfKey(key: string): number | undefined {
  if (!/^(0|[1-9][0-9]{0,14})$/.test(key)) return undefined;
  return Number(key);
}

/** How many values a trie of this shift can hold. */
const capacity = (shift: number): number => WIDTH ** (shift / BITS + 1);

export function positionsGet<V>(root: Positions<V>, size: number, position: number): V | undefined {
  if (position < 0 || position >= size) return undefined;
  let node = root.top;
  for (let shift = root.shift; shift > 0; shift -= BITS) node = node[(position >>> shift) & MASK] as PositionNode;
  return node[position & MASK] as V;
}

/** The vector with the value at `position` replaced, `position` below `size`, or appended, `position` equal to it. */
export function positionsSet<V>(root: Positions<V>, size: number, position: number, value: V): Positions<V> {
  // Full: a new level above, whose first child is the old trie and whose second `setIn` makes down to the value.
  if (position === size && size === capacity(root.shift)) return new Positions(root.shift + BITS, setIn([root.top], root.shift + BITS, position, value));
  return new Positions(root.shift, setIn(root.top, root.shift, position, value));
}

function setIn(node: PositionNode | undefined, shift: number, position: number, value: unknown): PositionNode {
  const slot = (position >>> shift) & MASK;
  const child = shift === 0 ? value : setIn(node?.[slot] as PositionNode | undefined, shift - BITS, position, value);
  // At its exact length (spliced.ts): an array given a slot past its end keeps room for half as many again.
  return spliced(node ?? [], slot, node !== undefined && slot < node.length ? 1 : 0, child);
}

/** The vector without its last value; `size` is at least 1. A level that holds a single child gives way to it, so the shape is that of the smaller size. */
export function positionsPop<V>(root: Positions<V>, size: number): Positions<V> {
  const last = size - 1;
  if (last === 0) return emptyPositions();
  const top = popIn(root.top, root.shift, last)!;
  if (root.shift > 0 && top.length === 1) return new Positions(root.shift - BITS, top[0] as PositionNode);
  return new Positions(root.shift, top);
}

/** The node without the value at `position`, its last; undefined when nothing is left in it. */
function popIn(node: PositionNode, shift: number, position: number): PositionNode | undefined {
  const slot = (position >>> shift) & MASK;
  if (shift === 0) return slot === 0 ? undefined : node.slice(0, slot);
  const child = popIn(node[slot] as PositionNode, shift - BITS, position);
  if (child === undefined) return slot === 0 ? undefined : node.slice(0, slot);
  const copy = node.slice();
  copy[slot] = child;
  return copy;
}

/** Every position and its value, in order. */
export function* positionsEntries<V>(root: Positions<V>, size: number): Generator<readonly [number, V]> {
  let position = 0;
  function* below(node: PositionNode, shift: number): Generator<readonly [number, V]> {
    if (shift === 0) {
      for (const value of node) if (position < size) yield [position++, value as V];
      return;
    }
    for (const child of node) yield* below(child as PositionNode, shift - BITS);
  }
  yield* below(root.top, root.shift);
}

/** The vector of `values`, in order, built level by level: no path is copied. */
export function positionsOf<V>(values: readonly V[]): Positions<V> {
  if (values.length === 0) return emptyPositions();
  let level: PositionNode[] = chunks(values);
  let shift = 0;
  while (level.length > 1) {
    level = chunks(level);
    shift += BITS;
  }
  return new Positions(shift, level[0]!);
}

function chunks(items: readonly unknown[]): PositionNode[] {
  const out: PositionNode[] = [];
  for (let start = 0; start < items.length; start += WIDTH) out.push(items.slice(start, start + WIDTH));
  return out;
}

/**
 * The positions whose values differ between two vectors, with both values (undefined beyond a
 * vector's size). Nodes the two share are skipped by identity, so two versions of one vector
 * cost the paths that changed between them.
 */
export function positionsChanges<V>(a: Positions<V>, sizeA: number, b: Positions<V>, sizeB: number, visit: (position: number, before: V | undefined, after: V | undefined) => void): void {
  // Brought to one level: a trie of a smaller shift is the first child, and its first child, of the larger.
  const shift = Math.max(a.shift, b.shift);
  const raise = (root: Positions<V>): PositionNode => {
    let top = root.top;
    for (let at = root.shift; at < shift; at += BITS) top = [top];
    return top;
  };
  const limit = Math.max(sizeA, sizeB);
  const walk = (left: PositionNode | undefined, right: PositionNode | undefined, level: number, from: number): void => {
    if (left === right || from >= limit) return;
    for (let slot = 0; slot < WIDTH; slot++) {
      const start = from + slot * WIDTH ** (level / BITS);
      if (start >= limit) return;
      const before = left?.[slot];
      const after = right?.[slot];
      if (level > 0) walk(before as PositionNode | undefined, after as PositionNode | undefined, level - BITS, start);
      else {
        const was = start < sizeA ? (before as V) : undefined;
        const is = start < sizeB ? (after as V) : undefined;
        // As the hash trie tells them (persistent-map.ts `changesIn`): a value that differs, and every key taken out.
        if (was !== is || (start < sizeA && start >= sizeB)) visit(start, was, is);
      }
    }
  };
  walk(raise(a), raise(b), shift, 0);
}
