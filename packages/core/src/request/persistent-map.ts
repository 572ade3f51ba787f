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
  const out: [string, V][] = [];
  const walk = (node: TrieNode<V> | undefined): void => {
    if (node === undefined) return;
    if (node.leaf) {
      for (const [key, value] of node.entries) out.push([key, value]);
      return;
    }
    for (const child of node.children) walk(child);
  };
  walk(map.root);
  return out;
}

/** A map of `entries`, later keys replacing earlier ones. */
export function mapFromEntries<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
  let map = emptyMap<V>();
  for (const [key, value] of entries) map = mapSet(map, key, value);
  return map;
}
