import { sortedPositions, withoutPauses } from './paused-work.ts';
import { countOf, itemOf, make, priorityOf, remake, type BagNode } from './bag-node.ts';

export { inOneEdit } from './bag-node.ts';

/**
 * A persistent sorted multiset of numbers with order statistics: a treap whose nodes count
 * their subtree, each number tagged with the id of what it measures (a request, a trade) so
 * that it can be taken out again when that record changes.
 *
 * Why: the statistics are kept as each entry applies (figure-index.ts), and their medians
 * need the k-th smallest of every decision's duration. A sorted array would be copied whole
 * on every change, since every earlier State must stay valid (request/persistent-map.ts); a
 * treap copies one path, O(log n), and answers "k-th smallest" and "how many below x" in
 * O(log n) too.
 *
 * A node's priority is a hash of its id, so the tree's shape depends only on what it holds,
 * never on the order it was filled in: a bag rebuilt from a snapshot equals the one replayed.
 */

/** `T` is the type of the items the elements carry (none by default). */
export interface PersistentBag<T = undefined> {
  /** @internal read it through the functions below. */
  readonly root: BagNode | undefined;
  /** @internal the item type, for the compiler only. */
  readonly __item?: T;
}

export const EMPTY_BAG: PersistentBag = { root: undefined };

/** An empty bag whose elements will carry items of type `T`. */
export function emptyBag<T>(): PersistentBag<T> {
  return EMPTY_BAG as PersistentBag<T>;
}

/** Order by value, then id: every (value, id) is one element. */
function before(value: number, id: string, node: BagNode): boolean {
  return value < node.value || (value === node.value && id < node.id);
}

/** Higher priority nearer the root; ties (two ids with one hash) broken by order, so the shape stays unique. */
function above(a: BagNode, b: BagNode): boolean {
  return a.priority > b.priority || (a.priority === b.priority && before(a.value, a.id, b));
}

/** The elements before (value, id), and the rest. */
function split(node: BagNode | undefined, value: number, id: string): [BagNode | undefined, BagNode | undefined] {
  if (node === undefined) return [undefined, undefined];
  if (before(value, id, node)) {
    const [left, right] = split(node.left, value, id);
    return [left, remake(node, right, node.right)];
  }
  const [left, right] = split(node.right, value, id);
  return [remake(node, node.left, left), right];
}

/** Every element of `a` comes before every element of `b`. */
function merge(a: BagNode | undefined, b: BagNode | undefined): BagNode | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (above(a, b)) return remake(a, a.left, merge(a.right, b));
  return remake(b, merge(a, b.left), b.right);
}

/**
 * `node` with `fresh` added, or `node` itself when it already holds fresh's element. An element
 * already there lies on fresh's search path, above which fresh never rises: it shares the
 * element's priority, and each ancestor is above the element. So one descent both looks for it
 * and inserts, where a lookup first walked the path twice (issue 14: at 10^6 entries each level
 * is a cache miss, and a filing adds to about five bags).
 */
function insert(node: BagNode | undefined, fresh: BagNode): BagNode {
  if (node === undefined) return fresh;
  if (node.value === fresh.value && node.id === fresh.id) return node;
  if (above(fresh, node)) {
    const [left, right] = split(node, fresh.value, fresh.id);
    return remake(fresh, left, right);
  }
  // The child's count tells whether the element was added below (the same node may come back
  // changed in place by the open edit); then the parent is remade (in place if the edit made it).
  if (before(fresh.value, fresh.id, node)) {
    const count = countOf(node.left);
    const left = insert(node.left, fresh);
    return countOf(left) === count ? node : remake(node, left, node.right);
  }
  const count = countOf(node.right);
  const right = insert(node.right, fresh);
  return countOf(right) === count ? node : remake(node, node.left, right);
}

