import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bagCensoredMedian, bagOf, daysWaited, pendingTimes, sortedTimes, type CensoredTimes } from '../src/index.ts';

/**
 * Issue 14: a reading of the statistics takes the waits of the pending requests from a bag of
 * their filing instants (statistics/censored-times.ts `pendingTimes`) instead of listing them.
 * Every question it answers must be what the plain sorted list of `daysWaited` answers.
 */

const DAY = 86_400;

/** The answers of `times` at each probe, as plain data. */
function answers(times: CensoredTimes, probes: readonly number[]): unknown[] {
  return [times.count, ...probes.map((probe) => [times.countBelow(probe), times.firstAtLeast(probe)])];
}

// Filings around `now`, some after it (a reading at an instant before them: a wait of zero), with ties.
const filings = fc.array(fc.integer({ min: -40, max: 10 }).map((days) => days * DAY + (days % 3) * 3_600), { maxLength: 60 });
const probes = fc.array(fc.oneof(fc.integer({ min: -2, max: 45 }), fc.double({ min: -1, max: 45, noNaN: true }), fc.constant(0), fc.constant(Infinity)), { maxLength: 12 });

describe('the waits of pending requests, read from their filings (statistics/censored-times.ts)', () => {
  it('answer as the sorted list of each one\'s days waited does, ties and filings after the instant included', () => {
    fc.assert(
      fc.property(filings, probes, fc.integer({ min: 0, max: 5 }), (filed, probed, shift) => {
        const now = 1_000 * DAY + shift * 7_200;
        const atFilings = filed.map((offset) => now + offset);
        const bag = bagOf(atFilings);
        const waits = atFilings.map((at) => daysWaited(at, now));
        // The probes include every wait itself, where a strict and a non-strict comparison part.
        const all = [...probed, ...waits];
        assert.deepEqual(answers(pendingTimes(bag, now), all), answers(sortedTimes(waits), all));
      }),
      { numRuns: 400 },
    );
  });

  it('give the median the sorted list gives', () => {
    fc.assert(
      fc.property(filings, fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 60 }), (filed, decided) => {
        const now = 2_000 * DAY;
        const atFilings = filed.map((offset) => now + offset);
        const waits = atFilings.map((at) => daysWaited(at, now));
        assert.equal(bagCensoredMedian(bagOf(decided), pendingTimes(bagOf(atFilings), now)), bagCensoredMedian(bagOf(decided), sortedTimes(waits)));
      }),
      { numRuns: 300 },
    );
  });

  it('count nothing when none is pending', () => {
    assert.deepEqual(answers(pendingTimes(bagOf([]), 0), [0, 1, Infinity]), [0, [0, undefined], [0, undefined], [0, undefined]]);
  });
});
