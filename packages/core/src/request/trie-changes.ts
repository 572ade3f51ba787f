/**
 * The keys whose values differ between two tries of persistent-map.ts, the subtrees they share
 * skipped by identity (`mapChanges` there says what for).
 */

import { valueOf } from './unread-value.ts';
import { heldAlike } from './shelved-value.ts';
import { Branch, childAt, pairsOf, type TrieNode } from './trie-nodes.ts';
import type { MapChange } from './persistent-map.ts';

/** Pushes onto `out` each key whose value differs between the trie below `a` and the one below `b`. */
export function trieChanges<V>(a: TrieNode<V> | undefined, b: TrieNode<V> | undefined, out: MapChange<V>[]): void {
  if (a === b) return;
  if (a instanceof Branch && b instanceof Branch) {
    const present = a.bitmap | b.bitmap;
    for (let slot = 0; slot < 32; slot += 1) {
      const bit = 1 << slot;
      if ((present & bit) === 0) continue;
      const before = childAt(a, bit);
      const after = childAt(b, bit);
      if (before !== after) trieChanges(before, after, out);
    }
    return;
  }
  // A leaf against a leaf, a branch or nothing: the few keys below are compared one by one, by
  // what their leaves hold, since a shelved value reads as a new object at every reading.
  const old = heldPairsOf(a, []);
  const fresh = heldPairsOf(b, []);
  for (const [key, held] of fresh) {
    const was = old.find((pair) => pair[0] === key);
    // One value held by two nodes may be shelved in one of them only (shelved-value.ts `heldAlike`).
    if (was !== undefined && heldAlike(was[1], held)) continue;
    const before = was === undefined ? undefined : valueOf(was[1]);
    const after = valueOf(held);
    if (before !== after) out.push({ key, before, after });
  }
  for (const [key, held] of old) if (!fresh.some((pair) => pair[0] === key)) out.push({ key, before: valueOf(held), after: undefined });
}

/**
 * The pairs below `node`, each value as its leaf holds it. An Unread value that two leaves
 * hold reads once, as the same value, so `valueOf` on both sides still tells a change by `!==`.
 */
function heldPairsOf<V>(node: TrieNode<V> | undefined, into: (readonly [string, V])[]): (readonly [string, V])[] {
  if (node instanceof Branch) for (const child of node.children) heldPairsOf(child, into);
  else if (node !== undefined) into.push(...pairsOf(node));
  return into;
}
