import { fnv1a } from '../fnv1a.ts';
import { spliced, splicedNumbers } from '../spliced.ts';
import type { Shelf } from '../request/shelved-value.ts';

/**
 * The nodes of a persistent bag (persistent-bag.ts): their layout, which sets the memory every
 * bag holds, and how they are made, copied, and changed in place within one edit.
 */

/**
 * A node holds a run of the bag's elements in order, in arrays: their values, their ids and,
 * in a bag whose elements carry one (an index of records, obligation-index.ts), their items.
 * Above the lowest level it also holds the subtrees between them: `children[i]` holds the
 * elements between element i - 1 and element i, so a node of k elements has k + 1 children.
 *
 * Why arrays: the bag was a treap of one node per element, 72 to 80 bytes each, 608 of the
 * 1,604 bytes a filing added to a state (issue 14, `npm run bench -- state-memory` and
 * `scripts/heap-diff.mjs`). A node of about 31 elements spends 8 bytes an element in each of
 * its arrays, and its own fields once. A number in an array is held in place whether whole or
 * a fraction (V8's double elements), where a field boxed every fraction, as long as no code
 * reads it where it reads arrays of references too (spliced.ts `splicedNumbers`).
 */
export class BagNode {
  constructor(
    /** The element level of every element in the node (`levelOf`); its subtrees are of lower levels. */
    readonly level: number,
    // The fields below change only while the node is one the open edit made (`inOneEdit`), and
    // `count` is negated meanwhile: read it through `countOf`.
    /** How many elements the node and its subtrees hold. */
    public count: number,
    public values: number[],
    public ids: string[],
    /** Undefined when no element of the node carries an item. */
    public items: unknown[] | undefined,
    /** Undefined at level 0, which has none. */
    public children: BagChild[] | undefined,
  ) {}
}

/**
 * A subtree kept on a shelf instead of in the heap (issue 14, "RSS flat after warm-up";
 * bag-shelving.ts): its count, which ranks and sizes read without the shelf, and where its
 * root node's text is. Reading it gives a node whose own subtrees are shelved in turn. What a
 * shelf holds never changes, so a shelved subtree is the same value as the node it replaced,
 * and every bag that shares it reads the same elements.
 */
export class ShelvedBagNode {
  constructor(
    readonly count: number,
    private readonly shelf: Shelf<BagNode>,
    readonly at: number,
    readonly length: number,
  ) {}

  /** The node, as its shelf reads it: a shelf may give one object to many readings, so it is never one an edit changes in place (its count is positive). */
  read(): BagNode {
    return this.shelf.read(this.at, this.length);
  }
}

/** What a node holds between two of its elements: a subtree in the heap, one on a shelf, or none. */
export type BagChild = BagNode | ShelvedBagNode | undefined;

/** The node of a subtree, read from its shelf when it is kept there. */
export const opened = (child: BagChild): BagNode | undefined => (child instanceof ShelvedBagNode ? child.read() : child);

/** log2 of the mean number of elements in a node: 32. */
const LEVEL_BITS = 5;
const LEVEL_MASK = (1 << LEVEL_BITS) - 1;
/** The level of an id whose hash is 0: the hash has 30 bits (`hashOf`). */
const TOP_LEVEL = Math.floor(30 / LEVEL_BITS);

/** FNV-1a, then a murmur3 finaliser so that ids differing in their last character spread over all bits. */
function hashOf(id: string): number {
  let hash = fnv1a(id);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) & 0x3fffffff;
}

/**
 * The level of an element: how many groups of LEVEL_BITS low bits of its id's hash are zero.
 * One element in 32 is of level 1 or above, one in 1,024 of level 2 or above, and so on. The
 * elements of the highest level in the bag form its root node, and split the rest into runs,
 * each a subtree built the same way (a Merkle search tree's layout, Auvolat and Taïani 2019,
 * without the hashes). So the tree's shape depends only on what it holds, never on the order
 * it was filled in: a bag rebuilt from a snapshot equals the one replayed, as the treap's did.
 */
export function levelOf(id: string): number {
  let hash = hashOf(id);
  let level = 0;
  while ((hash & LEVEL_MASK) === 0) {
    if (level === TOP_LEVEL) return level;
    hash >>>= LEVEL_BITS;
    level += 1;
  }
  return level;
}

export const countOf = (node: BagChild): number => (node === undefined ? 0 : node.count < 0 ? -node.count : node.count);

/** How many elements a node's elements and subtrees hold. */
export function countIn(length: number, children: readonly BagChild[] | undefined): number {
  let count = length;
  if (children !== undefined) for (const child of children) count += countOf(child);
  return count;
}

