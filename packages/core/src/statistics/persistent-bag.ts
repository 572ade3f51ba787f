import { sortedPositions, withoutPauses } from './paused-work.ts';
import { countOf, itemsOf, levelOf, make, opened, ShelvedBagNode, single, withChild, withElement, withoutElement, type BagChild, type BagNode } from './bag-node.ts';
import { spliced, splicedNumbers } from '../spliced.ts';

export { inOneEdit } from './bag-node.ts';

/**
 * A persistent sorted multiset of numbers with order statistics, each number tagged with the
 * id of what it measures (a request, a trade) so that it can be taken out again when that
 * record changes: a search tree whose nodes hold runs of about 32 elements and count their
 * subtree (bag-node.ts).
 *
 * Why: the statistics are kept as each entry applies (figure-index.ts), and their medians
 * need the k-th smallest of every decision's duration. A sorted array would be copied whole
 * on every change, since every earlier State must stay valid (request/persistent-map.ts); the
 * tree copies one path, O(log n) nodes, and answers "k-th smallest" and "how many below x" in
 * O(log n) too.
 *
 * The tree's shape depends only on what it holds, never on the order it was filled in
 * (bag-node.ts `levelOf`): a bag rebuilt from a snapshot equals the one replayed.
 */

/** `T` is the type of the items the elements carry (none by default). */
export interface PersistentBag<T = undefined> {
  /** @internal read it through the functions below. Only its subtrees are ever shelved (bag-shelving.ts), never the root. */
  readonly root: BagNode | undefined;
  /** @internal the item type, for the compiler only. */
  readonly __item?: T;
}

export const EMPTY_BAG: PersistentBag = { root: undefined };

/** An empty bag whose elements will carry items of type `T`. */
export function emptyBag<T>(): PersistentBag<T> {
  return EMPTY_BAG as PersistentBag<T>;
}

/** The first position in `node` whose element is not before (value, id): ordered by value, then id. */
function position(node: BagNode, value: number, id: string): number {
  const { values, ids } = node;
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const at = values[middle]!;
    if (at < value || (at === value && ids[middle]! < id)) low = middle + 1;
    else high = middle;
  }
  return low;
}

const holdsAt = (node: BagNode, at: number, value: number, id: string): boolean => at < node.values.length && node.values[at] === value && node.ids[at] === id;

/*
 * The edits below take a subtree as a node holds it (`BagChild`), on a shelf or not
 * (bag-shelving.ts). One kept on a shelf is read to be edited, and a part of it that comes back
 * unchanged is given back as it was held, still shelved (`asHeld`): an edit that passes by a
 * shelved subtree does not take it back into the heap. A node read from a shelf is never one an
 * open edit made, so an edit that changes it makes a new node.
 */

/** `part` of an edit of `child`, whose node was read as `node`: `child` itself when the edit gave the node back unchanged. */
const asHeld = (part: BagChild, node: BagNode, child: BagChild): BagChild => (part === node ? child : part);

/** The elements before (value, id), and those after; (value, id) is not in the tree. Unchanged subtrees are given back as they are. */
function split(child: BagChild, value: number, id: string): [BagChild, BagChild] {
  if (!(child instanceof ShelvedBagNode)) return splitNode(child, value, id);
  const node = child.read();
  const [below, above] = splitNode(node, value, id);
  return [asHeld(below, node, child), asHeld(above, node, child)];
}

function splitNode(node: BagNode | undefined, value: number, id: string): [BagChild, BagChild] {
  if (node === undefined) return [undefined, undefined];
  const at = position(node, value, id);
  const length = node.values.length;
  const { children } = node;
  const [below, above] = split(children?.[at], value, id);
  if (at === length && (children === undefined || below === children[at])) return [node, undefined];
  if (at === 0 && (children === undefined || above === children[0])) return [undefined, node];
  const low = at === 0 ? below : make(node.level, node.values.slice(0, at), node.ids.slice(0, at), node.items?.slice(0, at), children && spliced(children, at, length + 1 - at, below));
  const high = at === length ? above : make(node.level, node.values.slice(at), node.ids.slice(at), node.items?.slice(at), children && spliced(children, 0, at + 1, above));
  return [low, high];
}

