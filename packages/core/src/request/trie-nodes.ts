/**
 * The nodes of persistent-map.ts's hash array-mapped trie, and how a key's hash finds its slot
 * in them: what the map's operations (persistent-map.ts) and the comparison of two tries
 * (trie-changes.ts) share.
 */

import { fnv1a } from '../fnv1a.ts';
import { Unread } from './unread-value.ts';
import { Shelved } from './shelved-value.ts';

/** Bits of the hash each level of the trie consumes: 32-way branches. */
export const BITS = 5;
const MASK = 31;

/*
 * The nodes are bitmap-compressed (Bagwell, "Ideal Hash Trees", 2001): a branch holds only its
 * children that exist, in slot order, and a bitmap of their slots. With a full array of 32
 * slots per branch, the sparse branches near the leaves cost 272 bytes each for two or three
 * children, and a key cost three objects (leaf, entry list, pair); the sustained run of issue 14
 * measured 322 bytes of heap per key of `requestIds`, a map whose values are short strings.
 * The shape still depends on the keys alone: a branch never holds a lone leaf (see `mapDelete`).
 */

/** One key, alone at its hash. */
export class Leaf<V> {
  constructor(
    readonly hash: number,
    readonly key: string,
    /**
     * The value; or until it is first read an Unread one (unread-value.ts), which the reading
     * replaces (`leafValue`); or a Shelved one (shelved-value.ts), read at every reading.
     */
    public value: V,
  ) {}
}

/**
 * A leaf's value, read if it was held unread or shelved. A leaf that held it unread then holds
 * the value itself: it is the same value (an Unread object reads once), so the trie is as
 * immutable as before to its readers, and the object with its bytes is let go. A shelved value
 * stays shelved (shelved-value.ts).
 */
export function leafValue<V>(leaf: Leaf<V>): V {
  const held: unknown = leaf.value;
  if (held instanceof Shelved) return (held as Shelved<V>).read();
  if (!(held instanceof Unread)) return held as V;
  const value = (held as Unread<V>).read();
  leaf.value = value;
  return value;
}

/** Two or more keys sharing the full 32-bit hash, in the order they were first given. */
export class Collision<V> {
  constructor(
    readonly hash: number,
    readonly entries: readonly (readonly [string, V])[],
  ) {}
}

/** The children present below a prefix, in slot order; bit `s` of `bitmap` is set when slot `s` has one. */
export class Branch<V> {
  constructor(
    readonly bitmap: number,
    readonly children: readonly TrieNode<V>[],
  ) {}
}

export type TrieNode<V> = Leaf<V> | Collision<V> | Branch<V>;

/**
 * FNV-1a over UTF-16 code units: deterministic on every platform, no clock or seed. Cut to 30
 * bits (six levels of the trie), a small integer on every V8 build: V8 keeps a number field
 * in place only while every object of the shape holds a small integer, and once one holds a
 * larger number it boxes the field of all of them, 16 bytes each (issue 14, memory per entry).
 */
export function hashKey(key: string): number {
  return fnv1a(key) & 0x3fffffff;
}

/** Set bits of a 32-bit word (Hacker's Delight, figure 5-2). */
function popcount(word: number): number {
  let bits = word - ((word >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  bits = (bits + (bits >>> 4)) & 0x0f0f0f0f;
  return Math.imul(bits, 0x01010101) >>> 24;
}

/** Where the child of slot bit `bit` sits in a branch's list: the children of the slots below it. */
export const positionOf = (bitmap: number, bit: number): number => popcount(bitmap & (bit - 1));

export const slotBit = (hash: number, shift: number): number => 1 << ((hash >>> shift) & MASK);

export function childAt<V>(branch: Branch<V>, bit: number): TrieNode<V> | undefined {
  return (branch.bitmap & bit) === 0 ? undefined : branch.children[positionOf(branch.bitmap, bit)];
}

/** The leaf or collision below `root` that would hold `key`, if any. */
export function holderOf<V>(root: TrieNode<V> | undefined, key: string, hash: number): Leaf<V> | Collision<V> | undefined {
  let node = root;
  let shift = 0;
  while (node instanceof Branch) {
    node = childAt(node, slotBit(hash, shift));
    shift += BITS;
  }
  return node === undefined || node.hash !== hash ? undefined : node;
}

/** The pairs of a leaf or a collision. */
export const pairsOf = <V>(node: Leaf<V> | Collision<V>): readonly (readonly [string, V])[] => (node instanceof Leaf ? [[node.key, node.value]] : node.entries);

/** The node for one or more pairs sharing `hash`: a leaf for one, a collision for more. */
export const nodeAt = <V>(hash: number, pairs: readonly (readonly [string, V])[]): Leaf<V> | Collision<V> => (pairs.length === 1 ? new Leaf(hash, pairs[0]![0], pairs[0]![1]) : new Collision(hash, pairs));
