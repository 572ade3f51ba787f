import { bagAt, bagCountBelow, bagOf, bagSize, type PersistentBag } from './persistent-bag.ts';
import { sortedTimes, type CensoredTimes } from './censored-times.ts';

/** The median of a list of numbers (the mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  return bagMedian(bagOf(values));
}

/** The median of a bag: two order-statistic lookups, whatever its size. */
export function bagMedian(bag: PersistentBag): number | null {
  const size = bagSize(bag);
  if (size === 0) return null;
  const middle = size >> 1;
  const upper = bagAt(bag, middle) as number;
  return size % 2 === 1 ? upper : ((bagAt(bag, middle - 1) as number) + upper) / 2;
}

/**
 * The median time to an event when some subjects have not had it yet (right-censored): the
 * Kaplan–Meier product-limit estimate (Kaplan & Meier 1958), the first time at which the
 * estimated share still waiting falls to one half or below. A request still pending counts
 * as waiting for as long as it has waited, so silence lengthens the median instead of
 * vanishing from it. Null when half of them have not had the event yet.
 */
export function censoredMedian(events: readonly number[], censored: readonly number[]): number | null {
  return bagCensoredMedian(bagOf(events), sortedTimes(censored));
}

/**
 * Kaplan–Meier over a bag of event times and censored times, without visiting every event or
 * every censored time. The estimate only moves at events, and between two censored times the
 * product telescopes: k events out of r at risk, in one group or many, leave (r − k)/r of it.
 * So the walk goes run by run: the censored times below the next event leave the risk set
 * together, then the events up to the next censored time are one run, and the first event
 * that brings the estimate to one half is found by arithmetic and one lookup. There are as
 * many runs as alternations between events and censored times before the median, each
 * O(log n) lookups: not O(n) for the n decided requests nor O(c) for the c pending ones
 * (issue 14: /v1/statistics at 10^6 entries took 1.4 s stepping over every pending request,
 * with a gcd of ever longer numbers per step).
 *
 * "One half or below" is decided exactly: floating point alone would put 1 × 3/4 × 2/3 a hair
 * above one half. The estimate is kept in floating point, with its factors; where that puts
 * the threshold within its own error of a whole number of events, the exact fraction is
 * made from the factors (BigInt, multiplied pairwise) and decides. Such near ties are rare
 * but for the exact halves of telescoping runs, so the cost stays O(a log n) for a
 * alternations before the median, where an exact fraction carried through every run grew
 * with a² (the review of a8ca4ee: 0.7 s a reading at 16,000 alternations).
 * Events come before censorings at the same time (the usual convention): a request decided
 * on day 30 and one pending for 30 days both waited 30 days.
 */
export function bagCensoredMedian(events: PersistentBag, censored: CensoredTimes): number | null {
  const eventCount = bagSize(events);
  let atRisk = eventCount + censored.count;
  let consumed = 0;
  let left = 0;
  // The share still waiting, and the factors it is the product of: (r − k) over r, run by run.
  let share = 1;
  const kept: number[] = [];
  const atRiskThen: number[] = [];
  while (consumed < eventCount) {
    // The censored times below the next event leave together: no event between them moves the estimate.
    const nextEvent = bagAt(events, consumed) as number;
    const leaving = censored.countBelow(nextEvent) - left;
    atRisk -= leaving;
    left += leaving;
    const limit = censored.firstAtLeast(nextEvent) ?? Infinity;
    // The events up to and including `limit`, one run of the telescoping product (at least the next event).
    const run = bagCountBelow(events, limit, true) - consumed;
    const needed = eventsToHalf(share, kept, atRiskThen, atRisk);
    if (needed <= run) return bagAt(events, consumed + Math.max(1, needed) - 1) as number;
    share *= (atRisk - run) / atRisk;
    kept.push(atRisk - run);
    atRiskThen.push(atRisk);
    atRisk -= run;
    consumed += run;
  }
  return null;
}

/** Doubles' precision: the relative error of one rounding. */
const EPSILON = 2 ** -53;

/**
 * The least k with share · (r − k) / r ≤ 1/2, i.e. k ≥ r − r / (2 · share), for the share
 * that is the product of kept[i] / atRiskThen[i] (over one half, or the walk would have
 * stopped). In floating point when the bound is clear of a whole number by more than its
 * error: each factor adds at most two roundings to the share, and the bound moves by at most
 * 2r times the share's error while the share is over one half. Exported for its test: data reaches
 * the exact path only now and then (the property test of persistent-bag.test.ts, some runs).
 */
export function eventsToHalf(share: number, kept: readonly number[], atRiskThen: readonly number[], r: number): number {
  const bound = r - r / (2 * share);
  const error = 8 * r * (kept.length + 2) * EPSILON;
  const nearest = Math.round(bound);
  if (Math.abs(bound - nearest) > error) return Math.ceil(bound);
  // k ≥ r − denominator·r / (2·numerator), in whole numbers: BigInt division rounds down.
  const numerator = product(kept, 0, kept.length);
  const denominator = product(atRiskThen, 0, atRiskThen.length);
  const big = BigInt(r);
  return Number(big - (denominator * big) / (2n * numerator));
}

/** The product of values[from..to), multiplied in pairs so that no long number is multiplied many times. */
function product(values: readonly number[], from: number, to: number): bigint {
  if (to - from === 0) return 1n;
  if (to - from === 1) return BigInt(values[from]!);
  const middle = (from + to) >> 1;
  return product(values, from, middle) * product(values, middle, to);
}
