import { SECONDS_PER_DAY, type UnixSeconds } from '../time.ts';
import { bagAt, bagSize, type PersistentBag } from './persistent-bag.ts';

/**
 * Times some subjects have waited without the event, for a median of right-censored times
 * (median.ts `bagCensoredMedian`) and for the buckets of those still waiting: the days each
 * pending request has waited at the reading's instant. Read by count, never walked, so that a
 * reading costs O(log n) lookups however many requests are pending (issue 14).
 */
export interface CensoredTimes {
  readonly count: number;
  /** How many times are strictly below `time`. */
  countBelow(time: number): number;
  /** The smallest time at or above `time`; undefined when there is none. */
  firstAtLeast(time: number): number | undefined;
}

export const NO_TIMES: CensoredTimes = { count: 0, countBelow: () => 0, firstAtLeast: () => undefined };

/** The least index in [0, length) at which `passes` holds, `passes` being false then true along it; `length` when it never holds. */
export function firstPassing(length: number, passes: (index: number) => boolean): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (passes(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** Censored times from a list of them, sorted once. */
export function sortedTimes(times: readonly number[]): CensoredTimes {
  if (times.length === 0) return NO_TIMES;
  const sorted = [...times].sort((a, b) => a - b);
  return {
    count: sorted.length,
    countBelow: (time) => firstPassing(sorted.length, (index) => sorted[index]! >= time),
    firstAtLeast: (time) => sorted[firstPassing(sorted.length, (index) => sorted[index]! >= time)],
  };
}

/** The days a request filed at `filedAt` has waited at `now`: request-figures.ts counts a pending request's wait with this. */
export function daysWaited(filedAt: UnixSeconds, now: UnixSeconds): number {
  return Math.max(0, now - filedAt) / SECONDS_PER_DAY;
}

/**
 * The days waited at `now` by the pending requests whose filing instants a bag holds
 * (figure-index.ts `pendingSince`). A later filing has waited less, so the waits run in the
 * reverse order of the bag, and each question is a binary search over ranks that compares
 * `daysWaited` itself: the same number the count of a single request gives, to the last bit.
 */
export function pendingTimes(filings: PersistentBag, now: UnixSeconds): CensoredTimes {
  const count = bagSize(filings);
  if (count === 0) return NO_TIMES;
  const waitedAt = (rank: number) => daysWaited(bagAt(filings, rank) as number, now);
  // The first rank (ascending filing instant) whose wait is below `time`: every later filing waited less.
  const firstBelow = (time: number) => firstPassing(count, (rank) => waitedAt(rank) < time);
  return {
    count,
    countBelow: (time) => count - firstBelow(time),
    firstAtLeast: (time) => {
      const rank = firstBelow(time) - 1;
      return rank < 0 ? undefined : waitedAt(rank);
    },
  };
}
