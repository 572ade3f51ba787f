/**
 * A persistent (immutable, structurally shared) map from string keys to values: a hash
 * array-mapped trie with 32-way branching.
 *
 * Why: `state = entries.reduce(apply, genesis)` must replay at least 50,000 entries/s, so
 * `apply` cannot copy the whole request map for every entry. A mutable map shared between
 * the old and the new state would be fast but would make every earlier state value lie
 * about its own contents (a gateway that keeps the state at checkpoint N, or an exchange
 * that tries an entry on a copy, would silently see later changes). With a trie an update
 * copies only the path to the changed leaf (about log32(n) arrays of at most 32 children), every
 * state value stays valid forever, and a failed apply trivially leaves the state unchanged.
 * The trie's nodes are in trie-nodes.ts, the comparison of two tries in trie-changes.ts.
 */

import { valueOf } from './unread-value.ts';
import { shelvedOnce, Shelved } from './shelved-value.ts';
import { spliced } from '../spliced.ts';
import { BITS, Branch, Collision, hashKey, holderOf, Leaf, leafValue, nodeAt, pairsOf, positionOf, slotBit, type TrieNode } from './trie-nodes.ts';
import { trieChanges } from './trie-changes.ts';
import { emptyPositions, positionOfKey, Positions, positionsChanges, positionsEntries, positionsGet, positionsOf, positionsPop, positionsSet } from './positions.ts';

export interface PersistentMap<V> {
  readonly size: number;
  /** @internal the trie, or the values by position (positions.ts); read it through the functions below. */
  readonly root: TrieNode<V> | Positions<V> | undefined;
}

/** The trie of a map, its root a Branch, a Leaf or a Collision. */
type TrieMap<V> = PersistentMap<V> & { readonly root: TrieNode<V> | undefined };

export function emptyMap<V>(): PersistentMap<V> {
  return { size: 0, root: undefined };
}

/**
 * An empty order index: a map whose keys are to be the positions 0 … n−1 as decimal text, in
 * the order they are set (`String(record.seq)`), held by position (positions.ts) while they
 * are. Every function here reads and changes it as any map. A key that is not the next
 * position, or the removal of a key other than the last, turns it into the hash trie, once, at
 * a cost that of the whole map: an order index never meets either.
 */
export function emptyPositionalMap<V>(): PersistentMap<V> {
  return { size: 0, root: emptyPositions<V>() };
}

/** `mapFromEntries` for an order index whose keys are exactly the positions 0 … n−1; any other keys give the hash trie. */
export function positionalMapFromEntries<V>(entries: ReadonlyMap<string, V>): PersistentMap<V> {
  const values: V[] = new Array<V>(entries.size);
  // n keys, each a position below n and none twice, are the positions 0 … n−1: every slot is filled.
  for (const [key, value] of entries) {
    const position = positionOfKey(key);
    if (position === undefined || position >= entries.size || position in values) return mapFromEntries(entries);
    values[position] = value;
  }
  return { size: entries.size, root: positionsOf(values) };
}

const isPositional = <V>(map: PersistentMap<V>): map is PersistentMap<V> & { readonly root: Positions<V> } => map.root instanceof Positions;

/** The same pairs as a hash trie: a positional map given a key out of order (`emptyPositionalMap`). */
function asTrie<V>(map: PersistentMap<V>): TrieMap<V> {
  return isPositional(map) ? (mapFromEntries(mapEntryIterator(map)) as TrieMap<V>) : (map as TrieMap<V>);
}

/** The position `key` names in a positional map, if it names one it holds. */
function heldPosition<V>(map: PersistentMap<V> & { readonly root: Positions<V> }, key: string): number | undefined {
  const position = positionOfKey(key);
  return position !== undefined && position < map.size ? position : undefined;
}



export function mapGet<V>(map: PersistentMap<V>, key: string): V | undefined {
  if (isPositional(map)) {
    const position = heldPosition(map, key);
    return position === undefined ? undefined : valueOf(positionsGet(map.root, map.size, position)!);
  }
  const node = holderOf((map as TrieMap<V>).root, key, hashKey(key));
  if (node === undefined) return undefined;
  if (node instanceof Leaf) return node.key === key ? leafValue(node) : undefined;
  for (const [candidate, value] of node.entries) if (candidate === key) return valueOf(value);
  return undefined;
}

