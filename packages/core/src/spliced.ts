/**
 * `list` with `count` members from `at` replaced by `added`, as a new array of its exact length.
 *
 * Why: an array that grows by `push` or `splice` keeps room for half as many again plus 16
 * (V8's growth rule), and the persistent structures keep their nodes' arrays for as long as
 * the state lives. A trie branch that gained a key by `splice` kept some 13 slots spare: in the
 * sustained run of issue 14, an exchange held 1,919 bytes for each entry it gained, and 1,746
 * with its arrays at their length (heap snapshots at minutes 1 and 3, `scripts/heap-diff.mjs`);
 * a bag of 100,000 elements held 61 bytes an element instead of 47. So the array grows, then is
 * copied to its length (core/test/spare-room.test.ts asks V8). Not `concat`: given the rest
 * parameter's array, it gives an array of boxed numbers where `push` keeps them in place.
 *
 * For arrays of references (ids, items, children). Arrays of numbers go through
 * `splicedNumbers`, the same steps in a function of their own (below).
 */
export function spliced<T>(list: readonly T[], at: number, count: number, ...added: T[]): T[] {
  const out = list.slice(0, at);
  for (const member of added) out.push(member);
  for (let index = at + count; index < list.length; index++) out.push(list[index]!);
  return out.slice();
}

/**
 * `spliced` for arrays of numbers (a bag node's values), kept apart on purpose. Optimised code
 * that has read both arrays of numbers and arrays of references at one place unifies them: V8
 * turns each array of numbers it reads there into one of boxed numbers, 16 bytes more each, in
 * place, so in the nodes that earlier bags still hold too. One function for both did that to
 * hundreds of a bag's value lists within 20,000 adds (core/test/state-memory.test.ts).
 */
export function splicedNumbers(list: readonly number[], at: number, count: number, ...added: number[]): number[] {
  const out = list.slice(0, at);
  for (const member of added) out.push(member);
  for (let index = at + count; index < list.length; index++) out.push(list[index]!);
  return out.slice();
}
