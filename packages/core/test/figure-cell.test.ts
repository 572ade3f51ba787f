import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fullCollection } from '@evenhand/testing';
import { apply, buildFigureIndex, CHAINS_MOVED_AFTER_A_READING, FigureCell, FIGURES_PENDING_AT_MOST, figuresOf, type AnyDomainEntry, type State } from '../src/index.ts';
import { adopted, filing, walkTreaty } from './legal-acts-support.ts';
import { walk } from './legal-acts-walk.ts';

/** The `index`th filing of these tests: US asks RU for a Ukrainian, a second apart. */
function numbered(index: number): AnyDomainEntry {
  return filing(`R${index}`, 'US', 'RU', 'UA', 1_700_000_000 + index, 'computer-fraud');
}

function applied(state: State, item: AnyDomainEntry): State {
  const result = apply(state, item);
  assert.ok(result.ok, result.ok ? '' : result.error.message);
  return result.value;
}

describe('a state computes its figure index when read (issue 14)', () => {
  it('reads the index counted from scratch, whether read entry by entry, after many unread entries, or counted afresh', () => {
    // How each reading got its index: moved from the state one entry back, moved over several, or counted from the records.
    const routes = { movedOne: 0, movedMany: 0, counted: 0 };
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 4 }), fc.array(fc.nat(), { minLength: 60, maxLength: 200 }), fc.array(fc.nat({ max: 7 }), { minLength: 1, maxLength: 50 }), (count, steps, reads) => {
        const items: AnyDomainEntry[] = [];
        walk(count, steps, (_state, _now, item) => items.push(item));
        // The walk's own states have been read by its listings; replay its entries and read only some of the states.
        let state = adopted(walkTreaty(count));
        items.forEach((item, position) => {
          state = applied(state, item);
          if (reads[position % reads.length] !== 0) return;
          const cell = state.figures;
          const waited = cell.waiting;
          assert.deepEqual(figuresOf(state), buildFigureIndex(state), `the index at size ${state.size}, ${cell.pending} entries after the last one read`);
          if (!waited) return;
          if (cell.movedFrom === undefined) routes.counted += 1;
          else routes[cell.movedFrom < state.size - 1 ? 'movedMany' : 'movedOne'] += 1;
        });
      }),
      { numRuns: 25, seed: 20_261_202 },
    );
    assert.ok(routes.movedOne > 0 && routes.movedMany > 0 && routes.counted > 0, `every route was taken: ${JSON.stringify(routes)}`);
  });

  it('moves a reading from the nearest earlier reading, though the states after it were made before it was read', () => {
    // An exchange serves views at the sizes gateways verified: behind the states it made since.
    let state = adopted(walkTreaty(2));
    const states: State[] = [];
    for (let index = 0; index < 260; index++) {
      states.push((state = applied(state, numbered(index))));
      if (index === 199) figuresOf(state);
    }
    const reads = [states[219]!, states[239]!, states[259]!];
    for (const read of reads) figuresOf(read);
    assert.deepEqual(reads.map((read) => read.figures.movedFrom), [states[199]!.size, states[219]!.size, states[239]!.size]);
    for (const read of reads) assert.deepEqual(figuresOf(read), buildFigureIndex(read));
  });

  it('never counts afresh again once read, though every reading is of a state behind the head (stop 47: a fresh exchange counted every request at each reading)', () => {
    let state = adopted(walkTreaty(2));
    const states: State[] = [];
    const routes: string[] = [];
    const cheaper: string[] = [];
    for (let index = 0; index < 3_000; index++) {
      states.push((state = applied(state, numbered(index))));
      if (index % 250 !== 249) continue;
      const behind = states[index - 20]!;
      // The nearest index known at or before it: the last reading's, or one moved at the end of a chain since.
      let known: State | undefined;
      for (let back = index - 20; back >= 0 && !known; back--) if (!states[back]!.figures.waiting) known = states[back];
      // Counting afresh is cheaper while at least half as many entries as requests came since.
      cheaper.push(!known || 2 * (behind.size - known.size) >= behind.requests.size ? 'counted' : 'moved');
      figuresOf(behind);
      routes.push(behind.figures.movedFrom === undefined ? 'counted' : 'moved');
      assert.deepEqual(figuresOf(behind), buildFigureIndex(behind));
    }
    assert.deepEqual(routes, cheaper);
    assert.deepEqual(routes.slice(2), routes.slice(2).map(() => 'moved'), 'every reading after the second moved its index from the one before');
  });

  it(`moves the index forward once ${FIGURES_PENDING_AT_MOST} entries wait after a reading, so that the chain of cells stays short`, () => {
    const treaty = walkTreaty(2);
    let state = adopted(treaty);
    // Enough requests that moving figures stays cheaper than counting them afresh (twice the entries waiting).
    const before = 2 * FIGURES_PENDING_AT_MOST + 1;
    for (let index = 0; index < before; index++) state = applied(state, numbered(index));
    figuresOf(state);
    const read = state.size;
    for (let index = before; index < before + FIGURES_PENDING_AT_MOST - 1; index++) state = applied(state, numbered(index));
    assert.equal(state.figures.pending, FIGURES_PENDING_AT_MOST - 1);
    assert.ok(state.figures.waiting, 'the index waits, to be moved from the last one read');
    const last = state;
    state = applied(state, numbered(before + FIGURES_PENDING_AT_MOST));
    assert.equal(last.figures.waiting, false, 'the entry that made the wait too long computed the index of the state it applied to');
    assert.equal(last.figures.movedFrom, read);
    assert.deepEqual(figuresOf(last), buildFigureIndex(last));
    assert.equal(state.figures.pending, 1, 'its own index waits, one entry after a known one');
    // Entries tried on that state, and not kept, find its index known and move nothing more.
    const tried = applied(last, numbered(before + FIGURES_PENDING_AT_MOST + 1));
    assert.deepEqual([tried.figures.pending, last.figures.movedFrom], [1, read]);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
    assert.equal(state.figures.movedFrom, last.size);
  });

  it(`computes nothing for a history nobody reads: after ${FIGURES_PENDING_AT_MOST} entries a chain starts unknown`, () => {
    let state = adopted(walkTreaty(2));
    const toEnd = FIGURES_PENDING_AT_MOST - state.figures.pending;
    for (let index = 0; index < toEnd; index++) state = applied(state, numbered(index));
    assert.equal(state.figures.pending, 0, 'a chain starts with this entry');
    assert.ok(state.figures.waiting, 'its index waits to be read');
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
    assert.equal(state.figures.movedFrom, undefined, 'counted afresh: no index is known on its chain');
  });

  it(`stops moving the figures of a history nobody has read for ${CHAINS_MOVED_AFTER_A_READING} chains, and starts again when read`, () => {
    let start = adopted(walkTreaty(2));
    // Enough requests that moving a chain's figures stays cheaper than counting them afresh.
    for (let index = 0; index <= 2 * FIGURES_PENDING_AT_MOST; index++) start = applied(start, numbered(index));
    // Then the same records entry after entry: only the cells are under test, and each step costs a few µs.
    const { figures: _cell, ...fields } = start;
    let state: State = start;
    const step = () => (state = { ...fields, figures: FigureCell.after(state) });
    step();
    figuresOf(state);
    /** Steps to the end of `chains` chains; how many of them ended with the index moved forward. */
    const moved = (chains: number): number => {
      let count = 0;
      for (let chain = 0; chain < chains; chain++) {
        while (state.figures.pending < FIGURES_PENDING_AT_MOST - 1) step();
        const last = state;
        step();
        if (!last.figures.waiting) count += 1;
        // A chain that starts unknown begins at 0 entries, one that starts from a known index at 1.
        assert.ok(state.figures.pending <= 1);
      }
      return count;
    };
    assert.equal(moved(CHAINS_MOVED_AFTER_A_READING + 3), CHAINS_MOVED_AFTER_A_READING);
    step();
    figuresOf(state);
    assert.equal(state.figures.movedFrom, undefined, 'nothing known on the chain: counted afresh');
    assert.equal(moved(2), 2, 'read again, its chains move their index forward again');
  });

  /**
   * Applies `filings` more filings to `state` and keeps only the last state: how many of the
   * states before it are still alive after a full collection, judged by each one's map of
   * requests (the trie paths a state no longer shares with the next go with it).
   */
  async function survivors(state: State, from: number, filings: number): Promise<{ last: State; alive: number }> {
    const collect = fullCollection();
    const made: WeakRef<State['requests']>[] = [];
    for (let index = from; index < from + filings; index++) {
      state = applied(state, numbered(index));
      made.push(new WeakRef(state.requests));
    }
    // A WeakRef holds its target until the job that made it ends.
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    return { last: state, alive: made.slice(0, -1).filter((ref) => ref.deref() !== undefined).length };
  }

  it('keeps no earlier state alive while the index of the states since the last reading waits to be counted afresh', async () => {
    const state = adopted(walkTreaty(2));
    figuresOf(state);
    const filings = 200;
    const { last, alive } = await survivors(state, 0, filings);
    assert.equal(last.figures.pending, filings);
    assert.equal(alive, 0, `the requests of ${alive} of the ${filings - 1} states before the last are still alive`);
    assert.deepEqual(figuresOf(last), buildFigureIndex(last));
    assert.equal(last.figures.movedFrom, undefined, 'with as many entries waiting as requests, the index was counted afresh');
  });

  it('keeps no state between the last reading and an unread state whose index waits to be moved', async () => {
    // The sequencer remembers states for views: each unread one kept, through its cell, every state back to the last reading.
    let state = adopted(walkTreaty(2));
    const before = 300;
    for (let index = 0; index < before; index++) state = applied(state, numbered(index));
    figuresOf(state);
    const read = state.size;
    const filings = 100;
    const { last, alive } = await survivors(state, before, filings);
    assert.equal(alive, 0, `the requests of ${alive} of the ${filings - 1} states before the last are still alive`);
    assert.deepEqual(figuresOf(last), buildFigureIndex(last));
    assert.equal(last.figures.movedFrom, read, 'moved from the last reading, which the chain of cells still reached');
  });

  it('refuses to read the index of a copy that an entry is being applied to', () => {
    const state = adopted(walkTreaty(2));
    const inTransition = { ...state, figures: FigureCell.inTransition };
    assert.throws(() => figuresOf(inTransition), /in the middle of an entry/);
    assert.deepEqual(figuresOf(state), buildFigureIndex(state));
  });
});