/** Whether `key` is set; a value held unread stays unread. */
export function mapHas<V>(map: PersistentMap<V>, key: string): boolean {
  if (isPositional(map)) return heldPosition(map, key) !== undefined;
  const node = holderOf((map as TrieMap<V>).root, key, hashKey(key));
  if (node === undefined) return false;
  return node instanceof Leaf ? node.key === key : node.entries.some(([candidate]) => candidate === key);
}

/** Returns a new map with `key` set to `value`; `map` itself is unchanged. */
export function mapSet<V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> {
  if (isPositional(map)) {
    const position = positionOfKey(key);
    if (position !== undefined && position <= map.size) return { size: position === map.size ? map.size + 1 : map.size, root: positionsSet(map.root, map.size, position, value) };
  }
  const added = { value: false };
  const root = setIn(asTrie(map).root, key, hashKey(key), value, 0, added);
  return { size: map.size + (added.value ? 1 : 0), root };
}


function setIn<V>(node: TrieNode<V> | undefined, key: string, hash: number, value: V, shift: number, added: { value: boolean }): TrieNode<V> {
  if (node === undefined) {
    added.value = true;
    return new Leaf(hash, key, value);
  }
  if (node instanceof Branch) {
    const bit = slotBit(hash, shift);
    const position = positionOf(node.bitmap, bit);
    if ((node.bitmap & bit) !== 0) return new Branch(node.bitmap, spliced(node.children, position, 1, setIn(node.children[position], key, hash, value, shift + BITS, added)));
    return new Branch(node.bitmap | bit, spliced(node.children, position, 0, setIn(undefined, key, hash, value, shift + BITS, added)));
  }
  if (node.hash === hash) {
    const entries = pairsOf(node).slice();
    const index = entries.findIndex(([candidate]) => candidate === key);
    if (index >= 0) entries[index] = [key, value];
    else {
      entries.push([key, value]);
      added.value = true;
    }
    return nodeAt(hash, entries);
  }
  // Two different 32-bit hashes differ in some 5-bit chunk at a shift of at most 30, so
  // splitting always terminates.
  return setIn(new Branch(slotBit(node.hash, shift), [node]), key, hash, value, shift, added);
}

/** Every value, in trie order (not insertion order; callers sort when order matters), or in position order for a map held by position. */
export function mapValues<V>(map: PersistentMap<V>): V[] {
  if (isPositional(map)) return Array.from(positionsEntries(map.root, map.size), ([, value]) => valueOf(value));
  const out: V[] = [];
  const walk = (node: TrieNode<V> | undefined): void => {
    if (node instanceof Branch) for (const child of node.children) walk(child);
    else if (node instanceof Leaf) out.push(leafValue(node));
    else if (node !== undefined) for (const [, value] of node.entries) out.push(valueOf(value));
  };
  walk((map as TrieMap<V>).root);
  return out;
}

/**
 * Every key and value, in trie order, or position order for a map held by position: what a
 * snapshot stores (request/snapshot.ts). The trie itself is never stored, so a snapshot cannot
 * carry a malformed one: decoding rebuilds it with `mapFromEntries`, an order index with
 * `positionalMapFromEntries`.
 */
export function mapEntries<V>(map: PersistentMap<V>): [string, V][] {
  return Array.from(mapEntryIterator(map), ([key, value]): [string, V] => [key, value]);
}

/**
 * Every key and value in the order of `mapEntries`, one at a time: a snapshot's writer walks the maps this
 * way in slices instead of copying them into arrays first (issue 14), and `mapEntries` copies
 * what it yields.
 */
export function* mapEntryIterator<V>(map: PersistentMap<V>): Generator<readonly [string, V]> {
  if (isPositional(map)) for (const [position, value] of positionsEntries(map.root, map.size)) yield [String(position), valueOf(value)];
  else yield* entriesBelow((map as TrieMap<V>).root);
}

