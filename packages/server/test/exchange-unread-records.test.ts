import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mapGet, SnapshotValueRefused } from '@evenhand/core';
import { parseEntry } from '@evenhand/log';
import { scenarioKeys, waitFor, type ScenarioKeys } from '@evenhand/testing';
import { listSnapshots, type Store } from '@evenhand/store';
import { ENGINES } from '../../store/test/dialects.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { loadExchange, type Load } from './exchange-restart.ts';
import { watchStart } from './start-watch.ts';
import { linesData, rewriteLatestSnapshot, signedLog, snapshotLines, storeEntries, viewsOf } from './snapshot-log.ts';
import { snapshotLayout } from '../src/replay/record-blocks.ts';

/**
 * Issue 14, "restart ≤ 2 s at 10^6": a restart keeps the snapshot's request records unread
 * until each is first read (core unread-value.ts), since the snapshot's digest binds them to
 * this exchange. One that does not read after all (written under its own key, by a version
 * whose mark of the records' schema matched but whose records did not) is refused at its
 * reading: a start still replaying the tail gives the snapshot up and replays the log; after
 * the start, the snapshot is deleted and the service told to stop, and it is never served.
 */

for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`a restarted exchange keeps its snapshot's records unread until read, on ${engine.name}`, { skip: engine.skip }, () => {
    const keys: ScenarioKeys = scenarioKeys();
    const log = signedLog(keys, 12);
    let store: Store;
    const load = (options: Partial<SnapshotOptions> = {}): Promise<Load> => loadExchange(store, keys, options);

    /** Rewrites the latest snapshot, signed again under the exchange's own key, with `edit` made to the request records it picks. */
    async function editRecords(pick: (key: string) => boolean, edit: (record: any) => void): Promise<number> {
      let edited = 0;
      await rewriteLatestSnapshot(store, 'exchange', keys.log.seed, (latest) => {
        const lines = snapshotLines(latest.data);
        for (const pair of lines.slice(1, 1 + lines[0].state.requests)) {
          if (!pick(pair[0])) continue;
          edit(pair[1]);
          edited++;
        }
        return linesData(lines);
      });
      return edited;
    }

    /**
     * Rewrites the latest snapshot, signed again under the exchange's own key, with each block
     * of its records (record-blocks.ts) made one that does not decompress: its first byte a
     * deflate block of the reserved type (RFC 1951 §3.2.3, BTYPE 11). Its length is kept.
     */
    async function breakBlocks(): Promise<number> {
      let blocks = 0;
      await rewriteLatestSnapshot(store, 'exchange', keys.log.seed, (latest) => {
        const data = Buffer.from(latest.data);
        const layout = snapshotLayout(data);
        assert.ok(typeof layout === 'object', 'a whole snapshot with its records apart');
        for (const block of layout.blocks) data[block.start] = 0xff;
        blocks = layout.blocks.length;
        return data;
      });
      return blocks;
    }

    before(async () => {
      store = await engine.open();
    });
    after(async () => {
      await store?.close();
      await engine.cleanup();
    });

    /** The requests that `entries` act on, besides filing them. */
    function actedOn(entries: readonly Uint8Array[]): Set<string> {
      const acted = new Set<string>();
      for (const bytes of entries) {
        const entry = parseEntry(bytes);
        assert.ok(entry.ok);
        const request = (entry.value.body as { request?: unknown }).request;
        if (typeof request === 'string' && entry.value.type !== 'request.file') acted.add(request);
      }
      return acted;
    }

    /** A store holding `held` entries of the log and a snapshot of them. */
    async function snapshotOf(held: number): Promise<void> {
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.deleteFrom('log_entries').execute();
      await store.db.updateTable('log_sequence').set({ next_idx: 0 }).where('id', '=', 1).execute();
      await storeEntries(store, log.slice(0, held));
      await load({ fullReplay: true });
    }

    it('starts with a record that does not read, refuses it at its first reading, deletes the snapshots, and the next start replays the whole log', async () => {
      // The next entry of the log acts on a request the snapshot holds, and that record does not read. It
      // cites the empty log as seen (signedLog cites a checkpoint every 16 entries), which needs no archived checkpoint.
      let cut = 1;
      while (actedOn([log[cut]!]).size === 0) cut++;
      assert.ok(cut < 16, `the first act on a filed request is entry ${cut}`);
      await snapshotOf(cut);
      const [bad] = [...actedOn([log[cut]!])];
      assert.equal(await editRecords((key) => key === bad, (record) => (record.seq = 'first')), 1);

      const broken: string[] = [];
      const next = parseEntry(log[cut]!);
      assert.ok(next.ok);
      const restarted = await loadExchange(store, keys, { onBroken: (message) => broken.push(message) }, undefined, next.value.time);
      assert.deepEqual(restarted.warnings, [], 'the start took the snapshot: its records were not read');
      assert.equal(restarted.replayed, 0);
      // The entry that reads it is refused, as the exchange's own fault, and the exchange goes on.
      const submitted = await restarted.sequencer.submit(log[cut]!);
      assert.equal(submitted.ok ? 'accepted' : submitted.error.code, 'SNAPSHOT_VALUE_REFUSED');
      assert.equal(restarted.sequencer.size, cut, 'nothing was appended');
      // The count of the figure index reads every record, in slices once the start kept the state, and meets it too.
      await waitFor('the keeper told of the record', async () => broken.length > 0);
      assert.equal(broken.length, 1);
      assert.match(broken[0]!, new RegExp(`the snapshot at size ${cut} holds a request record that does not read \\(SNAPSHOT_SHAPE: .*state\\.requests.*\\)\\. This service's snapshots are deleted`));
      assert.match(restarted.warnings.join('\n'), /holds a request record that does not read/);
      // Never served: every reading of it throws, and the figures, which count it, throw too.
      assert.throws(() => mapGet(restarted.sequencer.domainState.requests, bad!), SnapshotValueRefused);
      assert.throws(() => viewsOf(restarted.sequencer.domainState), SnapshotValueRefused);
      await waitFor('the snapshots deleted', async () => (await listSnapshots(store.db, 'exchange')).length === 0);

      const again = await load();
      assert.equal(again.replayed, cut, 'the next start replays the whole log');
      assert.deepEqual(again.warnings, []);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(again.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
    });

    it('a record that the replay of the tail reads and that does not read: the start gives the snapshot up and replays the whole log', async () => {
      const cut = Math.floor(log.length * 0.6);
      await snapshotOf(cut);
      await storeEntries(store, log.slice(cut));
      // The requests the tail acts on, filed before the cut.
      const acted = actedOn(log.slice(cut));
      assert.ok((await editRecords((key) => acted.has(key), (record) => (record.seq = 'first'))) > 0, 'the tail acts on requests the snapshot holds');

      const broken: string[] = [];
      const start = watchStart();
      const restarted = await load({ onBroken: (message) => broken.push(message), progress: start.progress });
      assert.deepEqual(start.steps, [`restoring ${cut}`, `restored ${cut}`, `replaying ${cut} to ${log.length}`, `replaying 0 to ${log.length}`], 'the tail, until the record, then the whole log');
      assert.match(restarted.warnings.join('\n'), new RegExp(`the snapshot at size ${cut} is not used \\(.*SNAPSHOT_VALUE_REFUSED.*state\\.requests`));
      // The start recovered by itself: the service is not told to stop.
      assert.deepEqual(broken, []);
      const next = await load();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed, 0, 'the full replay wrote a sound snapshot, which the next start takes');
      assert.deepEqual(viewsOf(next.sequencer.domainState), viewsOf(restarted.sequencer.domainState));
    });

    it('a block of records that does not decompress: its records do not read, and the start gives the snapshot up', async () => {
      const cut = Math.floor(log.length * 0.6);
      await snapshotOf(cut);
      await storeEntries(store, log.slice(cut));
      assert.ok((await breakBlocks()) > 0);

      const broken: string[] = [];
      const start = watchStart();
      const restarted = await load({ onBroken: (message) => broken.push(message), progress: start.progress });
      assert.deepEqual(start.steps, [`restoring ${cut}`, `restored ${cut}`, `replaying ${cut} to ${log.length}`, `replaying 0 to ${log.length}`], 'the tail, until a record, then the whole log');
      assert.match(restarted.warnings.join('\n'), new RegExp(`the snapshot at size ${cut} is not used \\(.*SNAPSHOT_VALUE_REFUSED.*SNAPSHOT_SHAPE: state\\.requests "[^"]+": its value does not read \\(invalid block type\\)`));
      assert.deepEqual(broken, []);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
    });
  });
}
