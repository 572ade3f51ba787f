/**
 * A page of a filtered list walked in its own order from a cursor (issue 14: "a page's response
 * time and size do not depend on the size of the log"). The walk stops after `limit` matches or
 * after examining `budget` positions, whichever comes first, and says where to go on: a sparse
 * filter may answer fewer than `limit` items with a `next`, and the client asks for more. So a
 * page costs at most `budget` look-ups, whatever the log holds.
 */

/** Records examined for one page at most: the bound on a page's cost when the filter is sparse. */
export const SCAN_BUDGET = 2_000;

/** What a pick answers to end the page before its position, unexamined: a costlier budget of its own ran out (request-search.ts, sealed members). */
export const SCAN_STOP: unique symbol = Symbol('scan stop');

export interface ScannedPage<T> {
  readonly items: T[];
  /** The position to continue from, or null when the walk reached the end. */
  readonly next: number | null;
}

/**
 * Walks `positions` in their order, keeping what `pick` returns (undefined: no match;
 * SCAN_STOP: go on from here on the next page), and answers the first position it did not
 * examine as `next`, or undefined when the walk reached the end. A pick may wait (it opens
 * sealed members).
 */
export async function scanFrom<P, T>(positions: Iterable<P>, pick: (position: P) => T | undefined | typeof SCAN_STOP | Promise<T | undefined | typeof SCAN_STOP>, limit: number, budget: number = SCAN_BUDGET): Promise<{ items: T[]; next: P | undefined }> {
  const items: T[] = [];
  let examined = 0;
  for (const position of positions) {
    if (items.length >= limit || examined >= budget) return { items, next: position };
    const item = await pick(position);
    if (item === SCAN_STOP) return { items, next: position };
    if (item !== undefined) items.push(item);
    examined += 1;
  }
  return { items, next: undefined };
}

/**
 * Walks positions `from`, `from + step`, … while `inRange` (`scanFrom`). `step` is 1 for a
 * list read forward, -1 for one read backward.
 */
export async function scanPage<T>(from: number, step: 1 | -1, inRange: (position: number) => boolean, pick: (position: number) => T | undefined | typeof SCAN_STOP | Promise<T | undefined | typeof SCAN_STOP>, limit: number, budget: number = SCAN_BUDGET): Promise<ScannedPage<T>> {
  function* positions(): Generator<number> {
    for (let position = from; inRange(position); position += step) yield position;
  }
  const { items, next } = await scanFrom(positions(), pick, limit, budget);
  return { items, next: next ?? null };
}
