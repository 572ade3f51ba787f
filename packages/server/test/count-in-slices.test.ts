import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, buildFigureIndex, decodeState, encodeState, figuresOf, RECORDS_PER_PAUSE, type State } from '@evenhand/core';
import type { ReplayParts } from '@evenhand/log';
import type { Store } from '@evenhand/store';
import { adopted, filing, walkTreaty } from '../../core/test/legal-acts-support.ts';
import { COUNT_SLICE_MS, countInSlices, type CountedInSlices } from '../src/replay/count-in-slices.ts';
import { SnapshotKeeper, type UsableSnapshot } from '../src/replay/snapshot-keeper.ts';

/**
 * A restart serves before the figure index of its restored state is counted: the count runs a
 * slice at a time between the service's other work (issue 14, "restart ≤ 2 s at 10^6"). The
 * clock is the test's: each reading of it is a millisecond later, so a slice ends after a known
 * number of steps, whatever the machine's load.
 */

/** A state of `filings` requests as a restart decodes it from a snapshot: its index still to count. */
function restoredWith(filings: number): State {
  let state = adopted(walkTreaty(2));
  for (let index = 0; index < filings; index++) {
    const result = apply(state, filing(`R${index}`, 'US', 'RU', 'UA', 1_700_000_000 + index, 'computer-fraud'));
    assert.ok(result.ok);
    state = result.value;
  }
  const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(state))));
  assert.ok(decoded.ok);
  return decoded.value;
}

/** A clock that each reading moves a millisecond on. */
function tickingClock(): () => number {
  let now = 0;
  return () => now++;
}

/** Resolves with the count's figures, or fails after `ms` (bounded: the test never hangs). */
function countedWithin(ms: number, start: (done: (counted: CountedInSlices) => void) => void): Promise<CountedInSlices> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not counted within ${ms} ms`)), ms);
    start((counted) => {
      clearTimeout(timer);
      resolve(counted);
    });
  });
}

/** Lets `turns` turns of the event loop pass. */
async function turnsPass(turns: number): Promise<void> {
  for (let turn = 0; turn < turns; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('the figure index of a restored state, counted in slices while the service goes on (issue 14)', () => {
  it('lets other work run between its slices, each no longer than a slice, and ends with the index counted at once', async () => {
    const state = restoredWith(8 * RECORDS_PER_PAUSE);
    const count = state.figures.driveCount();
    assert.ok(count, 'a decoded state has its index to count');
    let otherWork = 0;
    let counting = true;
    const work = () => {
      otherWork += 1;
      if (counting) setImmediate(work);
    };
    setImmediate(work);
    const counted = await countedWithin(20_000, (done) => countInSlices(count, done, tickingClock()));
    counting = false;
    assert.ok(otherWork >= 2, `other work ran ${otherWork} times while the index was counted`);
    // The last step of a slice may start just before its end: a step of this state is a few clock readings.
    assert.ok(counted.longestSliceMs <= COUNT_SLICE_MS + 1, `a slice held the loop ${counted.longestSliceMs} readings of the clock`);
    assert.equal(count.done, true);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });

  it('ends at its next slice when a reading came first and counted the rest at once', async () => {
    const state = restoredWith(3 * RECORDS_PER_PAUSE);
    const count = state.figures.driveCount()!;
    const counted = countedWithin(20_000, (done) => countInSlices(count, done, tickingClock()));
    // The reading comes before the first slice has run.
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
    assert.equal(count.done, true);
    const figures = await counted;
    assert.ok(figures.longestSliceMs <= 1, 'the slice after the reading found nothing to count');
  });

  it('never counts a state the start gave up on, and stops when the service closes', async () => {
    const adopted = () => {
      const state = restoredWith(3 * RECORDS_PER_PAUSE);
      const told: CountedInSlices[] = [];
      const keeper = new SnapshotKeeper({} as Store, { service: 'exchange', secret: new Uint8Array(32), warn: () => undefined, progress: { counted: (counted) => told.push(counted) } });
      const snapshot = { decoded: { size: state.size, state, restore: () => undefined }, tree: {}, tip: {} } as unknown as UsableSnapshot;
      keeper.adopt(snapshot, { verifier: { adoptTree: () => undefined } } as unknown as ReplayParts);
      assert.equal(state.figures.waitsForCount, true, 'the adopted state waits for its count');
      return { state, told, keeper };
    };
    // A start adopts a snapshot, then refuses it (its tail does not replay, or its root is not the signed one) and replays the whole log.
    const refused = adopted();
    refused.keeper.refuse(refused.state.size, 'its tail does not replay (the test)');
    await turnsPass(50);
    assert.deepEqual(refused.told, [], 'never counted');
    assert.equal(refused.state.figures.waitsForCount, true, 'and left where it stood');
    // A start keeps the state, and the service closes before the count's first slice has run.
    const closed = adopted();
    assert.equal(closed.keeper.confirmAdopted(), undefined);
    closed.keeper.stop();
    await turnsPass(50);
    assert.deepEqual(closed.told, [], 'the count stopped when the service closed');
    assert.equal(closed.state.figures.waitsForCount, true);
  });

  it('is told when a keeper adopts a snapshot, the start keeps it, and the count is over', async () => {
    const state = restoredWith(2 * RECORDS_PER_PAUSE);
    let told: (counted: CountedInSlices) => void = () => undefined;
    const counted = countedWithin(20_000, (done) => (told = done));
    const keeper = new SnapshotKeeper({} as Store, { service: 'exchange', secret: new Uint8Array(32), progress: { counted: (figures) => told(figures) } });
    keeper.adopt({ decoded: { size: state.size, state, restore: () => undefined }, tree: {}, tip: {} } as unknown as UsableSnapshot, { verifier: { adoptTree: () => undefined } } as unknown as ReplayParts);
    // Not while the start replays the tail: only the tail reads the records until the start keeps the state.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(state.figures.waitsForCount, true, 'not counted before the start keeps the state');
    assert.equal(keeper.confirmAdopted(), undefined);
    await counted;
    assert.equal(state.figures.waitsForCount, false);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });
});