/** The tree of the elements of `low` and then those of `high`: every element of `low` comes before every one of `high`. */
function join(lowChild: BagChild, highChild: BagChild): BagChild {
  if (lowChild === undefined) return highChild;
  if (highChild === undefined) return lowChild;
  // Neither comes back as it was: the join's top node is always a new one, or one the open edit made.
  const low = opened(lowChild)!;
  const high = opened(highChild)!;
  // The side that is joined whole below the other is passed on as it was held, still shelved if it was.
  if (low.level > high.level) {
    const last = low.values.length;
    return withChild(low, last, join(low.children![last], highChild));
  }
  if (low.level < high.level) return withChild(high, 0, join(lowChild, high.children![0]));
  const both = <T>(a: readonly T[], b: readonly T[]): T[] => spliced(a, a.length, 0, ...b);
  const items = low.items === undefined && high.items === undefined ? undefined : both(itemsOf(low), itemsOf(high));
  const last = low.values.length;
  const children = low.children && spliced(both(low.children, high.children!.slice(1)), last, 1, join(low.children[last], high.children![0]));
  return make(low.level, splicedNumbers(low.values, last, 0, ...high.values), both(low.ids, high.ids), items, children);
}

/**
 * `node` with the element (value, id) of `level` added, or `node` itself when it already holds
 * it. The element can only be in a node of its own level, so the descent stops there. Whether
 * it added is told by a subtree's count, not by its identity: the open edit may give the same
 * node back changed in place.
 */
function insert(child: BagChild, value: number, id: string, item: unknown, level: number): BagChild {
  if (!(child instanceof ShelvedBagNode)) return insertInto(child, child, value, id, item, level);
  const node = child.read();
  return asHeld(insertInto(child, node, value, id, item, level), node, child);
}

/** `insert` into `node`, the node of `child`. */
function insertInto(child: BagChild, node: BagNode | undefined, value: number, id: string, item: unknown, level: number): BagChild {
  if (node === undefined) return single(level, value, id, item, undefined, undefined);
  if (level > node.level) {
    const [below, above] = splitNode(node, value, id);
    return single(level, value, id, item, asHeld(below, node, child), asHeld(above, node, child));
  }
  const at = position(node, value, id);
  if (level === node.level) {
    if (holdsAt(node, at, value, id)) return node;
    const [below, above] = split(node.children?.[at], value, id);
    return withElement(node, at, value, id, item, below, above);
  }
  const subtree = node.children![at];
  const count = countOf(subtree);
  const changed = insert(subtree, value, id, item, level);
  return countOf(changed) === count ? node : withChild(node, at, changed);
}

function remove(child: BagChild, value: number, id: string, level: number): BagChild {
  if (!(child instanceof ShelvedBagNode)) return removeFrom(child, value, id, level);
  const node = child.read();
  return asHeld(removeFrom(node, value, id, level), node, child);
}

function removeFrom(node: BagNode | undefined, value: number, id: string, level: number): BagChild {
  if (node === undefined || level > node.level) return node;
  const at = position(node, value, id);
  if (level === node.level) {
    if (!holdsAt(node, at, value, id)) return node;
    const joined = join(node.children?.[at], node.children?.[at + 1]);
    return node.values.length === 1 ? joined : withoutElement(node, at, joined);
  }
  const child = node.children![at];
  const count = countOf(child);
  const changed = remove(child, value, id, level);
  return countOf(changed) === count ? node : withChild(node, at, changed);
}

/** The bag with `value` for `id` (carrying `item`) added; an element already there is kept once. Counts are compared, not roots: an edit may change the root in place. */
export function bagAdd<T>(bag: PersistentBag<T>, value: number, id: string, ...item: T extends undefined ? [] : [T]): PersistentBag<T> {
  const count = countOf(bag.root);
  const root = opened(insert(bag.root, value, id, item[0], levelOf(id)));
  return countOf(root) === count ? bag : { root };
}

/** The bag without `value` for `id` (unchanged when it is not there). */
export function bagRemove<T>(bag: PersistentBag<T>, value: number, id: string): PersistentBag<T> {
  const count = countOf(bag.root);
  const root = opened(remove(bag.root, value, id, levelOf(id)));
  return countOf(root) === count ? bag : { root };
}

/** An element to put in a bag at once (`bagFromElements`). */
export interface BagElement<T = undefined> {
  readonly value: number;
  readonly id: string;
  readonly item?: T;
}

