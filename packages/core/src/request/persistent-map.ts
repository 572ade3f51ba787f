/**
 * A persistent (immutable, structurally shared) map from string keys to values: a hash
 * array-mapped trie with 32-way branching.
 *
 * Why: `state = entries.reduce(apply, genesis)` must replay at least 50,000 entries/s, so
 * `apply` cannot copy the whole request map for every entry. A mutable map shared between
 * the old and the new state would be fast but would make every earlier state value lie
 * about its own contents (a gateway that keeps the state at checkpoint N, or an exchange
 * that tries an entry on a copy, would silently see later changes). With a trie an update
 * copies only the path to the changed leaf (about log32(n) arrays of 32 slots), every
 * state value stays valid forever, and a failed apply trivially leaves the state unchanged.
 */

const BITS = 5;
const MASK = 31;

interface Leaf<V> {
  readonly leaf: true;
  readonly hash: number;
  /** More than one entry only when two keys share the full 32-bit hash. */
  readonly entries: readonly (readonly [string, V])[];
}

interface Branch<V> {
  readonly leaf: false;
  readonly children: readonly (TrieNode<V> | undefined)[];
}

type TrieNode<V> = Leaf<V> | Branch<V>;

export interface PersistentMap<V> {
  readonly size: number;
  /** @internal the trie; read it through the functions below. */
  readonly root: TrieNode<V> | undefined;
}

export function emptyMap<V>(): PersistentMap<V> {
  return { size: 0, root: undefined };
}

/** FNV-1a over UTF-16 code units: deterministic on every platform, no clock or seed. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function mapGet<V>(map: PersistentMap<V>, key: string): V | undefined {
  const hash = hashKey(key);
  let node = map.root;
  let shift = 0;
  while (node !== undefined) {
    if (node.leaf) {
      if (node.hash !== hash) return undefined;
      for (const [candidate, value] of node.entries) if (candidate === key) return value;
      return undefined;
    }
    node = node.children[(hash >>> shift) & MASK];
    shift += BITS;
  }
  return undefined;
}

export function mapHas<V>(map: PersistentMap<V>, key: string): boolean {
  return mapGet(map, key) !== undefined;
}

/** Returns a new map with `key` set to `value`; `map` itself is unchanged. */
export function mapSet<V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> {
  const added = { value: false };
  const root = setIn(map.root, key, hashKey(key), value, 0, added);
  return { size: map.size + (added.value ? 1 : 0), root };
}

function setIn<V>(node: TrieNode<V> | undefined, key: string, hash: number, value: V, shift: number, added: { value: boolean }): TrieNode<V> {
  if (node === undefined) {
    added.value = true;
    return { leaf: true, hash, entries: [[key, value]] };
  }
  if (node.leaf) {
    if (node.hash === hash) {
      const index = node.entries.findIndex(([candidate]) => candidate === key);
      const entries = node.entries.slice();
      if (index >= 0) entries[index] = [key, value];
      else {
        entries.push([key, value]);
        added.value = true;
      }
      return { leaf: true, hash, entries };
    }
    // Two different 32-bit hashes differ in some 5-bit chunk at a shift of at most 30, so
    // splitting always terminates.
    const children: (TrieNode<V> | undefined)[] = new Array<TrieNode<V> | undefined>(32).fill(undefined);
    children[(node.hash >>> shift) & MASK] = node;
    return setIn({ leaf: false, children }, key, hash, value, shift, added);
  }
  const slot = (hash >>> shift) & MASK;
  const children = node.children.slice();
  children[slot] = setIn(node.children[slot], key, hash, value, shift + BITS, added);
  return { leaf: false, children };
}

/** Every value, in trie order (not insertion order; callers sort when order matters). */
export function mapValues<V>(map: PersistentMap<V>): V[] {
  const out: V[] = [];
  const walk = (node: TrieNode<V> | undefined): void => {
    if (node === undefined) return;
    if (node.leaf) {
      for (const [, value] of node.entries) out.push(value);
      return;
    }
    for (const child of node.children) walk(child);
  };
  walk(map.root);
  return out;
}

/**
 * Every key and value, in trie order: what a snapshot stores (request/snapshot.ts). The trie
 * itself is never stored, so a snapshot cannot carry a malformed one: decoding rebuilds it
 * with `mapFromEntries`.
 */
export function mapEntries<V>(map: PersistentMap<V>): [string, V][] {
  return Array.from(mapEntryIterator(map), ([key, value]): [string, V] => [key, value]);
}

/**
 * Every key and value in trie order, one at a time: a snapshot's writer walks the maps this
 * way in slices instead of copying them into arrays first (issue 14), and `mapEntries` copies
 * what it yields.
 */
export function* mapEntryIterator<V>(map: PersistentMap<V>): Generator<readonly [string, V]> {
  yield* entriesBelow(map.root);
}

