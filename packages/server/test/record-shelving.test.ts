import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { apply, decodeState, encodeState, figuresOf, genesis, mapChanges, mapGet, mapHeldEntryIterator, mapValues, replay, Shelved, type AnyDomainEntry, type RequestRecord, type State } from '@evenhand/core';
import { AuthorKeyring, domainPart, parseEntry } from '@evenhand/log';
import { ORIGIN, scenarioKeys, type ScenarioKeys } from '@evenhand/testing';
import { listSnapshots, type Store } from '@evenhand/store';
import { ENGINES } from '../../store/test/dialects.ts';
import { Sequencer } from '../src/exchange/sequencer.ts';
import { FileShelf } from '../src/replay/record-shelf.ts';
import { RecordShelving } from '../src/replay/record-shelving.ts';
import { SnapshotKeeper } from '../src/replay/snapshot-keeper.ts';
import { LOG_START, signedLog, snapshotLines, storeEntries, viewsOf } from './snapshot-log.ts';

/**
 * Issue 14, "RSS flat after warm-up": a service puts on a shelf in a file the request records
 * no recent entry made (replay/record-shelving.ts), and reads them back as they are needed.
 * What it serves must be what it would serve with every record in its heap.
 */
/** The domain entries of the scenario's signed log, four copies of it. */
function scenarioEntries(): AnyDomainEntry[] {
  return signedLog(scenarioKeys(), 4).map((bytes) => {
    const entry = parseEntry(bytes);
    assert.ok(entry.ok);
    return domainPart(entry.value) as AnyDomainEntry;
  });
}

/** `entries` replayed, then written as a snapshot's data and read back, as a restart restores them: the records it holds, and the replayed state. */
function restoredState(entries: readonly AnyDomainEntry[]): { readonly state: State; readonly replayed: State } {
  const replayed = replay(entries, genesis());
  assert.ok(replayed.ok);
  const decoded = decodeState(JSON.parse(JSON.stringify(encodeState(replayed.value))));
  assert.ok(decoded.ok, decoded.ok ? '' : decoded.error.message);
  return { state: decoded.value, replayed: replayed.value };
}

