import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply, buildFigureIndex, FigureCell, FIGURES_PENDING_AT_MOST, figuresOf, RECORDS_PER_PAUSE, withoutFigures, type AnyDomainEntry, type FigureCount, type State } from '../src/index.ts';
import { adopted, filing, walkTreaty } from './legal-acts-support.ts';
import { walk } from './legal-acts-walk.ts';

/**
 * A state restored from a snapshot counts its figure index a step at a time, while the
 * service goes on (issue 14, "restart ≤ 2 s at 10^6"; figure-count.ts, figure-cell.ts
 * `FigureCell.counting`). Whatever the steps, the entries applied meanwhile and the readings,
 * every index read is the one counted from scratch, and no entry or step moves more than a
 * chain's entries.
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

/** A state of `filings` requests. */
function withFilings(filings: number): State {
  let state = adopted(walkTreaty(2));
  for (let index = 0; index < filings; index++) state = applied(state, numbered(index));
  return state;
}

/** Runs the count's steps to its end; how many it took. */
function stepsToTheEnd(count: FigureCount): number {
  let steps = 1;
  while (!count.step()) steps += 1;
  return steps;
}

describe('the figure index of a restored state, counted a step at a time (issue 14)', () => {
  it('reads the index counted from scratch, whatever the steps, the entries applied meanwhile and the readings, driven or not', () => {
    const seen = { readWhileCounting: 0, countedInSteps: 0, undriven: 0 };
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 4 }),
        fc.array(fc.nat(), { minLength: 40, maxLength: 160 }),
        fc.nat(),
        fc.boolean(),
        // Per entry after the restore: how many steps of the count run before it, and whether the state after it is read.
        fc.array(fc.record({ steps: fc.nat({ max: 2 }), read: fc.nat({ max: 9 }) }), { minLength: 1, maxLength: 40 }),
        (count, steps, cut, driven, plan) => {
          const items: AnyDomainEntry[] = [];
          walk(count, steps, (_state, _now, item) => items.push(item));
          let state = adopted(walkTreaty(count));
          const at = cut % items.length;
          for (const item of items.slice(0, at)) state = applied(state, item);
          state = restored(state);
          if (!driven) seen.undriven += 1;
          const counting = driven ? state.figures.driveCount() : undefined;
          assert.ok(!driven || counting, 'a restored state has its count to drive');
          items.slice(at).forEach((item, position) => {
            const { steps: slice, read } = plan[position % plan.length]!;
            for (let step = 0; step < slice; step++) counting?.step();
            state = applied(state, item);
            if (read !== 0) return;
            if (counting && !counting.done) seen.readWhileCounting += 1;
            assert.deepEqual(figuresOf(state), buildFigureIndex(state), `the index at size ${state.size}`);
          });
          if (!counting || counting.done) return;
          stepsToTheEnd(counting);
          seen.countedInSteps += 1;
          assert.deepEqual(figuresOf(state), buildFigureIndex(state), 'the index moved from the one counted in steps');
        },
      ),
      { numRuns: 40, seed: 20_261_206 },
    );
    assert.ok(seen.readWhileCounting > 0 && seen.countedInSteps > 0 && seen.undriven > 0, `every way was taken: ${JSON.stringify(seen)}`);
  });

  it(`pauses once more for every ${RECORDS_PER_PAUSE} records more, and gives what a count at once gives`, () => {
    const steps = (filings: number): number => stepsToTheEnd(restored(withFilings(filings)).figures.driveCount()!);
    // The bags are as many either way and below BAG_PIECE elements each: their pauses are as many too.
    assert.equal(steps(2 * RECORDS_PER_PAUSE + 5) - steps(RECORDS_PER_PAUSE + 5), 1);
    const state = withFilings(RECORDS_PER_PAUSE + 5);
    const count = restored(state).figures.driveCount()!;
    stepsToTheEnd(count);
    assert.deepEqual(count.finish(), buildFigureIndex(state));
  });

  it('ends its chains as usual while the count goes on, then moves the index to each end a step at a time', () => {
    // More requests than twice a chain: moving a chain's entries is then cheaper than counting afresh (FigureCell `nearestKnown`).
    const start = restored(withFilings(600));
    const count = start.figures.driveCount()!;
    let state = start;
    const states: State[] = [];
    let longest = 0;
    for (let index = 600; index < 600 + 3 * FIGURES_PENDING_AT_MOST + 10; index++) {
      states.push((state = applied(state, numbered(index))));
      longest = Math.max(longest, state.figures.pending);
    }
    assert.ok(longest <= FIGURES_PENDING_AT_MOST, `a chain ran ${longest} entries`);
    assert.ok(states.every((each) => each.figures.waiting) && start.figures.waiting, 'no index was computed while the count went on');
    assert.equal(state.figures.waitsForCount, true);
    const steps = stepsToTheEnd(count);
    assert.equal(state.figures.waitsForCount, false);
    const ends = states.filter((each) => !each.figures.waiting);
    assert.equal(ends.length, 3, 'the three chains that ended during the count had their ends moved by its last steps');
    for (const end of ends) assert.ok(end.size - end.figures.movedFrom! <= FIGURES_PENDING_AT_MOST, `the end at ${end.size} moved from ${end.figures.movedFrom}`);
    assert.equal(ends[0]!.figures.movedFrom, start.size, 'the first from the index counted');
    assert.ok(steps > 3);
    figuresOf(state);
    assert.ok(state.size - state.figures.movedFrom! <= FIGURES_PENDING_AT_MOST, 'a reading after it moves from the last end');
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });

  it('counts the rest at once for a reading that comes first, of the restored state or one after it', () => {
    const start = restored(withFilings(30));
    const later = applied(applied(start, numbered(30)), numbered(31));
    const count = start.figures.driveCount()!;
    count.step();
    assert.equal(later.figures.waitsForCount, true);
    assert.deepEqual(figuresOf(later), buildFigureIndex(later));
    assert.equal(later.figures.movedFrom, start.size, 'the reading finished the count and moved from it, not counting afresh');
    assert.deepEqual(figuresOf(start), buildFigureIndex(start));
    assert.equal(stepsToTheEnd(count), 1, 'nothing is left for the steps');
  });

  it('undriven, is counted at the first reading, and its chains end and are given up on as an unread history\'s (verify, decodeState)', () => {
    const start = restored(withFilings(600));
    let state = start;
    let longest = 0;
    for (let index = 600; index < 600 + 2 * FIGURES_PENDING_AT_MOST + 1; index++) {
      state = applied(state, numbered(index));
      longest = Math.max(longest, state.figures.pending);
    }
    assert.ok(longest <= FIGURES_PENDING_AT_MOST, `a chain ran ${longest} entries`);
    assert.equal(state.figures.waitsForCount, false, 'nothing drives a count to wait for');
    figuresOf(state);
    assert.equal(state.figures.movedFrom, undefined, 'the restored index was given up on with its unread chain: counted afresh');
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });

  it('keeps moving the index after a driven count though nobody reads it for a while: a restored service is read', () => {
    const start = restored(withFilings(600));
    stepsToTheEnd(start.figures.driveCount()!);
    let state = start;
    // Two chains with no reading: the first cell's chain counts as read, so the index is moved at both their ends.
    for (let index = 600; index < 600 + 2 * FIGURES_PENDING_AT_MOST + 1; index++) state = applied(state, numbered(index));
    figuresOf(state);
    const from = state.figures.movedFrom;
    assert.ok(from !== undefined && state.size - from <= FIGURES_PENDING_AT_MOST, `the reading moved the index from the end of the last chain (${from}), not counting afresh`);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });
});