function* entriesBelow<V>(node: TrieNode<V> | undefined): Generator<readonly [string, V]> {
  if (node === undefined) return;
  if (node.leaf) {
    yield* node.entries;
    return;
  }
  for (const child of node.children) yield* entriesBelow(child);
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
  let root: BuildNode<V> | undefined;
  for (const [key, value] of latest) root = insertOwned(root, key, hashKey(key), value, 0);
  return { size: latest.size, root };
}

/** A node while `mapFromEntries` builds it: a TrieNode's shape, with members it may still change (no one else holds it yet). */
type BuildNode<V> = { leaf: true; hash: number; entries: [string, V][] } | { leaf: false; children: (BuildNode<V> | undefined)[] };

/** `setIn` for a key not yet in the trie, changing the builder's own nodes instead of copying them. */
function insertOwned<V>(node: BuildNode<V> | undefined, key: string, hash: number, value: V, shift: number): BuildNode<V> {
  if (node === undefined) return { leaf: true, hash, entries: [[key, value]] };
  if (node.leaf) {
    if (node.hash === hash) {
      node.entries.push([key, value]);
      return node;
    }
    const children = new Array<BuildNode<V> | undefined>(32).fill(undefined);
    children[(node.hash >>> shift) & MASK] = node;
    return insertOwned({ leaf: false, children }, key, hash, value, shift);
  }
  const slot = (hash >>> shift) & MASK;
  node.children[slot] = insertOwned(node.children[slot], key, hash, value, shift + BITS);
  return node;
}

/**
 * Returns a new map without `key`; `map` itself is unchanged. A branch left with a single
 * leaf below it gives way to that leaf, so the trie has the shape it would have had if the
 * key had never been set: a map's shape depends on its keys only, never on its history.
 */
export function mapDelete<V>(map: PersistentMap<V>, key: string): PersistentMap<V> {
  const removed = { value: false };
  const root = deleteIn(map.root, key, hashKey(key), 0, removed);
  return removed.value ? { size: map.size - 1, root } : map;
}

function deleteIn<V>(node: TrieNode<V> | undefined, key: string, hash: number, shift: number, removed: { value: boolean }): TrieNode<V> | undefined {
  if (node === undefined) return undefined;
  if (node.leaf) {
    if (node.hash !== hash) return node;
    const entries = node.entries.filter(([candidate]) => candidate !== key);
    if (entries.length === node.entries.length) return node;
    removed.value = true;
    return entries.length === 0 ? undefined : { leaf: true, hash, entries };
  }
  const slot = (hash >>> shift) & MASK;
  const child = deleteIn(node.children[slot], key, hash, shift + BITS, removed);
  if (child === node.children[slot]) return node;
  const children = node.children.slice();
  children[slot] = child;
  const present = children.filter((candidate): candidate is TrieNode<V> => candidate !== undefined);
  if (present.length === 0) return undefined;
  // A lone leaf moves up; a lone branch stays, since two or more keys below it share this prefix.
  if (present.length === 1 && present[0]!.leaf) return present[0];
  return { leaf: false, children };
}

/**
 * The keys whose values differ between two versions of one map (`before` an ancestor of
 * `after`, or any two maps), with both values. Subtrees the two share are skipped by
 * identity, so the cost is that of the changed paths, not of the map: how views kept beside
 * the state learn what one entry changed (statistics/figure-index.ts).
 */
export function mapChanges<V>(before: PersistentMap<V>, after: PersistentMap<V>): MapChange<V>[] {
  const out: MapChange<V>[] = [];
  changesIn(before.root, after.root, out);
  return out;
}

export interface MapChange<V> {
  readonly key: string;
  readonly before: V | undefined;
  readonly after: V | undefined;
}

function changesIn<V>(a: TrieNode<V> | undefined, b: TrieNode<V> | undefined, out: MapChange<V>[]): void {
  if (a === b) return;
  if (a !== undefined && b !== undefined && !a.leaf && !b.leaf) {
    for (let slot = 0; slot < 32; slot += 1) if (a.children[slot] !== b.children[slot]) changesIn(a.children[slot], b.children[slot], out);
    return;
  }
  // A leaf against a leaf, a branch or nothing: the few keys below are compared one by one.
  const old = leavesOf(a, []);
  const fresh = leavesOf(b, []);
  for (const [key, value] of fresh) {
    const was = old.find((pair) => pair[0] === key);
    if (was === undefined || was[1] !== value) out.push({ key, before: was?.[1], after: value });
  }
  for (const [key, value] of old) if (!fresh.some((pair) => pair[0] === key)) out.push({ key, before: value, after: undefined });
}

function leavesOf<V>(node: TrieNode<V> | undefined, into: (readonly [string, V])[]): (readonly [string, V])[] {
  if (node === undefined) return into;
  if (node.leaf) into.push(...node.entries);
  else for (const child of node.children) leavesOf(child, into);
  return into;
}

/** Every key, in trie order. */
export function mapKeys<V>(map: PersistentMap<V>): string[] {
  return mapEntries(map).map(([key]) => key);
}
