import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { figuresOf } from '@evenhand/core';
import { toBase64 } from '@evenhand/log';
import { scenarioKeys, type ScenarioKeys } from '@evenhand/testing';
import { listSnapshots, type Store } from '@evenhand/store';
import { ENGINES } from '../../store/test/dialects.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { openSnapshotData } from '../src/replay/record-blocks.ts';
import { loadExchange, type Load } from './exchange-restart.ts';
import { linesData, LOG_START, otherHistorySnapshot, plantSnapshots, signedLog, snapshotLines, storeEntries, viewsOf } from './snapshot-log.ts';

/**
 * Issue 14, "No cost that grows with history", for the exchange's snapshots: after a whole
 * snapshot each one is a delta from the one before (server snapshot-keeper.ts). A restart from
 * a chain ends in the state of a full replay; a chain whose links were changed or lost is
 * refused and deleted; the two latest chains are kept whole. Replays are counted, never timed.
 */


for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`exchange snapshots as a chain of deltas on ${engine.name}`, { skip: engine.skip }, () => {
    const keys: ScenarioKeys = scenarioKeys();
    const log = signedLog(keys, 30);
    const thirds = [Math.floor(log.length / 3), Math.floor((2 * log.length) / 3), log.length];
    let store: Store;

    // Deltas while they hold less than ten times the whole snapshot: in a log this small, every one after the first.
    const load = (options: Partial<SnapshotOptions> = {}, on: Store = store): Promise<Load> => loadExchange(on, keys, { wholeAfter: 10, ...options });
    const rows = async () => (await listSnapshots(store.db, 'exchange')).reverse();
    /** The store cut back to the log's first third, with no snapshot: where a test starts its own chain. */
    const backToFirstThird = async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.deleteFrom('log_entries').where('idx', '>=', thirds[0]!).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: thirds[0]! }).where('id', '=', 1).execute();
    };

    before(async () => {
      store = await engine.open();
    });
    after(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('writes a delta after each snapshot it restarted from, and restarts from the chain to the state of a full replay', async () => {
      await storeEntries(store, log.slice(0, thirds[0]));
      await load({ fullReplay: true });
      for (const [i, size] of thirds.slice(1).entries()) {
        await storeEntries(store, log.slice(thirds[i], size));
        const restarted = await load();
        assert.deepEqual(restarted.warnings, []);
        assert.equal(restarted.replayed, size - thirds[i]!, 'the chain so far is taken, and the entries after it replayed');
        await restarted.sequencer.snapshotNow();
      }
      const chain = await rows();
      assert.deepEqual(chain.map((row) => row.size), thirds);
      assert.equal(chain[0]!.base, undefined, 'the first is whole');
      for (const i of [1, 2]) {
        assert.equal(chain[i]!.base?.size, thirds[i - 1], `the snapshot at ${thirds[i]} follows the one before`);
        assert.equal(toBase64(chain[i]!.base!.digest), toBase64(chain[i - 1]!.digest));
        // What the delta's tree holds: the hashes the tree stored since its base, not the whole tree.
        assert.ok(chain[i]!.tree!.length < chain[2]!.size * 32, 'the tree is not stored whole');
      }
      const [delta, ...more] = snapshotLines(chain[2]!.data);
      assert.equal(more.length, 0, 'a delta is one line');
      assert.equal(delta.state.base, thirds[1]);

      const restarted = await load();
      assert.deepEqual(restarted.warnings, []);
      assert.equal(restarted.replayed, 0);
      // The last third touched only its own requests: the delta holds those, not every request.
      const requests = restarted.sequencer.domainState.requests.size;
      assert.ok(delta.state.requests.set.length > 0 && delta.state.requests.set.length < requests, `${delta.state.requests.set.length} of ${requests} requests in the delta`);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
      assert.deepEqual(restarted.sequencer.verifier.tree.levelBytes().map(toBase64), rebuilt.sequencer.verifier.tree.levelBytes().map(toBase64));
      assert.deepEqual(restarted.sequencer.verifier.chains.toData(), rebuilt.sequencer.verifier.chains.toData());
      assert.deepEqual(restarted.sequencer.cases.toData(), rebuilt.sequencer.cases.toData());
    });

    it('refuses a chain whose links were changed or lost, and replays the whole log', async () => {
      // A whole snapshot two thirds in, and a delta at the end.
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.deleteFrom('log_entries').where('idx', '>=', thirds[1]!).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: thirds[1]! }).where('id', '=', 1).execute();
      await load({ fullReplay: true });
      await storeEntries(store, log.slice(thirds[1]));
      await (await load()).sequencer.snapshotNow();
      const [base, tip] = await rows();
      assert.equal(tip?.base?.size, base?.size);

      const replant = (rowsToPut: (typeof tip)[]) => plantSnapshots(store, rowsToPut.map((row) => row!));
      // The delta put on another base (here: its own base's digest changed in the link): its digest covers the link.
      await replant([base, { ...tip!, base: { size: base!.size, digest: new Uint8Array(32).fill(1) } }]);
      let restarted = await load();
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_INCONSISTENT: the snapshot at \d+ follows/);
      assert.equal(restarted.replayed, log.length);
      // The whole snapshot under it lost: the delta alone cannot be read.
      await replant([tip]);
      restarted = await load();
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_INCONSISTENT/);
      assert.equal(restarted.replayed, log.length);
      // The delta moved onto a sound whole snapshot of another history at the same size, its link
      // rewritten to name that one: the link holds, but the delta's digest covers the base it was written on.
      const otherBase = await otherHistorySnapshot(signedLog(keys, 30, LOG_START + 3600).slice(0, thirds[1]), (other) => load({ fullReplay: true }, other));
      assert.equal(otherBase.size, base!.size);
      await replant([otherBase, { ...tip!, base: { size: otherBase!.size, digest: otherBase!.digest } }]);
      restarted = await load();
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.equal(restarted.replayed, log.length);
      // The base's data edited: its digest tells.
      // A request's line taken out, and the header's count with it: the shape holds, the digest does not.
      const edited = snapshotLines(base!.data);
      edited.splice(1, 1);
      edited[0].state.requests -= 1;
      await replant([{ ...base!, data: await linesData(edited) }, tip]);
      restarted = await load();
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.equal(restarted.replayed, log.length);
      // Put back as written, the chain is taken again.
      await replant([base, tip]);
      restarted = await load();
      assert.deepEqual(restarted.warnings, []);
      assert.equal(restarted.replayed, 0);
    });

    it('keeps the two latest chains whole, deltas included, and deletes the ones before', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.deleteFrom('log_entries').execute();
      await store.db.updateTable('log_sequence').set({ next_idx: 0 }).where('id', '=', 1).execute();
      const fifths = [1, 2, 3, 4, 5].map((k) => Math.floor((k * log.length) / 5));
      await storeEntries(store, log.slice(0, fifths[0]));
      await load({ fullReplay: true });
      // Whole, delta, whole, delta, whole: each written by a sequencer restarted from the chain so far.
      for (const [i, size] of fifths.slice(1).entries()) {
        await storeEntries(store, log.slice(fifths[i], size));
        await (await load({ wholeAfter: i % 2 === 0 ? 10 : 0 })).sequencer.snapshotNow();
      }
      const kept = await rows();
      assert.deepEqual(kept.map((row) => [row.size, row.base?.size]), [[fifths[2], undefined], [fifths[3], fifths[2]], [fifths[4], undefined]], 'the chain before the older kept whole snapshot is gone, the delta after it stays');
      // The latest chain is taken; with the latest whole snapshot gone, the one before it and its delta still are.
      assert.equal((await load()).replayed, 0);
      await store.db.deleteFrom('replay_snapshots').where('size', '=', fifths[4]!).execute();
      const older = await load();
      assert.deepEqual(older.warnings, []);
      assert.equal(older.replayed, fifths[4]! - fifths[3]!);
    });

    it('deletes a chain it refused, so that the next start does not read it again', async () => {
      const [latest] = await listSnapshots(store.db, 'exchange');
      await store.db.updateTable('replay_snapshots').set({ digest: new Uint8Array(32) }).where('service', '=', 'exchange').where('size', '=', latest!.size).execute();
      const refused = await load();
      assert.match(refused.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      const sizes = (await rows()).map((row) => [row.size, toBase64(row.digest)]);
      assert.ok(!sizes.some(([size, digest]) => size === latest!.size && digest === toBase64(new Uint8Array(32))), 'the refused row is gone');
      const next = await load();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed, 0);
    });

    it('writes whole once the deltas outweigh their share, and keeps the latest chains only', async () => {
      await backToFirstThird();
      await load({ fullReplay: true });
      for (const [i, size] of thirds.slice(1).entries()) {
        await storeEntries(store, log.slice(thirds[i], size));
        await (await load({ wholeAfter: 0 })).sequencer.snapshotNow();
      }
      const chain = await rows();
      assert.deepEqual(chain.map((row) => [row.size, row.base?.size]), [[thirds[1], undefined], [thirds[2], undefined]], 'every snapshot whole, and two chains kept');
    });

    it('weighs its deltas after a restart against the whole snapshot with its records, not its lines alone', async () => {
      await backToFirstThird();
      await load({ fullReplay: true });
      await storeEntries(store, log.slice(thirds[0], thirds[1]));
      await (await load()).sequencer.snapshotNow();
      const [whole, delta] = await rows();
      assert.equal(delta?.base?.size, thirds[0], 'a delta follows the whole snapshot');
      const opened = openSnapshotData(whole!.data);
      if (typeof opened === 'string') throw new Error(opened);
      const linesText = gunzipSync(opened.lines).length;
      const wholeText = linesText + opened.recordTextBytes;
      const deltaText = gunzipSync(delta!.data).length;
      // A share of the whole under which the delta weighs less than the whole's text, but not
      // less than its lines' alone: the next snapshot is a delta only if the records are counted.
      const share = deltaText / Math.sqrt(wholeText * linesText);
      assert.ok(deltaText < wholeText * share && deltaText >= linesText * share, `the records weigh: lines ${linesText}, whole ${wholeText}, delta ${deltaText} bytes of text`);
      await storeEntries(store, log.slice(thirds[1], thirds[2]));
      await (await load({ wholeAfter: share })).sequencer.snapshotNow();
      const chain = await rows();
      assert.deepEqual(chain.map((row) => [row.size, row.base?.size]), [[thirds[0], undefined], [thirds[1], thirds[0]], [thirds[2], thirds[1]]], 'a second delta, the deltas so far under the share of the whole text');
    });

    it('keeps the state its next delta follows without the figure index, which the states since no longer share', async () => {
      await backToFirstThird();
      const first = await load({ fullReplay: true });
      // The index is read, as views read it: the state the keeper holds must not keep it.
      figuresOf(first.sequencer.domainState);
      assert.equal(first.snapshots.tipState?.size, thirds[0], 'the snapshot written after the full replay');
      assert.equal('figures' in first.snapshots.tipState!, false, 'written: kept without its index');
      await storeEntries(store, log.slice(thirds[0], thirds[1]));
      const restarted = await load({ every: 10 * log.length });
      assert.equal(restarted.snapshots.tipState?.size, thirds[0], 'no snapshot due since: the one restored');
      assert.equal('figures' in restarted.snapshots.tipState!, false, 'restored: kept without its index');
    });
  });
}
