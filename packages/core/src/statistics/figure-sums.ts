import { bagAdd, bagBuilding, bagRemove, EMPTY_BAG, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { emptyTally, finishFigures, OVERDUE_COUNTS, withDeadlinesRunOut, type FigureCounts, type OverdueCount, type RequestFigures, type TimelessFigures } from './request-figures.ts';
import { pendingTimes } from './censored-times.ts';
import { addCounts, addCountsInPlace, type CountsChange } from './figure-counts.ts';

/**
 * The figures of a set of requests (a pair's, an incident's, a group's) summed whatever the
 * instant, as figure-index.ts keeps them: moved as entries apply (`moveSums`), counted from
 * scratch (`tallySums`, `finishedSums`), and read at an instant (`finishSums`).
 */

/** The figures of some requests summed whatever the instant (request-figures.ts `TimelessFigures`). */
export interface FigureSums {
  readonly counts: FigureCounts;
  /** Days from filing to decision of those requests, one element per request. */
  readonly decided: PersistentBag;
  /** The due instants of the deadlines they have running, by the count each joins once run out: one element per request. */
  readonly deadlines: Readonly<Record<OverdueCount, PersistentBag>>;
  /** The filing instants of those pending, one element per request. */
  readonly pendingSince: PersistentBag;
}

const NO_DEADLINES = Object.fromEntries(OVERDUE_COUNTS.map((count) => [count, EMPTY_BAG])) as Record<OverdueCount, PersistentBag>;
export const NO_SUMS: FigureSums = { counts: emptyTally().counts, decided: EMPTY_BAG, deadlines: NO_DEADLINES, pendingSince: EMPTY_BAG };

/** One element of a bag moved from `before` to `after` (undefined: none): nothing copied when it stays. */
export function moveElement(bag: PersistentBag, before: number | undefined, after: number | undefined, id: string): PersistentBag {
  if (before === after) return bag;
  const without = before === undefined ? bag : bagRemove(bag, before, id);
  return after === undefined ? without : bagAdd(without, after, id);
}

/**
 * Sums with request `id`'s figures moved from `before` to `after` (undefined: not counted).
 * Only what changed is taken out and put in: each change of a bag copies a path of it, and
 * every entry that touches a request passes here (issue 14: the index's share of `apply`).
 */
export function moveSums(sums: FigureSums, before: TimelessFigures | undefined, after: TimelessFigures | undefined, change: CountsChange | undefined, id: string): FigureSums {
  const counts = change === undefined ? sums.counts : addCounts(sums.counts, change);
  // A request has decided at most once: one element of days.
  const decided = moveElement(sums.decided, before?.tally.days[0], after?.tally.days[0], id);
  let deadlines = sums.deadlines;
  for (const count of OVERDUE_COUNTS) {
    const moved = moveElement(deadlines[count], before?.deadlines[count], after?.deadlines[count], id);
    if (moved !== deadlines[count]) deadlines = { ...deadlines, [count]: moved };
  }
  const pendingSince = moveElement(sums.pendingSince, before?.pendingSince, after?.pendingSince, id);
  return { counts, decided, deadlines, pendingSince };
}

/** Whether a request's figures are the same before and after an entry (its counts compared by `countsChange`): then no sum changes. */
export function sameFigures(before: TimelessFigures | undefined, after: TimelessFigures | undefined, change: CountsChange | undefined): boolean {
  if (before === undefined || after === undefined) return before === after;
  return change === undefined && before.tally.days[0] === after.tally.days[0] && before.pendingSince === after.pendingSince && OVERDUE_COUNTS.every((count) => before.deadlines[count] === after.deadlines[count]);
}

/** The figures at `now` of some requests' sums: the deadlines run out by `now` join the counts, and the waits of the pending are read from their filings. */
export function finishSums(sums: FigureSums | undefined, now: number): RequestFigures {
  const base = sums ?? NO_SUMS;
  return finishFigures(withDeadlinesRunOut(base.counts, base.deadlines, now), base.decided, pendingTimes(base.pendingSince, now));
}

/** Sums being counted from scratch (`buildFigureIndex`): the counts so far, and the elements of each bag to build. */
export interface SumsTally {
  readonly counts: FigureCounts;
  readonly decided: BagElement[];
  readonly deadlines: Record<OverdueCount, BagElement[]>;
  readonly pendingSince: BagElement[];
}

// Counts of their own, added into in place (figure-counts.ts `addCountsInPlace`).
export const newSums = (): SumsTally => ({ counts: emptyTally().counts, decided: [], deadlines: Object.fromEntries(OVERDUE_COUNTS.map((count) => [count, []])) as unknown as Record<OverdueCount, BagElement[]>, pendingSince: [] });

export function tallySums(sums: SumsTally, figures: TimelessFigures, id: string): void {
  addCountsInPlace(sums.counts, figures.tally.counts);
  for (const days of figures.tally.days) sums.decided.push({ value: days, id });
  for (const count of OVERDUE_COUNTS) {
    const due = figures.deadlines[count];
    if (due !== undefined) sums.deadlines[count].push({ value: due, id });
  }
  if (figures.pendingSince !== undefined) sums.pendingSince.push({ value: figures.pendingSince, id });
}

/** The sums' bags built from their tallies, with pauses (persistent-bag.ts `bagBuilding`, for figure-index.ts `countFigureIndex`). */
export function* finishingSums(sums: SumsTally): Generator<void, FigureSums> {
  const deadlines: Partial<Record<OverdueCount, PersistentBag>> = {};
  for (const count of OVERDUE_COUNTS) deadlines[count] = yield* bagBuilding(sums.deadlines[count]);
  return { counts: sums.counts, decided: yield* bagBuilding(sums.decided), deadlines: deadlines as Record<OverdueCount, PersistentBag>, pendingSince: yield* bagBuilding(sums.pendingSince) };
}