/**
 * The bag of `elements`, built at once: the bag that adding them one by one in this order
 * gives (an element given twice is kept once, with its first item), since the tree's shape
 * depends only on what it holds. Sorting is O(n log n) and building O(n log n / 5), each
 * element copied into its node once, where adding them one by one copies a path each (a
 * figure index counted from scratch at a restart, figure-index.ts `buildFigureIndex`).
 *
 * Each element is read once, in the order given, into arrays (its value, id, item and
 * level); the sort and the build then read those arrays by position. At a restart the
 * figure index builds bags of millions of elements, and reading each element's id in sorted
 * order, scattered over the heap, to hash it took ten times as long as in the order given (issue 14).
 */
export function bagFromElements<T>(elements: readonly BagElement<T>[]): PersistentBag<T> {
  return withoutPauses(bagBuilding(elements));
}

/**
 * Elements read, sorted, merged or looked at while building between two pauses of
 * `bagBuilding`: some 5 to 15 ms of work each. The figure index a restart counts while it
 * serves holds a bag of 316,368 obligations at 10^6 entries, built at once in 175 ms, of
 * which its sort took 81.
 */
export const BAG_PIECE = 32_768;

/**
 * `bagFromElements` with pauses: it yields after every BAG_PIECE elements it reads, sorts,
 * merges or looks at while building, and between those phases, then returns the bag
 * (figure-index.ts `countFigureIndex`). Sorted runs merged by the same order as one sort give
 * what that sort gives: the order is total, ties being broken by the position given.
 */
export function* bagBuilding<T>(elements: readonly BagElement<T>[]): Generator<void, PersistentBag<T>> {
  const given = elements.length;
  if (given === 0) return emptyBag<T>();
  const values = new Float64Array(given);
  const ids: string[] = new Array<string>(given);
  const items: (T | undefined)[] = new Array<T | undefined>(given);
  const levels = new Uint8Array(given);
  let inOrder = true;
  for (let index = 0; index < given; index++) {
    const element = elements[index]!;
    values[index] = element.value;
    ids[index] = element.id;
    items[index] = element.item;
    levels[index] = levelOf(element.id);
    if (inOrder && index > 0) inOrder = values[index - 1]! < element.value || (values[index - 1] === element.value && ids[index - 1]! <= element.id);
    if ((index + 1) % BAG_PIECE === 0) yield;
  }
  // Of two equal elements, the first given stays first, and is the one kept.
  const compare = (a: number, b: number): number => {
    const valueA = values[a]!;
    const valueB = values[b]!;
    if (valueA !== valueB) return valueA < valueB ? -1 : 1;
    return ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b;
  };
  let order = inOrder ? Array.from({ length: given }, (_, index) => index) : yield* sortedPositions(given, compare, BAG_PIECE);
  order = order.filter((position, rank) => rank === 0 || values[position] !== values[order[rank - 1]!] || ids[position] !== ids[order[rank - 1]!]);
  yield;
  let looked = 0;
  // The node of the elements ranked from `low` to before `high`: those of the highest level
  // among them, and the runs between them, each a node built the same way. Each element is
  // looked at twice in its own node and in each node above it, O(n) for each of about
  // log32(n) levels, with a pause after every BAG_PIECE looks wherever they fall.
  function* build(low: number, high: number): Generator<void, BagNode | undefined> {
    if (low >= high) return undefined;
    let top = 0;
    for (let rank = low; rank < high; rank++) {
      top = Math.max(top, levels[order[rank]!]!);
      if (++looked % BAG_PIECE === 0) yield;
    }
    const tops: number[] = [];
    const children: BagChild[] | undefined = top > 0 ? [] : undefined;
    let start = low;
    for (let rank = low; rank < high; rank++) {
      if (++looked % BAG_PIECE === 0) yield;
      if (levels[order[rank]!] !== top) continue;
      tops.push(order[rank]!);
      if (children !== undefined) children.push(yield* build(start, rank));
      start = rank + 1;
    }
    if (children !== undefined) children.push(yield* build(start, high));
    // `map` gives arrays of their length; `children`, grown by `push`, is copied to its length (spliced.ts says why).
    return make(top, tops.map((position) => values[position]!), tops.map((position) => ids[position]!), tops.map((position) => items[position]), children?.slice());
  }
  return { root: yield* build(0, order.length) };
}

export function bagHas<T>(bag: PersistentBag<T>, value: number, id: string): boolean {
  let node = bag.root;
  while (node !== undefined) {
    const at = position(node, value, id);
    if (holdsAt(node, at, value, id)) return true;
    node = opened(node.children?.[at]);
  }
  return false;
}