describe('a shelf in a file', () => {
  let directory: string;
  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'evenhand-shelf-test-'));
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('reads back what was put, written or not yet, leaves no file behind, and keeps only its latest readings', () => {
    const shelf = new FileShelf<{ id: string; words: string[] }>(directory, 2);
    assert.deepEqual(readdirSync(directory), [], 'the file is unlinked once opened');
    const values = Array.from({ length: 5 }, (_, index) => ({ id: `R-${index}`, words: ['Ё', 'ransomware', String(index)] }));
    const shelved = values.map((value) => shelf.put(value));
    assert.deepEqual(shelved[4]!.read(), values[4], 'read before any write: the reading writes first');
    shelf.flush();
    shelf.flush();
    for (const [index, held] of shelved.entries()) assert.deepEqual(held.read(), values[index]);
    const again = shelved[3]!.read();
    assert.equal(shelved[3]!.read(), again, 'a value read a moment ago is the same object');
    shelved[0]!.read();
    shelved[1]!.read();
    assert.notEqual(shelved[3]!.read(), again, 'past two other readings it is read from the file again');
    assert.equal(shelf.size, shelved[4]!.at + shelved[4]!.length);
    shelf.close();
  });

  it('keeps in the heap none of the records it shelved', async () => {
    const shelf = new FileShelf<RequestRecord>(directory, 0);
    const shelving = new RecordShelving(2, () => shelf);
    const made: WeakRef<RequestRecord>[] = [];
    let state: State = genesis();
    shelving.observe(state);
    for (const entry of scenarioEntries()) {
      const applied = apply(state, entry);
      assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
      for (const change of mapChanges(state.requests, applied.value.requests)) if (change.after) made.push(new WeakRef(change.after));
      state = applied.value;
      shelving.observe(state);
    }
    // A WeakRef holds its target until the job that made it ends; then a full collection.
    await new Promise((resolve) => setImmediate(resolve));
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
    const alive = made.filter((held) => held.deref() !== undefined).length;
    assert.ok(shelving.shelved > 0 && made.length > 20, `${shelving.shelved} shelved of ${made.length} made`);
    // Up to three records made last stay in the heap (two, and one more before a shelving): no other may be alive.
    assert.ok(alive <= 3, `${alive} of ${made.length} records made are still in the heap, ${shelving.shelved} shelved`);
    shelf.close();
  });

  it('shelves the records a state restored from a snapshot holds, all but the last filed, once the count of its figure index is over', () => {
    const shelf = new FileShelf<RequestRecord>(directory, 0);
    const entries = scenarioEntries();
    const cut = Math.floor(entries.length * 0.6);
    const restart = restoredState(entries.slice(0, cut));
    let state = restart.state;
    const next = (index: number) => {
      const applied = apply(state, entries[index]!);
      assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
      state = applied.value;
      shelving.observe(state);
    };
    /** The restored records, in filing order, that the tail left as they were, and whether their leaves hold them shelved. */
    const restored = () =>
      mapValues(restart.state.requestIds)
        .filter((id) => mapGet(state.requests, id)!.history.at(-1)!.index < cut)
        .map((id) => [id, [...mapHeldEntryIterator(state.requests)].find(([key]) => key === id)![1] instanceof Shelved] as const);
    // The restored state's count, claimed by its holder (as a service drives it in slices), is not over yet.
    state.figures.driveCount();
    const shelving = new RecordShelving(2, () => shelf);
    shelving.observe(state);
    next(cut);
    assert.ok(state.figures.waitsForCount);
    assert.deepEqual(restored().filter(([, shelved]) => shelved), [], 'restored records shelved while the count went on');
    // Once the count is over (a reading counts the rest at once), the next state told shelves them: all but the two filed last.
    figuresOf(state);
    next(cut + 1);
    const now = restored();
    assert.ok(now.length > 10, `${now.length} restored records left as they were`);
    const lastTwo = mapValues(restart.state.requestIds).slice(-2);
    assert.deepEqual(now.filter(([id, shelved]) => shelved === lastTwo.includes(id)).map(([id]) => id), [], 'records shelved or kept otherwise than the order of filing says');
    // A shelved record reads as the replay made it (as JSON: one read back has no member that was undefined).
    const data = (record: RequestRecord | undefined) => JSON.parse(JSON.stringify(record)) as unknown;
    for (const [id] of now) assert.deepEqual(data(mapGet(state.requests, id)), data(mapGet(restart.replayed.requests, id)));
    shelf.close();
  });

  it('shelves the records of a restored state while no entry comes, once its count is over', async () => {
    const shelf = new FileShelf<RequestRecord>(directory, 0);
    const { state } = restoredState(scenarioEntries());
    state.figures.driveCount();
    const shelving = new RecordShelving(2, () => shelf);
    shelving.observe(state);
    const restored = state.requestIds.size;
    // Told no other state: its timer waits for the count, then shelves all but the two filed last.
    assert.equal(shelving.shelved, 0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(shelving.shelved, 0, 'shelved while the count went on');
    figuresOf(state);
    for (let waited = 0; shelving.shelved < restored - 2 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(shelving.shelved, restored - 2, `${shelving.shelved} of ${restored} restored records shelved`);
    shelf.close();
  });

  it('leaves every record in the heap, with a warning, when its shelf cannot be written', async () => {
    class FullShelf extends FileShelf<RequestRecord> {
      override flush(): void {
        throw new Error('ENOSPC: no space left on device, write');
      }
    }
    const shelf = new FullShelf(directory);
    const shelving = new RecordShelving(0, () => shelf);
    const warnings: string[] = [];
    const warned = (warning: Error) => warnings.push(warning.message);
    process.on('warning', warned);
    let state: State = genesis();
    shelving.observe(state);
    try {
      for (const bytes of signedLog(scenarioKeys(), 2)) {
        const entry = parseEntry(bytes);
        assert.ok(entry.ok);
        const applied = apply(state, domainPart(entry.value) as AnyDomainEntry);
        assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
        state = applied.value;
        shelving.observe(state);
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', warned);
      shelf.close();
    }
    assert.equal(shelving.shelved, 0);
    assert.deepEqual(warnings, ['request records stay in memory from now on: the record shelf could not be written (ENOSPC: no space left on device, write)']);
    // A record shelved on this shelf could not be read: its reading would write the shelf first, and fail.
    assert.equal(mapValues(state.requests).length, state.requests.size);
  });

  it('refuses a number of hot records that is not a whole number', () => {
    for (const hot of [-1, 1.5, Number.NaN]) assert.throws(() => new RecordShelving(hot), /hotRecords: a whole number of records/);
  });
});

const [makeEngine] = ENGINES;
const engine = makeEngine!();
describe(`an exchange that shelves its records serves what one that keeps them serves, on ${engine.name}`, { skip: engine.skip }, () => {
  const keys: ScenarioKeys = scenarioKeys();
  const log = signedLog(keys, 6);
  let store: Store;

  // The log is stored in two parts: a restart replays the second after the snapshot of the first.
  const cut = Math.floor(log.length * 0.6);
  before(async () => {
    store = await engine.open();
    await storeEntries(store, log.slice(0, cut));
  });
  after(async () => {
    await store?.close();
    await engine.cleanup();
  });

  /** The values of the latest snapshot's lines, its records in them, and the snapshot it follows if it is a delta. */
  async function latestSnapshotLines(): Promise<{ lines: unknown[]; base: unknown }> {
    const [latest] = await listSnapshots(store.db, 'exchange');
    return { lines: snapshotLines(latest!.data), base: latest!.base };
  }

  /** Entries the last `load` replayed. */
  let replayed = 0;
  async function load(hotRecords: number | undefined, fullReplay: boolean): Promise<Sequencer> {
    replayed = 0;
    const snapshots = new SnapshotKeeper(store, { service: 'exchange', secret: keys.log.seed, every: 50, fullReplay, onReplayed: () => replayed++ });
    const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
    const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => LOG_START, snapshots, hotRecords });
    await snapshots.flush();
    return sequencer;
  }

  it('replays the log into the same views and the same encoded state, with records read back from its shelf, and after a restart', async () => {
    // A snapshot of the first part, written by an exchange that shelved every record.
    const first = await load(0, true);
    assert.ok(first.shelvedRecords >= first.domainState.requests.size, `${first.shelvedRecords} records shelved of ${first.domainState.requests.size}`);
    await storeEntries(store, log.slice(cut));
    // Restarted from it, with the second part replayed as a tail: the records the tail makes are shelved.
    const restarted = await load(0, false);
    assert.equal(restarted.domainState.size, log.length);
    assert.equal(replayed, log.length - cut, 'the restart replayed only the tail');
    assert.ok(restarted.shelvedRecords > 0, 'the tail made records, and they were shelved');
    const kept = await load(undefined, true);
    assert.equal(kept.shelvedRecords, 0, 'a log this short keeps every record in the heap by default');
    const keptSnapshot = await latestSnapshotLines();
    const shelving = await load(0, true);
    assert.ok(shelving.shelvedRecords >= kept.domainState.requests.size, `${shelving.shelvedRecords} records shelved of ${kept.domainState.requests.size}`);
    // Its whole snapshot copies each shelved record's text into its blocks (core
    // mapHeldEntryIterator, log jsonTextOf): the same data, line by line. Not the same bytes: a record read back from
    // the shelf has no member that was undefined, and one an act sets later comes last.
    const shelvingSnapshot = await latestSnapshotLines();
    assert.equal(shelvingSnapshot.base, undefined, 'a whole snapshot');
    assert.deepEqual(shelvingSnapshot.lines, keptSnapshot.lines);
    assert.deepEqual(viewsOf(shelving.domainState), viewsOf(kept.domainState));
    assert.deepEqual(viewsOf(restarted.domainState), viewsOf(kept.domainState));
  });
});
