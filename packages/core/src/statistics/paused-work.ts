/**
 * Work that pauses: a generator that yields between its pieces of work and returns its result
 * (figure-index.ts `countFigureIndex`, persistent-bag.ts `bagBuilding`). A service runs it a
 * slice at a time between its other work (issue 14: a restart counts its figure index so).
 */

/** Runs work that pauses to its end, without a pause. */
export function withoutPauses<R>(work: Generator<void, R>): R {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}

/**
 * The positions 0 … count-1 in `compare`'s order, which must be total: runs of `piece`
 * positions sorted, then merged two by two, with a pause after each run sorted and after every
 * `piece` positions a merge places. A sort of 316,368 positions at once held the event loop 81 ms.
 */
export function* sortedPositions(count: number, compare: (a: number, b: number) => number, piece: number): Generator<void, number[]> {
  let runs: number[][] = [];
  for (let start = 0; start < count; start += piece) {
    runs.push(Array.from({ length: Math.min(piece, count - start) }, (_, offset) => start + offset).sort(compare));
    yield;
  }
  while (runs.length > 1) {
    const merged: number[][] = [];
    for (let pair = 0; pair + 1 < runs.length; pair += 2) merged.push(yield* mergedRuns(runs[pair]!, runs[pair + 1]!, compare, piece));
    // An odd run out waits for the next round of merges.
    if (runs.length % 2 === 1) merged.push(runs[runs.length - 1]!);
    runs = merged;
  }
  return runs[0] ?? [];
}

function* mergedRuns(a: readonly number[], b: readonly number[], compare: (a: number, b: number) => number, piece: number): Generator<void, number[]> {
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    out[k++] = compare(a[i]!, b[j]!) <= 0 ? a[i++]! : b[j++]!;
    if (k % piece === 0) yield;
  }
  while (i < a.length) out[k++] = a[i++]!;
  while (j < b.length) out[k++] = b[j++]!;
  return out;
}