export function bagSize<T>(bag: PersistentBag<T>): number {
  return countOf(bag.root);
}

/** The position in its node of the element `nodeAt` last found. */
let foundAt = 0;

/** The node that holds the `rank`-th element (0-based), its position there left in `foundAt`; undefined for a rank that is not one. */
function nodeAt(root: BagNode | undefined, rank: number): BagNode | undefined {
  if (!(Number.isInteger(rank) && rank >= 0 && rank < countOf(root))) return undefined;
  let node = root;
  let left = rank;
  while (node !== undefined) {
    const { children, values } = node;
    if (children === undefined) {
      foundAt = left;
      return left < values.length ? node : undefined;
    }
    let at = 0;
    for (; at < values.length; at++) {
      const below = countOf(children[at]);
      if (left < below) break;
      left -= below;
      if (left === 0) {
        foundAt = at;
        return node;
      }
      left -= 1;
    }
    node = opened(children[at]);
  }
  return undefined;
}

/** The `rank`-th smallest value (0-based); undefined past the end. */
export function bagAt<T>(bag: PersistentBag<T>, rank: number): number | undefined {
  return nodeAt(bag.root, rank)?.values[foundAt];
}

/** The `rank`-th element (0-based) with its id and item; undefined past the end. */
export function bagEntryAt<T>(bag: PersistentBag<T>, rank: number): { value: number; id: string; item: T } | undefined {
  const node = nodeAt(bag.root, rank);
  return node && { value: node.values[foundAt]!, id: node.ids[foundAt]!, item: node.items?.[foundAt] as T };
}

/**
 * The elements from the `rank`-th (0-based) on, in order (from the first at a rank below 0, and
 * from the next whole rank after a fraction): O(log n) to the first, then O(log n) each at most,
 * since each passes up the generators nested as deep as the tree, about log32(n).
 */
export function* bagEntriesFrom<T>(bag: PersistentBag<T>, rank = 0): Generator<{ value: number; id: string; item: T }> {
  yield* entriesFrom<T>(bag.root, rank > 0 ? Math.ceil(rank) : 0);
}

function* entriesFrom<T>(child: BagChild, rank: number): Generator<{ value: number; id: string; item: T }> {
  if (child === undefined || rank >= countOf(child)) return;
  const { values, ids, items, children } = opened(child)!;
  let skip = rank;
  for (let at = 0; at <= values.length; at++) {
    if (children !== undefined) {
      const below = countOf(children[at]);
      if (skip < below) {
        yield* entriesFrom<T>(children[at], skip);
        skip = 0;
      } else skip -= below;
    }
    if (at === values.length) break;
    if (skip === 0) yield { value: values[at]!, id: ids[at]!, item: items?.[at] as T };
    else skip -= 1;
  }
}

/** How many elements come before (value, id) in the bag's order: by value, then id. */
export function bagCountBefore<T>(bag: PersistentBag<T>, value: number, id: string): number {
  let node = bag.root;
  let count = 0;
  while (node !== undefined) {
    const at = position(node, value, id);
    const { children } = node;
    count += at;
    if (children !== undefined) for (let child = 0; child < at; child++) count += countOf(children[child]);
    if (holdsAt(node, at, value, id)) return count + countOf(children?.[at]);
    node = opened(children?.[at]);
  }
  return count;
}

/** How many values are below `limit` (strictly), or at most `limit` when `inclusive`. */
export function bagCountBelow<T>(bag: PersistentBag<T>, limit: number, inclusive = false): number {
  let node = bag.root;
  let count = 0;
  while (node !== undefined) {
    const { values, children } = node;
    let low = 0;
    let high = values.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (values[middle]! < limit || (inclusive && values[middle] === limit)) low = middle + 1;
      else high = middle;
    }
    count += low;
    if (children !== undefined) for (let child = 0; child < low; child++) count += countOf(children[child]);
    node = opened(children?.[low]);
  }
  return count;
}

/** A bag of `values`, each its own element (ids are positions). */
export function bagOf(values: readonly number[], idPrefix = ''): PersistentBag {
  let bag = EMPTY_BAG;
  values.forEach((value, index) => {
    bag = bagAdd(bag, value, `${idPrefix}${index}`);
  });
  return bag;
}
