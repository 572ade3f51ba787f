import { bagAt, bagCountBelow, bagOf, bagSize, type PersistentBag } from './persistent-bag.ts';

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
  return bagCensoredMedian(bagOf(events), censored);
}

/**
 * Kaplan–Meier over a bag of event times and a few censored times, without visiting every
 * event. Between two censored times the estimate is a product that telescopes: k events out
 * of r at risk, in one group or many, leave (r − k)/r of it, so the first event that brings
 * it to one half is found by arithmetic and one lookup. The cost is O(c log n) for c censored
 * times (the requests still pending), not O(n) for the n decided ones.
 *
 * The estimate is kept as an exact fraction (BigInt), so "one half or below" is decided
 * exactly: floating point would put 1 × 3/4 × 2/3 a hair above one half. Events come before
 * censorings at the same time (the usual convention): a request decided on day 30 and one
 * pending for 30 days both waited 30 days.
 */
export function bagCensoredMedian(events: PersistentBag, censoredTimes: readonly number[]): number | null {
  const censored = [...censoredTimes].sort((a, b) => a - b);
  let atRisk = bagSize(events) + censored.length;
  let consumed = 0;
  // The share still waiting, numerator / denominator.
  let numerator = 1n;
  let denominator = 1n;
  for (let next = 0; next <= censored.length; ) {
    const limit = next < censored.length ? censored[next]! : Infinity;
    // The events up to and including `limit` not yet consumed: one run of the telescoping product.
    const run = bagCountBelow(events, limit, true) - consumed;
    if (run > 0) {
      const r = BigInt(atRisk);
      // The least k with numerator·(r − k) / (denominator·r) ≤ 1/2, i.e. k ≥ r − denominator·r / (2·numerator).
      const needed = r - (denominator * r) / (2n * numerator);
      if (needed <= BigInt(run)) return bagAt(events, consumed + Math.max(1, Number(needed)) - 1) as number;
      numerator *= r - BigInt(run);
      denominator *= r;
      const common = gcd(numerator, denominator);
      numerator /= common;
      denominator /= common;
      atRisk -= run;
      consumed += run;
    }
    if (next === censored.length) break;
    // Every censored time equal to this one leaves the risk set together.
    let leaving = 0;
    while (next < censored.length && censored[next] === limit) {
      leaving += 1;
      next += 1;
    }
    atRisk -= leaving;
  }
  return null;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x === 0n ? 1n : x;
}