function remove(node: BagNode | undefined, value: number, id: string): BagNode | undefined {
  if (node === undefined) return undefined;
  if (node.value === value && node.id === id) return merge(node.left, node.right);
  const left = before(value, id, node);
  const old = left ? node.left : node.right;
  const count = countOf(old);
  const child = remove(old, value, id);
  if (countOf(child) === count) return node;
  return left ? remake(node, child, node.right) : remake(node, node.left, child);
}

/** The bag with `value` for `id` (carrying `item`) added; an element already there is kept once. Counts are compared, not roots: an edit may change the root in place. */
export function bagAdd<T>(bag: PersistentBag<T>, value: number, id: string, ...item: T extends undefined ? [] : [T]): PersistentBag<T> {
  const count = countOf(bag.root);
  const root = insert(bag.root, make(value, id, item[0], priorityOf(id), undefined, undefined));
  return countOf(root) === count ? bag : { root };
}

/** The bag without `value` for `id` (unchanged when it is not there). */
export function bagRemove<T>(bag: PersistentBag<T>, value: number, id: string): PersistentBag<T> {
  const count = countOf(bag.root);
  const root = remove(bag.root, value, id);
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
 * gives (an element given twice is kept once, with its first item), since a treap's shape
 * depends only on what it holds. Sorting is O(n log n) and building O(n), with one node per
 * element, where adding them one by one copies a path each (a figure index counted from
 * scratch at a restart, figure-index.ts `buildFigureIndex`).
 *
 * Each element is read once, in the order given, into arrays (its value, id, item and
 * priority); the sort and the build then read those arrays by position. At a restart the
 * figure index builds bags of millions of elements, and reading each element's id in sorted
 * order, scattered over the heap, to hash it took ten times as long as in the order given (issue 14).
 */
export function bagFromElements<T>(elements: readonly BagElement<T>[]): PersistentBag<T> {
  return withoutPauses(bagBuilding(elements));
}

/**
 * Elements read, sorted, merged, linked into the tree or made nodes between two pauses of
 * `bagBuilding`: some 5 to 15 ms of work each. The figure index a restart counts while it
 * serves holds a bag of 316,368 obligations at 10^6 entries, built at once in 175 ms, of
 * which its sort took 81.
 */
export const BAG_PIECE = 32_768;

/**
 * `bagFromElements` with pauses: it yields after every BAG_PIECE elements it reads, sorts,
 * merges, links into the tree or makes nodes of, and between those phases, then returns the
 * bag (figure-index.ts `countFigureIndex`). Sorted runs merged
 * by the same order as one sort give what that sort gives: the order is total, ties being broken
 * by the position given.
 */
export function* bagBuilding<T>(elements: readonly BagElement<T>[]): Generator<void, PersistentBag<T>> {
  const given = elements.length;
  if (given === 0) return emptyBag<T>();
  const values = new Float64Array(given);
  const ids: string[] = new Array<string>(given);
  const items: (T | undefined)[] = new Array<T | undefined>(given);
  const priorities = new Uint32Array(given);
  let inOrder = true;
  for (let index = 0; index < given; index++) {
    const element = elements[index]!;
    values[index] = element.value;
    ids[index] = element.id;
    items[index] = element.item;
    priorities[index] = priorityOf(element.id);
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
  const count = order.length;
  const left = new Int32Array(count).fill(-1);
  const right = new Int32Array(count).fill(-1);
  // The Cartesian tree of the sorted elements by `above`: of two elements i < j, i is above j
  // unless j's priority is higher (ties go to the earlier, as `above` breaks them by order).
  const stack: number[] = [];
  for (let j = 0; j < count; j++) {
    const priority = priorities[order[j]!]!;
    let last = -1;
    while (stack.length > 0 && priority > priorities[order[stack[stack.length - 1]!]!]!) last = stack.pop()!;
    left[j] = last;
    if (stack.length > 0) right[stack[stack.length - 1]!] = j;
    stack.push(j);
    if ((j + 1) % BAG_PIECE === 0) yield;
  }
  yield;
  // The nodes, each after its children (a walk in post-order, by hand so that it may pause).
  const root = stack[0]!;
  const made = new Array<BagNode | undefined>(count);
  const visited = new Uint8Array(count);
  const walk: number[] = [root];
  let built = 0;
  while (walk.length > 0) {
    const rank = walk[walk.length - 1]!;
    if (visited[rank] === 0) {
      visited[rank] = 1;
      if (right[rank]! >= 0) walk.push(right[rank]!);
      if (left[rank]! >= 0) walk.push(left[rank]!);
      continue;
    }
    walk.pop();
    const position = order[rank]!;
    const leftChild = left[rank]!;
    const rightChild = right[rank]!;
    made[rank] = make(values[position]!, ids[position]!, items[position], priorities[position]!, leftChild >= 0 ? made[leftChild] : undefined, rightChild >= 0 ? made[rightChild] : undefined);
    if (++built % BAG_PIECE === 0) yield;
  }
  return { root: made[root] };
}

export function bagHas<T>(bag: PersistentBag<T>, value: number, id: string): boolean {
  let node = bag.root;
  while (node !== undefined) {
    if (node.value === value && node.id === id) return true;
    node = before(value, id, node) ? node.left : node.right;
  }
  return false;
}

export function bagSize<T>(bag: PersistentBag<T>): number {
  return countOf(bag.root);
}

/** The `rank`-th smallest value (0-based); undefined past the end. */
export function bagAt<T>(bag: PersistentBag<T>, rank: number): number | undefined {
  return nodeAt(bag.root, rank)?.value;
}

/** The `rank`-th element (0-based) with its id and item; undefined past the end. */
export function bagEntryAt<T>(bag: PersistentBag<T>, rank: number): { value: number; id: string; item: T } | undefined {
  const node = nodeAt(bag.root, rank);
  return node && { value: node.value, id: node.id, item: itemOf(node) as T };
}

function nodeAt(root: BagNode | undefined, rank: number): BagNode | undefined {
  let node = root;
  let k = rank;
  while (node !== undefined) {
    const left = countOf(node.left);
    if (k < left) node = node.left;
    else if (k === left) return node;
    else {
      k -= left + 1;
      node = node.right;
    }
  }
  return undefined;
}

/** The elements from the `rank`-th (0-based) on, in order: O(log n) to the first, then O(log n) each at most (each passes up the generators nested as deep as the tree). */
export function* bagEntriesFrom<T>(bag: PersistentBag<T>, rank = 0): Generator<{ value: number; id: string; item: T }> {
  for (const node of nodesFrom(bag.root, rank)) yield { value: node.value, id: node.id, item: itemOf(node) as T };
}

function* nodesFrom(node: BagNode | undefined, rank: number): Generator<BagNode> {
  if (node === undefined) return;
  const left = countOf(node.left);
  if (rank < left) yield* nodesFrom(node.left, rank);
  if (rank <= left) {
    yield node;
    yield* nodesFrom(node.right, 0);
  } else yield* nodesFrom(node.right, rank - left - 1);
}

/** How many elements come before (value, id) in the bag's order: by value, then id. */
export function bagCountBefore<T>(bag: PersistentBag<T>, value: number, id: string): number {
  let node = bag.root;
  let count = 0;
  while (node !== undefined) {
    if (before(value, id, node)) node = node.left;
    else {
      if (!(node.value === value && node.id === id)) count += 1;
      count += countOf(node.left);
      if (node.value === value && node.id === id) return count;
      node = node.right;
    }
  }
  return count;
}

/** How many values are below `limit` (strictly), or at most `limit` when `inclusive`. */
export function bagCountBelow<T>(bag: PersistentBag<T>, limit: number, inclusive = false): number {
  let node = bag.root;
  let count = 0;
  while (node !== undefined) {
    if (node.value < limit || (inclusive && node.value === limit)) {
      count += countOf(node.left) + 1;
      node = node.right;
    } else node = node.left;
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
