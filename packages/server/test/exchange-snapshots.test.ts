import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { linesApart, openNote, parseCheckpoint, signCheckpoint, toBase64, verifierOf } from '@evenhand/log';
import { ORIGIN, scenarioKeys, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { scenario2021 } from '@evenhand/core';
import { listSnapshots, swapCheckpoint, type Store } from '@evenhand/store';
import { sql } from 'kysely';
import { ENGINES } from '../../store/test/dialects.ts';
import type { SnapshotOptions } from '../src/replay/snapshot-options.ts';
import { loadExchange, type Load } from './exchange-restart.ts';
import { countsUpTo, watchStart } from './start-watch.ts';
import { linesData, LOG_START, oneLinePerValue, otherHistorySnapshot, plantSnapshots, rewriteLatestSnapshot, signedLog, snapshotLines, storeEntries, viewsOf } from './snapshot-log.ts';
import { RecordBlockWriter } from '../src/replay/record-blocks.ts';
import { conditionalGrant, startStack, submitEntries } from './exchange-stack.ts';

/**
 * Issue 14, "Snapshots", for the exchange: a restart starts from the latest snapshot and
 * replays only the entries after it, and ends in the state a full replay gives; a snapshot
 * that was edited, or that is of another history, is refused and the whole log replayed.
 * Replays are counted through the keeper's observer, never timed.
 */


for (const makeEngine of ENGINES) {
  const engine = makeEngine();
  describe(`exchange restarts from snapshots on ${engine.name}`, { skip: engine.skip }, () => {
    const keys: ScenarioKeys = scenarioKeys();
    const log = signedLog(keys, 40);
    const cut = Math.floor(log.length * 0.6);
    let store: Store;

    // What start-exchange.ts gives: a stored head vouches for a snapshot only if the log key signed it.
    const openSigned = (note: string) => {
      const opened = openNote(note, [verifierOf(keys.log)]);
      const checkpoint = opened.ok ? parseCheckpoint(opened.value.text) : undefined;
      return checkpoint?.ok ? checkpoint.value : undefined;
    };
    const signedHead = (size: number, root: Uint8Array) => ({ origin: ORIGIN, size, root, note: (signCheckpoint({ origin: ORIGIN, size, root }, keys.log) as { ok: true; value: string }).value, updatedAt: LOG_START });

    const load = (options: Partial<SnapshotOptions> = {}, on: Store = store): Promise<Load> => loadExchange(on, keys, options, openSigned);

    before(async () => {
      store = await engine.open();
      await storeEntries(store, log.slice(0, cut));
    });
    after(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('writes a fresh snapshot on a full replay, and replays only the tail after it', async () => {
      const fullStart = watchStart();
      const full = await load({ fullReplay: true, progress: fullStart.progress });
      assert.equal(full.replayed, cut, '--full-replay replays every entry');
      assert.deepEqual(fullStart.steps, [`replaying 0 to ${cut}`], 'no snapshot is read under --full-replay');
      assert.deepEqual(fullStart.replayed, countsUpTo(cut));
      const [written] = await listSnapshots(store.db, 'exchange');
      assert.equal(written?.size, cut, 'and writes a snapshot of them');
      assert.equal(toBase64(written.root), toBase64(full.sequencer.verifier.tree.root()));

      await storeEntries(store, log.slice(cut));
      const restart = watchStart();
      const restarted = await load({ progress: restart.progress });
      assert.deepEqual(restarted.warnings, []);
      assert.equal(restarted.replayed, log.length - cut, 'only the entries after the snapshot are replayed');
      assert.deepEqual(restart.steps, [`restoring ${cut}`, `restored ${cut}`, `replaying ${cut} to ${log.length}`]);
      assert.deepEqual(restart.replayed, countsUpTo(log.length - cut));
      // The restored state's figure index is counted once the exchange goes on, and the views read it as a full replay's.
      let timer: NodeJS.Timeout | undefined;
      const counted = await Promise.race([restart.counted, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), 10_000)))]);
      clearTimeout(timer);
      assert.ok(counted, 'the restored figure index was counted within 10 s');
      const rebuilt = await load({ fullReplay: true });
      assert.equal(rebuilt.replayed, log.length);
      assert.equal(restarted.sequencer.size, log.length);
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
      assert.equal(toBase64(restarted.sequencer.verifier.tree.root()), toBase64(rebuilt.sequencer.verifier.tree.root()));
      assert.deepEqual(restarted.sequencer.verifier.chains.toData(), rebuilt.sequencer.verifier.chains.toData());
      assert.deepEqual(restarted.sequencer.verifier.times.toData(), rebuilt.sequencer.verifier.times.toData());
      assert.deepEqual(restarted.sequencer.cases.toData(), rebuilt.sequencer.cases.toData());
      assert.deepEqual(JSON.parse(JSON.stringify(restarted.sequencer.treaties.toData())), JSON.parse(JSON.stringify(rebuilt.sequencer.treaties.toData())));
      // Proofs served after a restart are those of the full tree: the rebuilt levels are complete.
      for (const index of [0, 1, cut - 1, cut, log.length - 1]) {
        const left = restarted.sequencer.verifier.tree.inclusionProof(index);
        const right = rebuilt.sequencer.verifier.tree.inclusionProof(index);
        assert.ok(left.ok && right.ok);
        assert.deepEqual(left.value.map(toBase64), right.value.map(toBase64));
      }
    });

    it('keeps only the latest snapshots', async () => {
      const sizes = (await listSnapshots(store.db, 'exchange')).map((row) => row.size);
      assert.ok(sizes.length <= 2, `kept ${sizes.join(', ')}`);
      assert.equal(sizes[0], log.length, 'the full replay above wrote one of the whole log');
    });

    it('refuses a snapshot whose data was edited, and replays the whole log', async () => {
      const [latest] = await listSnapshots(store.db, 'exchange');
      const lines = snapshotLines(latest!.data);
      // An edit that still has the exact shape: a request shown as surrendered that was not.
      const record = lines.slice(1, 1 + lines[0].state.requests).find(([, value]: [string, { status: string }]) => value.status !== 'surrendered');
      record[1].status = 'surrendered';
      await store.db.updateTable('replay_snapshots').set({ data: await linesData(lines) }).where('service', '=', 'exchange').where('size', '=', latest!.size).execute();
      const start = watchStart();
      const restarted = await load({ progress: start.progress });
      assert.equal(restarted.replayed, log.length, 'the whole log is replayed');
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.deepEqual(start.steps, [`restoring ${latest!.size}`, `replaying 0 to ${log.length}`], 'a refused snapshot is never said to be restored');
      assert.deepEqual(start.replayed, countsUpTo(log.length));
      // The full replay replaced the refused snapshot with a fresh one, which the next start takes.
      const next = await load();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed, 0);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
    });

    /** Rewrites the latest snapshot, a whole one, as `write` makes its data from its lines, signed again under the exchange's own key. */
    async function rewriteLatest(write: (lines: any[]) => Buffer | Promise<Buffer>): Promise<void> {
      const latest = await rewriteLatestSnapshot(store, 'exchange', keys.log.seed, (row) => write(snapshotLines(row.data)));
      assert.equal(latest.base, undefined, 'a whole snapshot');
    }

    /** A whole snapshot's lines as a version whose records have another schema wrote them: its header's mark differs. */
    const otherVersion = (lines: any[]) => [{ ...lines[0], state: { ...lines[0].state, recordShape: 'another version' } }, ...lines.slice(1)];

    it('starts from a whole snapshot written before records were kept apart, and from one whose records are of another version, without a replay', async () => {
      const variants: [string, (lines: any[]) => Buffer | Promise<Buffer>][] = [
        ['one gzip of its lines, its records in them', (lines) => oneLinePerValue(lines)],
        ['its records kept apart, of another version (read and checked at the start)', (lines) => linesData(otherVersion(lines))],
        ['one gzip of its lines, its records of another version', (lines) => oneLinePerValue(otherVersion(lines))],
      ];
      for (const [what, write] of variants) {
        const full = await load({ fullReplay: true });
        await rewriteLatest(write);
        const restarted = await load();
        assert.deepEqual(restarted.warnings, [], what);
        assert.equal(restarted.replayed, 0, `${what}: nothing replayed`);
        assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(full.sequencer.domainState), what);
      }
    });

    it('refuses a snapshot signed under its own key whose lines are not as written, and replays the whole log', async () => {
      /** Data whose records are kept apart, with the lines of the records edited by `edit` after their places are given. */
      const apart = (lines: any[], edit: (apart: any[]) => void) => {
        const records = new RecordBlockWriter();
        const written = [...linesApart(lines, (text) => records.keep(text))];
        edit(written);
        return records.pack(oneLinePerValue(written));
      };
      const variants: [string, (lines: any[]) => Buffer | Promise<Buffer>, RegExp][] = [
        ['one JSON text, as before lines', (lines) => gzipSync(JSON.stringify({ ...lines[0], v: 1 })), /SNAPSHOT_SHAPE: snapshot\.v: expected 2/],
        ['a line that is not JSON', (lines) => gzipSync(`${JSON.stringify(lines[0])}\n{not json\n`), /SNAPSHOT_SHAPE: line 2 does not read/],
        ['a pair its header does not announce', (lines) => linesData([...lines, lines[1]]), /SNAPSHOT_SHAPE: state: a pair beyond the counts/],
        ['pairs its header announces, missing', (lines) => linesData(lines.slice(0, -1)), /SNAPSHOT_SHAPE: state: 1 of the pairs its header announced did not come/],
        ['not gzip', () => Buffer.from('plain'), /does not decompress/],
        ['blocks whose lengths do not add up to its data', async (lines) => Buffer.concat([await linesData(lines), Buffer.from([0])]), /SNAPSHOT_SHAPE: its dictionary, lines and blocks are \d+ bytes, its data \d+/],
        ['a record placed in a block it does not have', (lines) => apart(lines, (written) => (written[1] = [written[1][0], 2 ** 20, 0, 2])), /SNAPSHOT_SHAPE: state\.requests "[^"]+": expected \[key, block, start, end\]/],
        ['a record in its line, where the records are kept apart', (lines) => apart(lines, (written) => (written[1] = lines[1])), /SNAPSHOT_SHAPE: state\.requests "[^"]+": expected \[key, block, start, end\]/],
        // Read and checked at the start, not kept unread: refused there, the whole log replayed.
        ['a record of another version that does not read', (lines) => linesData(otherVersion(lines.map((line, i) => (i === 1 ? [line[0], { ...line[1], seq: 'first' }] : line)))), /SNAPSHOT_SHAPE: state\.requests/],
        ['a place that ends before it starts', (lines) => apart(lines, (written) => (written[1] = [written[1][0], 0, 5, 4])), /SNAPSHOT_SHAPE: state\.requests "[^"]+": expected \[key, block, start, end\]/],
      ];
      for (const [what, edit, refusal] of variants) {
        await rewriteLatest(edit);
        const restarted = await load();
        assert.match(restarted.warnings.join('\n'), refusal, what);
        assert.equal(restarted.replayed, log.length, `${what}: the whole log is replayed`);
      }
      // Not signed again: refused on its digest, before a byte of it is decompressed or parsed.
      const [latest] = await listSnapshots(store.db, 'exchange');
      await store.db.updateTable('replay_snapshots').set({ data: gzipSync('{not json\n') }).where('service', '=', 'exchange').where('size', '=', latest!.size).execute();
      const unsigned = await load();
      assert.match(unsigned.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.doesNotMatch(unsigned.warnings.join('\n'), /does not read/);
      const next = await load();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed, 0);
    });

    it('refuses a snapshot whose stored tree was edited, and replays the whole log', async () => {
      const [latest] = await listSnapshots(store.db, 'exchange');
      assert.ok(latest?.tree, 'a snapshot keeps its tree');
      const tree = new Uint8Array(latest.tree);
      // A hash of an inner level: the digest tells, before any root is computed from it.
      tree[latest.size * 32 + 5]! ^= 1;
      await store.db.updateTable('replay_snapshots').set({ tree }).where('service', '=', 'exchange').where('size', '=', latest.size).execute();
      const restarted = await load();
      assert.equal(restarted.replayed, log.length, 'the whole log is replayed');
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.equal((await load()).replayed, 0, 'the full replay wrote a sound snapshot');
    });

    it('refuses a snapshot of another history (its root is not the log\'s), and replays the whole log', async () => {
      // A sound snapshot, under this exchange's own key, of another log of the same authors
      // (the same acts an hour later): what a mix-up of databases, or a log rewritten under it, leaves.
      // Made on SQLite whatever the engine under test: only its row is copied over.
      const row = await otherHistorySnapshot(signedLog(keys, 40, LOG_START + 3600).slice(0, cut), (other) => load({ fullReplay: true }, other));
      assert.equal(row.size, cut);
      await plantSnapshots(store, [row]);
      const restarted = await load();
      assert.equal(restarted.replayed, log.length, 'the whole log is replayed');
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_ROOT_MISMATCH/);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
      const plant = () => plantSnapshots(store, [row]);
      const withHead = async (head: { origin: string; size: number; root: Uint8Array; note: string; updatedAt: number }, expected: RegExp) => {
        await plant();
        await swapCheckpoint(store.db, 'log_head', undefined, head);
        try {
          const restarted = await load();
          assert.equal(restarted.replayed, log.length, `${head.size}: the whole log is replayed`);
          assert.match(restarted.warnings.join('\n'), expected);
        } finally {
          await store.db.deleteFrom('log_head').execute();
        }
      };
      const below = cut - 3;
      // A signed head below the snapshot vouches for the leaves under it; those beyond are compared one by one, and the first differs.
      await withHead(signedHead(below, rebuilt.sequencer.verifier.tree.root(below)), new RegExp(`SNAPSHOT_ROOT_MISMATCH: the log's entry ${below} is not the snapshot's`));
      // A signed head at the log's end: no leaf is compared, and the tail does not replay on the other history (or, had it, the roots would differ).
      await withHead(signedHead(log.length, rebuilt.sequencer.verifier.tree.root()), /is not used \((stored entry \d+ no longer verifies|SNAPSHOT_ROOT_MISMATCH: the replay's root)/);
    });

    it('refuses a snapshot longer than the log the store holds, and a start below its own signed checkpoint', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const full = await load({ fullReplay: true });
      const [written] = await listSnapshots(store.db, 'exchange');
      const size = written!.size;
      // The log's tables restored from an older backup: the snapshot outlives the last two entries.
      await store.db.deleteFrom('log_entries').where('idx', '>=', size - 2).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: size - 2 }).where('id', '=', 1).execute();
      try {
        // No signed head: nothing this exchange signed says the log was longer; the entries left are replayed.
        const restarted = await load();
        assert.match(restarted.warnings.join('\n'), new RegExp(`SNAPSHOT_ROOT_MISMATCH: the log holds fewer than ${size} entries`));
        assert.equal(restarted.replayed, size - 2, 'the entries left are replayed');
        // A signed head at the snapshot's size vouches for all of it: no leaf is read, only the count tells the snapshot
        // is too long. The full replay then stops short of what the log key signed: serving, it would sign a fork.
        await plantSnapshots(store, [written!]);
        await swapCheckpoint(store.db, 'log_head', undefined, signedHead(size, full.sequencer.verifier.tree.root(size)));
        await assert.rejects(load(), new RegExp(`STORE_CONTRADICTS_SIGNED_CHECKPOINT: the exchange's store does not hold the log its own checkpoint of size ${size} \\(table log_head\\) states: the log's signed checkpoint has ${size} entries, the store ${size - 2}`));
        await assert.rejects(load({ fullReplay: true }), /STORE_CONTRADICTS_SIGNED_CHECKPOINT/);
      } finally {
        await store.db.deleteFrom('log_head').execute();
        await storeEntries(store, log.slice(size - 2));
      }
    });

    it('fails to start when its entries do not give the root of its own signed checkpoint', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const other = new Uint8Array(32).fill(7);
      // A head the log key signed over another root: the store's entries are not the ones signed (or the head is from another store).
      await swapCheckpoint(store.db, 'log_head', undefined, signedHead(log.length - 1, other));
      try {
        await assert.rejects(load({ fullReplay: true }), new RegExp(`STORE_CONTRADICTS_SIGNED_CHECKPOINT: .*the replay's root at size ${log.length - 1} is not the root of the log's signed checkpoint`));
        await assert.rejects(load(), /STORE_CONTRADICTS_SIGNED_CHECKPOINT/);
      } finally {
        await store.db.deleteFrom('log_head').execute();
      }
    });

    it('starts, replaying the log, whatever rows were put in the table of snapshots', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const rebuilt = await load({ fullReplay: true });
      await store.db.deleteFrom('replay_snapshots').execute();
      const bogus = new Uint8Array([0]);
      // A size no double holds exactly: read back as another number, its row was not found again, and every start threw.
      await sql`insert into replay_snapshots (service, size, root, data, digest, created_at) values ('exchange', 9007199254740993, ${bogus}, ${bogus}, ${bogus}, 0)`.execute(store.db);
      // A chain of 3,000 deltas at one size: a start read them with one query per size (too many variables) and walked them in quadratic time.
      for (let link = 0; link < 3_000; link++) {
        const digest = new Uint8Array([link % 256, link >> 8]);
        await store.db.insertInto('replay_snapshots').values({ service: 'exchange', size: 10, root: digest, data: bogus, digest, created_at: 0, tree: null, base_size: link === 0 ? null : 10, base_digest: link === 0 ? null : new Uint8Array([(link - 1) % 256, (link - 1) >> 8]) }).execute();
      }
      try {
        const first = await load();
        assert.equal(first.replayed, log.length, 'the first start replays the whole log');
        assert.deepEqual(viewsOf(first.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
        // The chain it read was dropped, the row beyond 2^53 is never read: the next start takes the fresh snapshot, not another full replay.
        const second = await load();
        assert.equal(second.replayed, 0, 'the second start replays nothing');
        assert.deepEqual(viewsOf(second.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
      } finally {
        await store.db.deleteFrom('log_head').execute();
        await store.db.deleteFrom('replay_snapshots').execute();
      }
    });

    it('fails to start, naming the first missing entry, when the sequence counts entries the store does not hold', async () => {
      // A count edited far beyond the rows: a start read empty batches up to it, and never ended.
      for (const count of [log.length + 5, 1_000_000_000_000]) {
        await store.db.updateTable('log_sequence').set({ next_idx: count }).where('id', '=', 1).execute();
        try {
          await assert.rejects(load(), new RegExp(`the store holds no entry ${log.length}, below the ${count} its sequence counts`));
        } finally {
          await store.db.updateTable('log_sequence').set({ next_idx: log.length }).where('id', '=', 1).execute();
        }
      }
      assert.equal((await load()).sequencer.size, log.length);
    });

    it('fails to start, naming log_head, when the head row is no checkpoint its log key signed', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const full = await load({ fullReplay: true });
      const root = full.sequencer.verifier.tree.root();
      const heads = [
        // Its root edited: the note no longer states the row (each start replayed the log, then the publisher's fork guard refused it, blaming the entries).
        { ...signedHead(log.length, root), root: new Uint8Array(32).fill(9) },
        // A note no log key signed.
        { ...signedHead(log.length, root), note: 'edited' },
      ];
      try {
        for (const head of heads) {
          await store.db.deleteFrom('log_head').execute();
          await swapCheckpoint(store.db, 'log_head', undefined, head);
          for (const options of [{}, { fullReplay: true }]) {
            await assert.rejects(load(options), new RegExp(`STORE_CHECKPOINT_EDITED: the exchange's signed head \\(table log_head, size ${log.length}\\) is not a checkpoint its log key signed`));
          }
        }
        // A note that is no text: SQLite's columns take any type (PostgreSQL's text refuses a blob before it is stored).
        if (engine.name === 'sqlite') {
          await store.db.deleteFrom('log_head').execute();
          const bogus = new Uint8Array([0]);
          await sql`insert into log_head (origin, size, root, note, updated_at) values (${ORIGIN}, ${log.length}, ${bogus}, ${bogus}, 0)`.execute(store.db);
          await assert.rejects(load(), /STORE_CHECKPOINT_EDITED/);
        }
      } finally {
        await store.db.deleteFrom('log_head').execute();
      }
      assert.equal((await load()).sequencer.size, log.length);
    });

    it('fails to start, naming the entry, when a stored leaf hash is not the hash of its bytes', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const full = await load({ fullReplay: true });
      const edited = log.length - 2;
      const [row] = await store.db.selectFrom('log_entries').select('leaf_hash').where('idx', '=', edited).execute();
      await store.db.updateTable('log_entries').set({ leaf_hash: new Uint8Array(32).fill(3) }).where('idx', '=', edited).execute();
      try {
        // With a signed head below it, the snapshot's check reads the column and refuses the snapshot; the replay then reads the bytes.
        await swapCheckpoint(store.db, 'log_head', undefined, signedHead(cut, full.sequencer.verifier.tree.root(cut)));
        for (const options of [{}, { fullReplay: true }]) {
          await assert.rejects(load(options), new RegExp(`the stored leaf hash of entry ${edited} is not the hash of its bytes`));
        }
      } finally {
        await store.db.deleteFrom('log_head').execute();
        await store.db.updateTable('log_entries').set({ leaf_hash: row!.leaf_hash }).where('idx', '=', edited).execute();
      }
      assert.equal((await load()).sequencer.size, log.length);
    });
  });

}

describe('a running exchange and its snapshots', () => {
  it('writes one on a clean shutdown, and starts from it replaying nothing', async () => {
    let replayed = 0;
    const stack = await startStack({ snapshots: { onReplayed: () => replayed++ } });
    try {
      const entries = scenario2021(treatyWithKeys(stack.keys), Math.floor(Date.now() / 1000));
      await submitEntries(stack, entries, { waitForLast: true });
      const views = viewsOf(stack.exchange.sequencer.domainState);
      await stack.restartExchange();
      const [written] = await listSnapshots(stack.exchange.store.db, 'exchange');
      assert.equal(written?.size, entries.length, 'the shutdown wrote a snapshot of the whole log');
      assert.equal(replayed, 0, 'and the start replayed nothing');
      assert.deepEqual(viewsOf(stack.exchange.sequencer.domainState), views);
      // Appends go on from the restored state.
      const more = conditionalGrant('R-after-restart', 'US', 'RU', stack.clock.now() + 60);
      await submitEntries(stack, more, { waitForLast: true });
      assert.equal(stack.exchange.sequencer.size, entries.length + more.length);
    } finally {
      await stack.close();
    }
  });
});