/** `items` unless no element carries one: so that the tree's data depends only on what it holds. */
function someItems(items: unknown[] | undefined): unknown[] | undefined {
  return items !== undefined && items.some((item) => item !== undefined) ? items : undefined;
}

/**
 * The nodes the open edit made (`inOneEdit`), which it may change in place; undefined when no
 * edit is open. Such a node keeps its count negated until the edit ends: the sign is the mark,
 * where a field of its own would cost 8 bytes in each node.
 */
let madeInEdit: BagNode[] | undefined;

/**
 * Every node of `made` frozen: its count made positive again, so that no edit changes it any
 * more, and its arrays copied to their length, since an insertion in place may have left them
 * room for half as many again.
 */
function freeze(made: BagNode[]): void {
  for (const node of made) {
    if (node.count >= 0) continue;
    node.count = -node.count;
    node.values = node.values.slice();
    node.ids = node.ids.slice();
    if (node.items !== undefined) node.items = node.items.slice();
    if (node.children !== undefined) node.children = node.children.slice();
  }
  made.length = 0;
}

/** A node of these arrays, which it takes as its own: the caller must not keep them. */
export function make(level: number, values: number[], ids: string[], items: unknown[] | undefined, children: BagChild[] | undefined): BagNode {
  const count = countIn(values.length, children);
  const node = new BagNode(level, madeInEdit === undefined ? count : -count, values, ids, someItems(items), level === 0 ? undefined : children);
  madeInEdit?.push(node);
  return node;
}

/** Whether the open edit made `node`, so that it may change it in place. */
const editable = (node: BagNode): boolean => node.count < 0;

/** Counts `node` again after an edit changed it in place (`editable`), its items dropped if none is left. */
function recount(node: BagNode): BagNode {
  node.count = -countIn(node.values.length, node.children);
  node.items = someItems(node.items);
  return node;
}

/** A node's items, or as many undefined ones when it carries none, for a node that is to carry `item`. */
export const itemsOf = (node: BagNode): unknown[] => node.items ?? new Array<unknown>(node.values.length).fill(undefined);

/** `node` with the element (value, id, item) at `at`, the subtree there split into `below` and `above`. */
export function withElement(node: BagNode, at: number, value: number, id: string, item: unknown, below: BagChild, above: BagChild): BagNode {
  const carries = node.items !== undefined || item !== undefined;
  if (editable(node)) {
    if (carries) node.items = itemsOf(node);
    node.values.splice(at, 0, value);
    node.ids.splice(at, 0, id);
    node.items?.splice(at, 0, item);
    node.children?.splice(at, 1, below, above);
    return recount(node);
  }
  const children = node.children && spliced(node.children, at, 1, below, above);
  return make(node.level, splicedNumbers(node.values, at, 0, value), spliced(node.ids, at, 0, id), carries ? spliced(itemsOf(node), at, 0, item) : undefined, children);
}

/** `node` without its element at `at`, the subtrees on either side of it joined into `joined`. */
export function withoutElement(node: BagNode, at: number, joined: BagChild): BagNode {
  if (editable(node)) {
    node.values.splice(at, 1);
    node.ids.splice(at, 1);
    node.items?.splice(at, 1);
    node.children?.splice(at, 2, joined);
    return recount(node);
  }
  const children = node.children && spliced(node.children, at, 2, joined);
  return make(node.level, splicedNumbers(node.values, at, 1), spliced(node.ids, at, 1), node.items && spliced(node.items, at, 1), children);
}

/** `node` with the subtree at `at` replaced. */
export function withChild(node: BagNode, at: number, child: BagChild): BagNode {
  if (editable(node)) {
    node.children![at] = child;
    return recount(node);
  }
  return make(node.level, node.values.slice(), node.ids.slice(), node.items?.slice(), spliced(node.children!, at, 1, child));
}

/** A node of one element. */
export const single = (level: number, value: number, id: string, item: unknown, below: BagChild, above: BagChild): BagNode =>
  make(level, [value], [id], item === undefined ? undefined : [item], [below, above]);

/**
 * Runs `body` as one edit of bags: a node that an add or a removal inside it made is changed in
 * place by the next one that passes through it, instead of being copied again. So only the
 * bags as they stand when the outermost edit ends are values; a bag that an edit gave and that
 * a later edit, in it or around it, took as its input must not be kept.
 *
 * Why: an index moved over many entries at once (figure-index.ts `nextFigureIndex`) adds
 * thousands of elements to the same few bags, most of them next to each other (filed at about
 * the same instant). Each add copies its whole path; within one edit the part of the paths the
 * adds share is copied once, then changed in place (issue 14: a move over 4,096 filings at 10^6
 * entries took 220 ms when every add copied).
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
