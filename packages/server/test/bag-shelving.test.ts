import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apply, decodeState, encodeState, figuresOf, genesis, shelvableBags, type AnyDomainEntry, type BagNode, type PersistentBag, type State } from '@evenhand/core';
import { domainPart, parseEntry } from '@evenhand/log';
import { heldBagNodes, scenarioKeys } from '@evenhand/testing';
import { BagShelving, bagNodeShelf } from '../src/replay/bag-shelving.ts';
import { FileShelf } from '../src/replay/record-shelf.ts';
import { signedLog, viewsOf } from './snapshot-log.ts';

/**
 * Issue 14, "RSS flat after warm-up": a service puts on a shelf in a file the nodes of its
 * figure index's bags that no recent entry edited (replay/bag-shelving.ts, core
 * statistics/bag-shelving.ts). What it serves must be what it would serve with every node in
 * its heap.
 */

/** The domain entries of the scenario's signed log, `copies` copies of it. */
function scenarioEntries(copies: number): AnyDomainEntry[] {
  return signedLog(scenarioKeys(), copies).map((bytes) => {
    const entry = parseEntry(bytes);
    assert.ok(entry.ok);
    return domainPart(entry.value) as AnyDomainEntry;
  });
}

/** The nodes of the bags of the last index `state` knows, in the heap and shelved. */
const heldNodes = (state: State) => heldBagNodes(shelvableBags(state.figures.latestKnown!) as PersistentBag[]);

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the figure index on a shelf in a file', () => {
  let directory: string;
  const entries = scenarioEntries(8);
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'evenhand-bag-shelf-test-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('serves at every state the views a state with its whole index in the heap serves, its cold nodes read back from the file', () => {
    const shelf = bagNodeShelf(directory, 4);
    assert.deepEqual(readdirSync(directory), [], 'the file is unlinked once opened');
    const shelving = new BagShelving(1, () => shelf);
    let state: State = genesis();
    const states: State[] = [];
    for (const entry of entries) {
      const applied = apply(state, entry);
      assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
      state = applied.value;
      // Read at every state, as a gateway's console reads them: each visit finds an index known.
      figuresOf(state);
      shelving.observe(state);
      states.push(state);
    }
    const held = heldNodes(state);
    assert.ok(shelving.shelved > 20 && held.shelved > 0, `${shelving.shelved} nodes shelved; the last index holds ${held.shelved} shelved and ${held.inHeap} in the heap`);
    assert.ok(shelf.size > 0);
    // The same entries replayed with no shelf: every view of every tenth state, and of the last, alike.
    const plain = (() => {
      let replayed: State = genesis();
      return entries.map((entry) => {
        const applied = apply(replayed, entry);
        assert.ok(applied.ok);
        replayed = applied.value;
        return replayed;
      });
    })();
    for (let index = 0; index < states.length; index += 10) assert.deepEqual(viewsOf(states[index]!), viewsOf(plain[index]!), `the views at size ${index + 1}`);
    assert.deepEqual(viewsOf(state), viewsOf(plain.at(-1)!));
    shelving.close();
    assert.equal(shelving.visitPending, false, 'closed, it sets no visit');
    shelf.close();
  });

  it('shelves the index a restored state counted while no entry comes, and stops once nothing is left to shelve', async () => {
    const shelf = bagNodeShelf(directory, 4);
    const replayed = entries.reduce<State>((state, entry) => {
      const applied = apply(state, entry);
      assert.ok(applied.ok);
      return applied.value;
    }, genesis());
    const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(replayed))));
    assert.ok(decoded.ok);
    const state = decoded.value;
    // The restored state's count, claimed as a service claims it, and run in steps (server count-in-slices.ts).
    const count = state.figures.driveCount()!;
    const shelving = new BagShelving(1_000_000, () => shelf, 20);
    shelving.observe(state);
    // Told no other state: it looks again while the count goes on, and shelves nothing meanwhile.
    await tick(100);
    assert.equal(shelving.shelved, 0, 'shelved while the count went on');
    assert.equal(state.figures.latestKnown, undefined, 'no index is known while it is counted');
    for (let steps = 0; !count.step(); steps++) assert.ok(steps < 1_000_000);
    // Nothing reads the index: the visits take it from the count once it is over.
    await tick(60);
    const roots = () => shelvableBags(state.figures.latestKnown!).filter((bag) => bag.root).length;
    for (let waited = 0; heldNodes(state).inHeap > roots() && waited < 100; waited++) await tick(20);
    const held = heldNodes(state);
    assert.equal(held.inHeap, roots(), 'only the roots stay in the heap');
    assert.ok(held.shelved > 0);
    // The visit after the last that shelved finds nothing new, and sets no other.
    for (let waited = 0; shelving.visitPending && waited < 100; waited++) await tick(20);
    assert.equal(shelving.visitPending, false, 'a visit is still set once nothing is left to shelve');
    assert.deepEqual(viewsOf(state), viewsOf(replayed));
    shelf.close();
  });

  it('leaves every node in the heap, with a warning, when its shelf cannot be written', async () => {
    class FullShelf extends FileShelf<BagNode> {
      override flush(): void {
        throw new Error('ENOSPC: no space left on device, write');
      }
    }
    const shelf = new FullShelf(directory, 4, { what: 'the bag node shelf', decode: () => assert.fail('nothing is read back') });
    const shelving = new BagShelving(1, () => shelf, 20);
    const warnings: string[] = [];
    const warned = (warning: Error) => warnings.push(warning.message);
    process.on('warning', warned);
    let state: State = genesis();
    try {
      for (const entry of entries) {
        const applied = apply(state, entry);
        assert.ok(applied.ok);
        state = applied.value;
        figuresOf(state);
        shelving.observe(state);
      }
      await tick(100);
    } finally {
      process.off('warning', warned);
      shelf.close();
    }
    assert.equal(shelving.shelved, 0);
    assert.equal(shelving.visitPending, false, 'stopped, it sets no visit');
    assert.equal(heldNodes(state).shelved, 0);
    assert.deepEqual(warnings, ["the figure index's bags stay in memory from now on: the bag node shelf could not be written (ENOSPC: no space left on device, write)"]);
  });

  it('refuses a number of entries between visits that is not a whole number above 0', () => {
    for (const every of [0, -1, 1.5, Number.NaN]) assert.throws(() => new BagShelving(every), /bag visits: a whole number of entries, 1 or more/);
  });
});
