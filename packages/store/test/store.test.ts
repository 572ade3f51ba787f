import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { appendEntries, archiveAndPublish, archiveCheckpoint, countEntries, lastEntryOf, listArchivedCheckpoints, openStore, readArchivedCheckpoint, readCheckpoint, readEntries, readEntriesAt, swapCheckpoint, type NewEntry } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

function entry(author: string, authorSeq: number, text = `${author}#${authorSeq}`): NewEntry {
  const bytes = new TextEncoder().encode(JSON.stringify({ author, seq: authorSeq, text }));
  return { bytes, leafHash: createHash('sha256').update(bytes).digest(), author, authorSeq, type: 'request.file', time: 1_700_000_000 + authorSeq };
}

const root = (byte: number) => new Uint8Array(32).fill(byte);

describeOnEachEngine('store', (context) => {
  it('appends a batch and reads the exact bytes back, in order', async () => {
    const batch = [entry('US', 1), entry('US', 2, 'ünïcödé ✓'), entry('RU', 1)];
    const appended = await appendEntries(context.store.db, batch);
    assert.deepEqual(appended, { ok: true, firstIndex: 0, count: 3 });
    const read = await readEntries(context.store.db, 0, 10);
    assert.equal(read.length, 3);
    read.forEach((stored, index) => {
      assert.equal(stored.index, index);
      assert.deepEqual(stored.bytes, batch[index]!.bytes);
      assert.deepEqual(stored.leafHash, new Uint8Array(batch[index]!.leafHash));
      assert.equal(stored.authorSeq, batch[index]!.authorSeq);
      assert.equal(typeof stored.time, 'number');
    });
    assert.equal(await countEntries(context.store.db), 3);
    assert.equal((await lastEntryOf(context.store.db, 'US'))?.authorSeq, 2);
  });

  it('reads the entries at scattered indexes in as few queries as their count allows, leaving out those it does not hold', async () => {
    const batch = Array.from({ length: 1_200 }, (_, n) => entry('TR', n + 1));
    assert.equal((await appendEntries(context.store.db, batch)).ok, true);
    const first = (await countEntries(context.store.db)) - batch.length;
    // More than one query's worth (500), out of order, with a repeat and an index beyond the log.
    const wanted = [first + 1_100, first + 3, first + 3, first + 640, ...Array.from({ length: 600 }, (_, n) => first + 2 * n), first + 5_000];
    const read = await readEntriesAt(context.store.db, wanted);
    assert.deepEqual([...read.keys()].sort((a, b) => a - b), [...new Set(wanted.filter((index) => index < first + batch.length))].sort((a, b) => a - b));
    for (const [index, stored] of read) assert.deepEqual(stored.bytes, batch[index - first]!.bytes);
    assert.equal((await readEntriesAt(context.store.db, [])).size, 0);
  });

  it('rejects a replayed author seq and stores nothing of that batch', async () => {
    const before = await countEntries(context.store.db);
    const result = await appendEntries(context.store.db, [entry('RU', 2), entry('US', 2, 'replay')]);
    assert.deepEqual(result, { ok: false, code: 'AUTHOR_SEQ_TAKEN', author: 'US', authorSeq: 2 });
    assert.equal(await countEntries(context.store.db), before);
    assert.equal((await lastEntryOf(context.store.db, 'RU'))?.authorSeq, 1, 'the good entry of the batch was not stored');
    const duplicateInBatch = await appendEntries(context.store.db, [entry('CH', 1), entry('CH', 1, 'twin')]);
    assert.equal(duplicateInBatch.ok, false);
  });

  it('appends a batch longer than one statement can bind, whole or not at all', async () => {
    // A gateway that was stopped, or started on an empty database, mirrors every entry the log
    // gained meanwhile in one batch: past 4,680 rows of 7 parameters, one statement was refused
    // on SQLite ("too many SQL variables").
    const before = await countEntries(context.store.db);
    const batch = Array.from({ length: 10_000 }, (_, n) => entry('LG', n + 1));
    assert.deepEqual(await appendEntries(context.store.db, batch), { ok: true, firstIndex: before, count: batch.length });
    const read = await readEntriesAt(context.store.db, [before, before + 4_999, before + 5_000, before + 9_999]);
    for (const index of [before, before + 4_999, before + 5_000, before + 9_999]) assert.deepEqual(read.get(index)?.bytes, batch[index - before]!.bytes, `entry ${index}`);
    assert.equal(await countEntries(context.store.db), before + batch.length);
    // A taken seq in the batch's last statement undoes the statements before it.
    const refused = await appendEntries(context.store.db, Array.from({ length: 6_000 }, (_, n) => entry('LH', n + 1)).concat([entry('LG', 10_000, 'replay')]));
    assert.deepEqual(refused, { ok: false, code: 'AUTHOR_SEQ_TAKEN', author: 'LG', authorSeq: 10_000 });
    assert.equal(await countEntries(context.store.db), before + batch.length);
    assert.equal(await lastEntryOf(context.store.db, 'LH'), undefined, 'none of the refused batch was stored');
  });

  it('gives concurrent appends disjoint, gap-free indices', async () => {
    const start = await countEntries(context.store.db);
    const writers = Array.from({ length: 20 }, (_, writer) => appendEntries(context.store.db, [entry(`W${writer}`, 1), entry(`W${writer}`, 2)]));
    const results = await Promise.all(writers);
    const firsts = results.map((result) => (result.ok ? result.firstIndex : -1)).sort((a, b) => a - b);
    assert.deepEqual(firsts, Array.from({ length: 20 }, (_, index) => start + index * 2));
    const read = await readEntries(context.store.db, start, start + 40);
    assert.deepEqual(read.map((stored) => stored.index), Array.from({ length: 40 }, (_, index) => start + index));
    for (const stored of read) {
      const partner = read.find((other) => other.author === stored.author && other.authorSeq !== stored.authorSeq);
      assert.equal(Math.abs(partner!.index - stored.index), 1, 'a batch stays contiguous');
    }
  });

  describe('checkpoint compare-and-swap', () => {
    const origin = 'evenhand/us-ru-2021';
    it('creates the first head only once', async () => {
      const first = { origin, size: 3, root: root(1), note: 'note-3', updatedAt: 1 };
      assert.equal(await swapCheckpoint(context.store.db, 'log_head', undefined, first), true);
      assert.equal(await swapCheckpoint(context.store.db, 'log_head', undefined, { ...first, root: root(2) }), false);
      assert.deepEqual(await readCheckpoint(context.store.db, 'log_head', origin), first);
    });

    it('advances only from the expected head', async () => {
      const next = { origin, size: 5, root: root(5), note: 'note-5', updatedAt: 2 };
      assert.equal(await swapCheckpoint(context.store.db, 'log_head', { size: 3, root: root(9) }, next), false, 'wrong root');
      assert.equal(await swapCheckpoint(context.store.db, 'log_head', { size: 4, root: root(1) }, next), false, 'wrong size');
      assert.equal(await swapCheckpoint(context.store.db, 'log_head', { size: 3, root: root(1) }, next), true);
      assert.equal((await readCheckpoint(context.store.db, 'log_head', origin))?.size, 5);
    });

    it('lets exactly one of two racing writers win', async () => {
      const expected = { size: 5, root: root(5) };
      const racers = [6, 7, 8, 9].map((size) => swapCheckpoint(context.store.db, 'log_head', expected, { origin, size, root: root(size), note: `note-${size}`, updatedAt: 3 }));
      const won = (await Promise.all(racers)).filter(Boolean);
      assert.equal(won.length, 1);
    });

    it('keeps witness state per origin, apart from the log head', async () => {
      assert.equal(await readCheckpoint(context.store.db, 'witness_state', origin), undefined);
      const seen = { origin, size: 2, root: root(2), note: 'cosigned-2', updatedAt: 4 };
      assert.equal(await swapCheckpoint(context.store.db, 'witness_state', undefined, seen), true);
      assert.equal(await swapCheckpoint(context.store.db, 'witness_state', { size: 1, root: root(2) }, { ...seen, size: 3 }), false);
      assert.equal((await readCheckpoint(context.store.db, 'witness_state', origin))?.note, 'cosigned-2');
    });
  });

  it('archives the first publication of each size, and lists a range of sizes in order', async () => {
    assert.equal(await archiveCheckpoint(context.store.db, { size: 300, root: root(3), note: 'first-300', witnessedAt: 1_700_000_300 }), true);
    assert.equal(await archiveCheckpoint(context.store.db, { size: 300, root: root(3), note: 'again-300', witnessedAt: 1_700_000_900 }), false, 'a republication is kept out');
    assert.equal(await archiveCheckpoint(context.store.db, { size: 5, root: root(5), note: 'first-5', witnessedAt: 1_700_000_005 }), true);
    assert.deepEqual(await readArchivedCheckpoint(context.store.db, 300), { size: 300, root: root(3), note: 'first-300', witnessedAt: 1_700_000_300 });
    assert.equal(await readArchivedCheckpoint(context.store.db, 6), undefined);
    assert.deepEqual((await listArchivedCheckpoints(context.store.db, 0, 256, 256)).map((each) => each.size), [5]);
    assert.deepEqual((await listArchivedCheckpoints(context.store.db, 4, 512, 1)).map((each) => each.note), ['first-5'], 'smallest first, at most the limit');
    assert.deepEqual((await listArchivedCheckpoints(context.store.db, 256, 512, 256)).map((each) => each.note), ['first-300']);
  });

  it('archives and publishes a cosigned checkpoint in one transaction; a lost swap keeps the archive row', async () => {
    const origin = 'evenhand/archive-and-publish';
    const published = { origin, size: 7, root: root(7), note: 'cosigned-7', updatedAt: 7 };
    assert.equal(await archiveAndPublish(context.store.db, { size: 7, root: root(7), note: 'cosigned-7', witnessedAt: 1_700_000_007 }, undefined, published), true);
    assert.deepEqual([(await readArchivedCheckpoint(context.store.db, 7))?.note, (await readCheckpoint(context.store.db, 'log_published', origin))?.note], ['cosigned-7', 'cosigned-7']);
    // Another writer published since: the swap from size 6 fails, the archive row of size 8 stays.
    const next = { origin, size: 8, root: root(8), note: 'cosigned-8', updatedAt: 8 };
    assert.equal(await archiveAndPublish(context.store.db, { size: 8, root: root(8), note: 'cosigned-8', witnessedAt: 1_700_000_008 }, { size: 6, root: root(6) }, next), false);
    assert.deepEqual([(await readArchivedCheckpoint(context.store.db, 8))?.note, (await readCheckpoint(context.store.db, 'log_published', origin))?.note], ['cosigned-8', 'cosigned-7']);
  });

  it('keeps everything across a close and a reopen', async () => {
    const count = await countEntries(context.store.db);
    const head = await readCheckpoint(context.store.db, 'log_head', 'evenhand/us-ru-2021');
    await context.store.close();
    context.store = await openStore(context.engine.lastConfig());
    assert.equal(await countEntries(context.store.db), count);
    assert.deepEqual(await readCheckpoint(context.store.db, 'log_head', 'evenhand/us-ru-2021'), head);
  });
});
