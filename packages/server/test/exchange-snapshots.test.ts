import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync, gzipSync } from 'node:zlib';
import { AuthorKeyring, openNote, parseCheckpoint, signCheckpoint, toBase64, verifierOf } from '@evenhand/log';
import { ORIGIN, scenarioKeys, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { scenario2021 } from '@evenhand/core';
import { listSnapshots, swapCheckpoint, type Store } from '@evenhand/store';
import { ENGINES, sqliteEngine } from '../../store/test/dialects.ts';
import { Sequencer } from '../src/exchange/sequencer.ts';
import { SnapshotKeeper, type SnapshotOptions } from '../src/replay/snapshot-keeper.ts';
import { LOG_START, signedLog, storeEntries, viewsOf } from './snapshot-log.ts';
import { conditionalGrant, startStack, submitEntries } from './exchange-stack.ts';

/**
 * Issue 14, "Snapshots", for the exchange: a restart starts from the latest snapshot and
 * replays only the entries after it, and ends in the state a full replay gives; a snapshot
 * that was edited, or that is of another history, is refused and the whole log replayed.
 * Replays are counted through the keeper's observer, never timed.
 */

const EVERY = 100;

interface Load {
  readonly sequencer: Sequencer;
  readonly replayed: number;
  readonly warnings: string[];
}

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

    const load = async (options: Partial<SnapshotOptions> = {}): Promise<Load> => {
      const warnings: string[] = [];
      let replayed = 0;
      const snapshots = new SnapshotKeeper(store, { service: 'exchange', secret: keys.log.seed, every: EVERY, warn: (message) => warnings.push(message), onReplayed: () => replayed++, ...options });
      const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
      const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => LOG_START, snapshots, openSigned });
      await snapshots.flush();
      return { sequencer, replayed, warnings };
    };

    before(async () => {
      store = await engine.open();
      await storeEntries(store, log.slice(0, cut));
    });
    after(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('writes a fresh snapshot on a full replay, and replays only the tail after it', async () => {
      const full = await load({ fullReplay: true });
      assert.equal(full.replayed, cut, '--full-replay replays every entry');
      const [written] = await listSnapshots(store.db, 'exchange');
      assert.equal(written?.size, cut, 'and writes a snapshot of them');
      assert.equal(toBase64(written.root), toBase64(full.sequencer.verifier.tree.root()));

      await storeEntries(store, log.slice(cut));
      const restarted = await load();
      assert.deepEqual(restarted.warnings, []);
      assert.equal(restarted.replayed, log.length - cut, 'only the entries after the snapshot are replayed');
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
      const data = JSON.parse(gunzipSync(latest!.data).toString('utf8'));
      // An edit that still has the exact shape: a request shown as surrendered that was not.
      const record = data.state.requests.find(([, value]: [string, { status: string }]) => value.status !== 'surrendered');
      record[1].status = 'surrendered';
      await store.db.updateTable('replay_snapshots').set({ data: gzipSync(JSON.stringify(data)) }).where('service', '=', 'exchange').where('size', '=', latest!.size).execute();
      const restarted = await load();
      assert.equal(restarted.replayed, log.length, 'the whole log is replayed');
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      // The full replay replaced the refused snapshot with a fresh one, which the next start takes.
      const next = await load();
      assert.deepEqual(next.warnings, []);
      assert.equal(next.replayed, 0);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
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
      const otherEngine = sqliteEngine();
      const other = await otherEngine.open();
      const saved = store;
      try {
        store = other;
        await storeEntries(other, signedLog(keys, 40, LOG_START + 3600).slice(0, cut));
        await load({ fullReplay: true });
      } finally {
        store = saved;
      }
      const [row] = await listSnapshots(other.db, 'exchange');
      await other.close();
      await otherEngine.cleanup();
      assert.equal(row?.size, cut);
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.insertInto('replay_snapshots').values({ service: row!.service, size: row!.size, root: row!.root, data: row!.data, digest: row!.digest, created_at: row!.createdAt, tree: row!.tree ?? null }).execute();
      const restarted = await load();
      assert.equal(restarted.replayed, log.length, 'the whole log is replayed');
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_ROOT_MISMATCH/);
      const rebuilt = await load({ fullReplay: true });
      assert.deepEqual(viewsOf(restarted.sequencer.domainState), viewsOf(rebuilt.sequencer.domainState));
      const plant = async () => {
        await store.db.deleteFrom('replay_snapshots').execute();
        await store.db.insertInto('replay_snapshots').values({ service: row!.service, size: row!.size, root: row!.root, data: row!.data, digest: row!.digest, created_at: row!.createdAt, tree: row!.tree ?? null }).execute();
      };
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
      // The same head in a row whose note the log key did not sign vouches for nothing: every leaf is compared.
      await withHead({ ...signedHead(below, rebuilt.sequencer.verifier.tree.root(below)), note: 'edited' }, /SNAPSHOT_ROOT_MISMATCH: the log's entry 0 is not the snapshot's/);
      // A signed head at the log's end: no leaf is compared, and the tail does not replay on the other history (or, had it, the roots would differ).
      await withHead(signedHead(log.length, rebuilt.sequencer.verifier.tree.root()), /is not used \((stored entry \d+ no longer verifies|SNAPSHOT_ROOT_MISMATCH: the replay's root)/);
    });

    it('refuses a snapshot longer than the log the store holds', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      const full = await load({ fullReplay: true });
      const [written] = await listSnapshots(store.db, 'exchange');
      // A signed head at the snapshot's size vouches for all of it: no leaf is read, only the count can tell.
      await swapCheckpoint(store.db, 'log_head', undefined, signedHead(written!.size, full.sequencer.verifier.tree.root(written!.size)));
      // The log's tables restored from an older backup: the snapshot outlives the last two entries.
      await store.db.deleteFrom('log_entries').where('idx', '>=', written!.size - 2).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: written!.size - 2 }).where('id', '=', 1).execute();
      try {
        const restarted = await load();
        assert.match(restarted.warnings.join('\n'), new RegExp(`SNAPSHOT_ROOT_MISMATCH: the log holds fewer than ${written!.size} entries`));
        assert.equal(restarted.replayed, written!.size - 2, 'the entries left are replayed');
      } finally {
        await store.db.deleteFrom('log_head').execute();
        await storeEntries(store, log.slice(written!.size - 2));
      }
    });

    it('refuses a sound snapshot whose replay does not reach the root of the signed checkpoint', async () => {
      await store.db.deleteFrom('replay_snapshots').execute();
      await load({ fullReplay: true });
      const wrong = new Uint8Array(32).fill(9);
      await swapCheckpoint(store.db, 'log_head', undefined, { origin: ORIGIN, size: log.length, root: wrong, note: 'test', updatedAt: LOG_START });
      const restarted = await load();
      assert.equal(restarted.replayed, log.length, 'snapshot dropped, whole log replayed');
      assert.match(restarted.warnings.join('\n'), /signed checkpoint/);
    });
  });

  describe(`exchange snapshots as a chain of deltas on ${engine.name}`, { skip: engine.skip }, () => {
    const engine = makeEngine();
    const keys: ScenarioKeys = scenarioKeys();
    const log = signedLog(keys, 30);
    const thirds = [Math.floor(log.length / 3), Math.floor((2 * log.length) / 3), log.length];
    let store: Store;

    const load = async (options: Partial<SnapshotOptions> = {}): Promise<Load> => {
      const warnings: string[] = [];
      let replayed = 0;
      // Deltas while they hold less than ten times the whole snapshot: in a log this small, every one after the first.
      const snapshots = new SnapshotKeeper(store, { service: 'exchange', secret: keys.log.seed, every: EVERY, wholeAfter: 10, warn: (message) => warnings.push(message), onReplayed: () => replayed++, ...options });
      const keyring = new AuthorKeyring(keys.log.publicKey, new Map([...keys.authors].map(([author, signer]) => [author, signer.publicKey])));
      const sequencer = await Sequencer.load({ store, origin: ORIGIN, keyring, now: () => LOG_START, snapshots });
      await snapshots.flush();
      return { sequencer, replayed, warnings };
    };
    const rows = async () => (await listSnapshots(store.db, 'exchange')).reverse();

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
      const delta = JSON.parse(gunzipSync(chain[2]!.data).toString('utf8'));
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

      const replant = async (rowsToPut: (typeof tip)[]) => {
        await store.db.deleteFrom('replay_snapshots').execute();
        for (const row of rowsToPut) {
          await store.db.insertInto('replay_snapshots').values({ service: row!.service, size: row!.size, root: row!.root, data: row!.data, digest: row!.digest, created_at: row!.createdAt, tree: row!.tree ?? null, base_size: row!.base?.size ?? null, base_digest: row!.base?.digest ?? null }).execute();
        }
      };
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
      const otherEngine = sqliteEngine();
      const other = await otherEngine.open();
      const saved = store;
      try {
        store = other;
        await storeEntries(other, signedLog(keys, 30, LOG_START + 3600).slice(0, thirds[1]));
        await load({ fullReplay: true });
      } finally {
        store = saved;
      }
      const [otherBase] = await listSnapshots(other.db, 'exchange');
      await other.close();
      await otherEngine.cleanup();
      assert.equal(otherBase?.size, base!.size);
      await replant([otherBase, { ...tip!, base: { size: otherBase!.size, digest: otherBase!.digest } }]);
      restarted = await load();
      assert.match(restarted.warnings.join('\n'), /SNAPSHOT_DIGEST_MISMATCH/);
      assert.equal(restarted.replayed, log.length);
      // The base's data edited: its digest tells.
      const edited = JSON.parse(gunzipSync(base!.data).toString('utf8'));
      edited.state.requests.pop();
      await replant([{ ...base!, data: gzipSync(JSON.stringify(edited)) }, tip]);
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
      await store.db.deleteFrom('replay_snapshots').execute();
      await store.db.deleteFrom('log_entries').where('idx', '>=', thirds[0]!).execute();
      await store.db.updateTable('log_sequence').set({ next_idx: thirds[0]! }).where('id', '=', 1).execute();
      await load({ fullReplay: true });
      for (const [i, size] of thirds.slice(1).entries()) {
        await storeEntries(store, log.slice(thirds[i], size));
        await (await load({ wholeAfter: 0 })).sequencer.snapshotNow();
      }
      const chain = await rows();
      assert.deepEqual(chain.map((row) => [row.size, row.base?.size]), [[thirds[1], undefined], [thirds[2], undefined]], 'every snapshot whole, and two chains kept');
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
