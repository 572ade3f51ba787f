import { fnv1a } from '../fnv1a.ts';

/**
 * The nodes of a persistent bag (persistent-bag.ts): their layout, which sets the memory every
 * bag holds, and how they are made, copied, and changed in place within one edit.
 */

/**
 * A node of the treap. Two classes of one layout, because V8 keeps a number field in place only
 * while every object of a shape holds a small integer there; once one holds a fraction, it
 * boxes that field in every object of the shape, 16 bytes and one more object for the
 * collector each. Most bags hold instants in whole seconds; the days to a decision are
 * fractions. So a node of a whole value is a BagNode, of any other a FractionNode, and only
 * the latter's values are boxed. With the priorities and the map's hashes cut to small
 * integers too, a filing holds 1,849 bytes of state instead of 2,033 (issue 14, `npm run
 * bench -- state-memory`), in about a fifth fewer objects for each full collection to mark.
 * A whole number that a division gave (30 days to a decision) is a boxed number too, and one
 * such value in a BagNode boxed the field of them all, until `make` turned it back into a small
 * integer (core/test/state-memory.test.ts).
 *
 * A node holds six fields, 72 bytes. A node of a bag whose elements carry an item (an index of
 * records, obligation-index.ts) is an ItemNode, with a seventh: four of a new filing's eight
 * nodes (`scripts/heap-diff.mjs`). Every node held both, and the token of the edit that made it
 * (`inOneEdit`; now the sign of its count while that edit is open): 88 bytes, 704 of the 1,703
 * that a filing added to a state (`npm run bench -- state-memory`, before this layout).
 */
export class BagNode {
  constructor(
    readonly value: number,
    readonly id: string,
    readonly priority: number,
    // The three below change only while the node is one the open edit made (`inOneEdit`), and
    // `count` is negated meanwhile: read it through `countOf`.
    public count: number,
    public left: BagNode | undefined,
    public right: BagNode | undefined,
  ) {}
}

class FractionNode extends BagNode {}

/** A node whose element carries an item: what it stands for, if the bag is an index of records (obligation-index.ts `obligations`). */
class ItemNode extends BagNode {
  constructor(value: number, id: string, readonly item: unknown, priority: number, count: number, left: BagNode | undefined, right: BagNode | undefined) {
    super(value, id, priority, count, left, right);
  }
}

class ItemFractionNode extends ItemNode {}

export const itemOf = (node: BagNode): unknown => (node instanceof ItemNode ? node.item : undefined);

/** Whether V8 holds `value` as a small integer (a Smi: 32 bits on 64-bit Node; -0 is a double). */
const isSmallInteger = (value: number): boolean => (value | 0) === value && !Object.is(value, -0);

/** FNV-1a, then a murmur3 finaliser so that ids differing in their last character spread over all bits. */
export function priorityOf(id: string): number {
  let hash = fnv1a(id);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  // 30 bits, a small integer on every V8 build, as persistent-map.ts `hashKey` says why.
  return (hash ^ (hash >>> 16)) & 0x3fffffff;
}

/**
 * The nodes the open edit made (`inOneEdit`), which it may change in place; undefined when no
 * edit is open. Such a node keeps its count negated until the edit ends: the sign is the mark,
 * where a field of its own cost 8 bytes in each of millions of nodes, and a set of the edit's
 * nodes made a move over 3,300 filings 10 to 20 % slower (bench/figure-readings.bench.ts).
 */
let madeInEdit: BagNode[] | undefined;

export const countOf = (node: BagNode | undefined): number => (node === undefined ? 0 : node.count < 0 ? -node.count : node.count);

/** Every node of `made` frozen: its count made positive again, so that no edit changes it any more. */
function freeze(made: BagNode[]): void {
  for (const node of made) if (node.count < 0) node.count = -node.count;
  made.length = 0;
}

export function make(value: number, id: string, item: unknown, priority: number, left: BagNode | undefined, right: BagNode | undefined): BagNode {
  const size = countOf(left) + countOf(right) + 1;
  const count = madeInEdit === undefined ? size : -size;
  // `value | 0`: a whole number a division gave (the days to a decision) is a boxed number until made a small integer again.
  const whole = isSmallInteger(value);
  let node: BagNode;
  if (item === undefined) node = whole ? new BagNode(value | 0, id, priority, count, left, right) : new FractionNode(value, id, priority, count, left, right);
  else node = whole ? new ItemNode(value | 0, id, item, priority, count, left, right) : new ItemFractionNode(value, id, item, priority, count, left, right);
  madeInEdit?.push(node);
  return node;
}

/** The node with new children: changed in place if the open edit made it (its count negated), else copied. */
export function remake(node: BagNode, left: BagNode | undefined, right: BagNode | undefined): BagNode {
  if (node.count < 0) {
    node.left = left;
    node.right = right;
    node.count = -(countOf(left) + countOf(right) + 1);
    return node;
  }
  return make(node.value, node.id, itemOf(node), node.priority, left, right);
}

/**
 * Runs `body` as one edit of bags: a node that an add or a removal inside it made is changed in
 * place by the next one that passes through it, instead of being copied again. So only the
 * bags as they stand when the outermost edit ends are values; a bag that an edit gave and that
 * a later edit, in it or around it, took as its input must not be kept.
 *
 * Why: an index moved over many entries at once (figure-index.ts `nextFigureIndex`) adds
 * thousands of elements to the same few bags, most of them next to each other (filed at about
 * the same instant). Each add copied its whole path, about 17 nodes: at 10^6 entries a move
 * over 4,096 filings took 220 ms, 54 µs of an append's 217 (issue 14). Within one edit the
 * part of the paths the adds share is copied once, then changed in place.
 *
 * Edits nest: an inner edit copies what an outer one made, and the outer one what the inner
 * made. When an edit opens inside another, the outer one's nodes are frozen (it copies them
 * again if it passes through them after the inner one ends); when an edit ends, its own nodes
 * are frozen, even if `body` threw. A frozen node holds nothing of the edit that made it, so a
 * bag never differs in its data by how it was made.
 */
export function inOneEdit<R>(body: () => R): R {
  const outer = madeInEdit;
  if (outer !== undefined) freeze(outer);
  const made: BagNode[] = [];
  madeInEdit = made;
  try {
    return body();
  } finally {
    freeze(made);
    madeInEdit = outer;
  }
}
