/**
 * Work that pauses: a generator that yields between its pieces of work and returns its result
 * (figure-index.ts `countFigureIndex`, persistent-bag.ts `bagBuilding`). A service runs it a
 * slice at a time between its other work; this runs it to its end without a pause.
 */
export function withoutPauses<R>(work: Generator<void, R>): R {
  for (;;) {
    const step = work.next();
    if (step.done) return step.value;
  }
}