/**
 * `mapEntryIterator`, with a shelved value given as its Shelved, unread (shelved-value.ts): a
 * whole snapshot writes its JSON text as the shelf holds it (log json-lines.ts `JsonText`).
 * Reading and stringifying again each shelved record slowed the sustained run of issue 14 as
 * the log grew (whole snapshots of 150,000 records, in three services).
 */
export function* mapHeldEntryIterator<V>(map: PersistentMap<V>): Generator<readonly [string, V | Shelved<V>]> {
  // A positional map holds no shelved value (`mapShelve` shelves in leaves of the trie only).
  if (isPositional(map)) yield* mapEntryIterator(map);
  else yield* entriesBelow((map as TrieMap<V>).root, true);
}

function* entriesBelow<V>(node: TrieNode<V> | undefined, shelvedAsHeld = false): Generator<readonly [string, V]> {
  // A leaf's pair is made as it is yielded, not first wrapped in a list: a whole snapshot walks every key.
  if (node instanceof Branch) for (const child of node.children) yield* entriesBelow(child, shelvedAsHeld);
  else if (node instanceof Leaf) yield [node.key, shelvedAsHeld && (node.value as unknown) instanceof Shelved ? node.value : leafValue(node)];
  else if (node !== undefined) for (const [key, value] of node.entries) yield [key, valueOf(value)];
}

/**
 * A map of `entries`, later keys replacing earlier ones. Built in place, not by `mapSet` after
 * `mapSet`: each of those copies the path it changes, which for a snapshot's 228,000 requests
 * at 10^6 entries was most of a second of copying and as much garbage (issue 14). Only nodes
 * made here are changed, before the map is handed out. The trie is the one those calls would
 * give: a map's shape depends on its keys only (see `mapDelete`), and keys sharing a hash stay
 * in the order they were first given.
 */
export function mapFromEntries<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
  const latest = entries instanceof Map ? (entries as Map<string, V>) : new Map<string, V>(entries);
  let root: TrieNode<V> | undefined;
  for (const [key, value] of latest) root = insertOwned(root, key, hashKey(key), value, 0);
  trimOwned(root);
  return { size: latest.size, root };
}

/** Copies each branch's list of children to its length, once the inserts that grew it in place are done (spliced.ts says why). */
function trimOwned<V>(node: TrieNode<V> | undefined): void {
  if (!(node instanceof Branch)) return;
  (node as { children: readonly TrieNode<V>[] }).children = node.children.slice();
  for (const child of node.children) trimOwned(child);
}

/**
 * `setIn` for a key not yet in the trie, changing the branches made here in place instead of
 * copying them: no one else holds them until `mapFromEntries` returns.
 */
function insertOwned<V>(node: TrieNode<V> | undefined, key: string, hash: number, value: V, shift: number): TrieNode<V> {
  if (node === undefined) return new Leaf(hash, key, value);
  if (node instanceof Branch) {
    const bit = slotBit(hash, shift);
    const position = positionOf(node.bitmap, bit);
    const children = node.children as TrieNode<V>[];
    if ((node.bitmap & bit) !== 0) children[position] = insertOwned(children[position], key, hash, value, shift + BITS);
    else {
      children.splice(position, 0, new Leaf(hash, key, value));
      (node as { bitmap: number }).bitmap |= bit;
    }
    return node;
  }
  // The keys come from a Map, so a key sharing this hash is a new one, placed after those given before it.
  if (node.hash === hash) return new Collision(hash, [...pairsOf(node), [key, value]]);
  return insertOwned(new Branch(slotBit(node.hash, shift), [node]), key, hash, value, shift);
}

/**
 * Returns a new map without `key`; `map` itself is unchanged. A branch left with a single
 * leaf below it gives way to that leaf, so the trie has the shape it would have had if the
 * key had never been set: a map's shape depends on its keys only, never on its history.
 */
export function mapDelete<V>(map: PersistentMap<V>, key: string): PersistentMap<V> {
  if (isPositional(map)) {
    const position = heldPosition(map, key);
    if (position === undefined) return map;
    if (position === map.size - 1) return { size: map.size - 1, root: positionsPop(map.root, map.size) };
  }
  const removed = { value: false };
  const root = deleteIn(asTrie(map).root, key, hashKey(key), 0, removed);
  return removed.value ? { size: map.size - 1, root } : map;
}

