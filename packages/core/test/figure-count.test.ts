import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply, buildFigureIndex, FigureCell, FIGURES_PENDING_AT_MOST, figuresOf, RECORDS_PER_PAUSE, withoutFigures, type AnyDomainEntry, type State } from '../src/index.ts';
import { adopted, filing, walkTreaty } from './legal-acts-support.ts';
import { walk } from './legal-acts-walk.ts';

/**
 * A state restored from a snapshot counts its figure index a slice at a time, while the
 * service goes on (issue 14, "restart ≤ 2 s at 10^6"; figure-cell.ts `FigureCell.counting`).
 * Whatever the slices, the entries applied meanwhile and the readings, every index read is
 * the one counted from scratch.
 */

function applied(state: State, item: AnyDomainEntry): State {
  const result = apply(state, item);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

/** `state` as a restart from a snapshot gives it: the same records, its index to be counted. */
function restored(state: State): State {
  const fields = withoutFigures(state);
  return { ...fields, figures: FigureCell.counting(fields) };
}

function numbered(index: number): AnyDomainEntry {
  return filing(`R${index}`, 'US', 'RU', 'UA', 1_700_000_000 + index, 'computer-fraud');
}

/** A state of `filings` requests, its index counted, and the next filing's number. */
function withFilings(filings: number): State {
  let state = adopted(walkTreaty(2));
  for (let index = 0; index < filings; index++) state = applied(state, numbered(index));
  return state;
}

describe('the figure index of a restored state, counted in slices (issue 14)', () => {
  it('reads the index counted from scratch, whatever the slices, the entries applied meanwhile and the readings', () => {
    const seen = { readWhileCounting: 0, countedInSlices: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 160 }),
        fc.nat(),
        // Per entry after the restore: how many steps of the count run before it, and whether the state after it is read.
        fc.array(fc.record({ steps: fc.nat({ max: 3 }), read: fc.nat({ max: 9 }) }), { minLength: 1, maxLength: 40 }),
        (count, steps, cut, plan) => {
          const items: AnyDomainEntry[] = [];
          walk(count, steps, (_state, _now, item) => items.push(item));
          let state = adopted(walkTreaty(count));
          const at = cut % items.length;
          for (const item of items.slice(0, at)) state = applied(state, item);
          state = restored(state);
          const counting = state.figures.countingNow!;
          assert.ok(counting, 'a restored state has its count to run');
          items.slice(at).forEach((item, position) => {
            const { steps: slice, read } = plan[position % plan.length]!;
            for (let step = 0; step < slice; step++) counting.step();
            state = applied(state, item);
            if (read !== 0) return;
            if (!counting.done) seen.readWhileCounting += 1;
            assert.deepEqual(figuresOf(state), buildFigureIndex(state), `the index at size ${state.size}`);
          });
          if (counting.done) return;
          while (!counting.step());
          seen.countedInSlices += 1;
          assert.deepEqual(figuresOf(state), buildFigureIndex(state), 'the index moved from the one counted in slices');
        },
      ),
      { numRuns: 40, seed: 20_261_206 },
    );
    assert.ok(seen.readWhileCounting > 0 && seen.countedInSlices > 0, `both ways were taken: ${JSON.stringify(seen)}`);
  });

  it(`pauses every ${RECORDS_PER_PAUSE} records, and gives what a count at once gives`, () => {
    const state = withFilings(3 * RECORDS_PER_PAUSE + 5);
    const counting = restored(state).figures.countingNow!;
    let steps = 1;
    while (!counting.step()) steps += 1;
    // Three pauses in the records, then one after each bag built (at least the grants' and the obligations').
    assert.ok(steps > 3, `the count paused ${steps - 1} times`);
    assert.deepEqual(counting.finish(), buildFigureIndex(state));
  });

  it('lets the chain run past its length while the count goes on, then moves its index from the one counted', () => {
    // More requests than twice the entries the chain back to the count holds: moving is then cheaper than counting afresh (FigureCell `nearestKnown`).
    const start = restored(withFilings(600));
    const counting = start.figures.countingNow!;
    let state = start;
    const past = FIGURES_PENDING_AT_MOST + 10;
    for (let index = 600; index < 600 + past; index++) state = applied(state, numbered(index));
    assert.equal(state.figures.pending, past, 'no cell ended the chain while the count went on');
    assert.equal(counting.done, false, 'nothing made the count finish at once');
    while (!counting.step());
    const last = state;
    state = applied(state, numbered(600 + past));
    assert.equal(last.figures.waiting, false, 'the entry after the count moved the index of the state it applied to');
    assert.equal(last.figures.movedFrom, start.size, 'from the index counted in slices');
    assert.equal(start.figures.countingNow, undefined, 'the count is over');
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });

  it('counts the rest at once for a reading that comes first, of the restored state or one after it', () => {
    const start = restored(withFilings(30));
    const later = applied(applied(start, numbered(30)), numbered(31));
    const counting = start.figures.countingNow!;
    counting.step();
    assert.deepEqual(figuresOf(later), buildFigureIndex(later));
    assert.equal(counting.done, true, 'the reading finished the count');
    assert.equal(later.figures.movedFrom, start.size, 'and moved from it, not counting afresh');
    assert.deepEqual(figuresOf(start), buildFigureIndex(start));
  });

  it('keeps moving the index after the restore though nobody reads it for a while: a restored service is read', () => {
    const start = restored(withFilings(600));
    while (!start.figures.countingNow!.step());
    let state = start;
    // Two chains with no reading: the first cell's chain counts as read, so the index is moved at both their ends.
    for (let index = 600; index < 600 + 2 * FIGURES_PENDING_AT_MOST + 1; index++) state = applied(state, numbered(index));
    figuresOf(state);
    const from = state.figures.movedFrom;
    assert.ok(from !== undefined && state.size - from <= FIGURES_PENDING_AT_MOST, `the reading moved the index from the end of the last chain (${from}), not counting afresh`);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });
});