function deleteIn<V>(node: TrieNode<V> | undefined, key: string, hash: number, shift: number, removed: { value: boolean }): TrieNode<V> | undefined {
  if (node === undefined) return undefined;
  if (node instanceof Branch) {
    const bit = slotBit(hash, shift);
    if ((node.bitmap & bit) === 0) return node;
    const position = positionOf(node.bitmap, bit);
    const child = deleteIn(node.children[position], key, hash, shift + BITS, removed);
    if (child === node.children[position]) return node;
    const children = child === undefined ? spliced(node.children, position, 1) : spliced(node.children, position, 1, child);
    if (children.length === 0) return undefined;
    // A lone leaf moves up; a lone branch stays, since two or more keys below it share this prefix.
    if (children.length === 1 && !(children[0] instanceof Branch)) return children[0];
    return new Branch(child === undefined ? node.bitmap & ~bit : node.bitmap, children);
  }
  if (node.hash !== hash) return node;
  const pairs = pairsOf(node);
  const entries = pairs.filter(([candidate]) => candidate !== key);
  if (entries.length === pairs.length) return node;
  removed.value = true;
  return entries.length === 0 ? undefined : nodeAt(hash, entries);
}

/**
 * The keys whose values differ between two versions of one map (`before` an ancestor of
 * `after`, or any two maps), with both values. Subtrees the two share are skipped by
 * identity, so the cost is that of the changed paths, not of the map: how views kept beside
 * the state learn what one entry changed (statistics/figure-index.ts).
 */
export function mapChanges<V>(before: PersistentMap<V>, after: PersistentMap<V>): MapChange<V>[] {
  const out: MapChange<V>[] = [];
  if (isPositional(before) && isPositional(after)) {
    positionsChanges(before.root, before.size, after.root, after.size, (position, was, is) => out.push({ key: String(position), before: was === undefined ? undefined : valueOf(was), after: is === undefined ? undefined : valueOf(is) }));
  } else if (isPositional(before) || isPositional(after)) {
    // One of them held by position, the other not (an order index given a key out of order, which none is): compared
    // pair by pair, the positional one made a trie at each call, at the cost of the whole map.
    trieChanges(asTrie(before).root, asTrie(after).root, out);
  } else trieChanges((before as TrieMap<V>).root, (after as TrieMap<V>).root, out);
  return out;
}

export interface MapChange<V> {
  readonly key: string;
  readonly before: V | undefined;
  readonly after: V | undefined;
}


/** The leaf of `key` when it holds `value` itself, not an equal one, nor one read back; an object, which `heldAlike` can know again. */
function leafHolding<V>(map: PersistentMap<V>, key: string, value: V): Leaf<V> | undefined {
  if (typeof value !== 'object' || value === null || isPositional(map)) return undefined;
  const node = holderOf((map as TrieMap<V>).root, key, hashKey(key));
  return node instanceof Leaf && node.key === key && node.value === value ? node : undefined;
}

/**
 * Whether `mapShelve` would shelve `value` under `key`: the leaf of `key` holds that very
 * value. A key that shares its hash with another (a Collision, some 230 of 10^6 keys) keeps
 * its value in the heap.
 */
export function mapCanShelve<V>(map: PersistentMap<V>, key: string, value: V): boolean {
  return leafHolding(map, key, value) !== undefined;
}

/**
 * Has the leaf of `key` hold `shelved` in place of `value`, when it holds `value` itself
 * (`mapCanShelve`): a change of where the value is kept, not of what it is (shelved-value.ts),
 * so every state that shares the leaf still reads that value, as data: a reading is a new
 * object, and `shelved` must read as `value` does (JSON, as a shelf keeps it). Only an object
 * is shelved. Returns whether it did.
 */
export function mapShelve<V>(map: PersistentMap<V>, key: string, value: V, shelved: Shelved<V>): boolean {
  const leaf = leafHolding(map, key, value);
  if (leaf === undefined) return false;
  (leaf as Leaf<V | Shelved<V>>).value = shelvedOnce(value as V & object, shelved);
  return true;
}

/** Every key, in trie order. */
export function mapKeys<V>(map: PersistentMap<V>): string[] {
  return mapEntries(map).map(([key]) => key);
}
