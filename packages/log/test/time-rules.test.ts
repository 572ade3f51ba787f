import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { err, ok, type Result } from '@evenhand/core';
import { archivePageOf, archivePagePath, encodeArchivePage, EntryTimes, logError, makeSigner, signCheckpoint, WitnessedTimeline, type Entry, type LogError } from '../src/index.ts';

const SKEW = 300;

/** Only `time` and `seen.size` matter to the time rules. */
function entry(time: number, seenSize = 0): Entry {
  return { time, seen: { size: seenSize, root: '' } } as unknown as Entry;
}

function codeOf(result: Result<unknown, LogError>): string {
  return result.ok ? 'OK' : result.error.code;
}

test('rule 3: entry times go back at most the skew, across the whole log', () => {
  const times = new EntryTimes();
  for (const [index, time] of [1000, 2000, 1700, 1950].entries()) {
    assert.equal(codeOf(times.check(entry(time), index, { skewSeconds: SKEW, seenWitnessedAt: undefined })), 'OK', `entry ${index}`);
    times.record(entry(time), index);
  }
  // The latest time so far is 2000 (entry 1): 1699 is 301 s before it.
  const back = times.check(entry(1699), 4, { skewSeconds: SKEW, seenWitnessedAt: undefined });
  assert.equal(codeOf(back), 'ENTRY_TIME_BACKWARDS');
  assert.match(back.ok ? '' : back.error.message, /301 s before entry 1/);
});

test('rule 1: not earlier than the witnessed time of the checkpoint seen, less the skew; an unarchived one is refused', () => {
  const times = new EntryTimes();
  const at = (time: number, witnessed: number | undefined | 'unchecked', seen = 5) => codeOf(times.check(entry(time, seen), 9, { skewSeconds: SKEW, seenWitnessedAt: witnessed }));
  assert.equal(at(10_000, 10_300), 'OK');
  assert.equal(at(10_000, 10_301), 'ENTRY_TIME_BEFORE_SEEN');
  assert.equal(at(10_000, undefined), 'CHECKPOINT_UNARCHIVED');
  assert.equal(at(10_000, undefined, 0), 'OK', 'an author that has seen nothing has no lower bound');
  assert.equal(at(10_000, 'unchecked'), 'OK', 'a replay of entries checked before');
});

test('rule 2: not later than the first checkpoint covering the entry, plus the skew', () => {
  const times = new EntryTimes();
  times.record(entry(5000), 0);
  times.record(entry(5400), 1);
  times.record(entry(5200), 2);
  const late = times.cover(3, 5099, SKEW);
  assert.equal(codeOf(late), 'ENTRY_TIME_AFTER_WITNESSED');
  assert.match(late.ok ? '' : late.error.message, /^entry 1: /);
  // Covered: a later checkpoint judges only the entries after it.
  times.record(entry(6000), 3);
  assert.equal(codeOf(times.cover(4, 5700, SKEW)), 'OK');
  assert.equal(codeOf(times.cover(4, 0, SKEW)), 'OK', 'nothing left uncovered');
});

test('rule 3 as a law: a sequence passes exactly up to its first entry more than the skew before the latest', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 60 }), (sequence) => {
      const times = new EntryTimes();
      let latest = -Infinity;
      for (const [index, time] of sequence.entries()) {
        const expected = time < latest - SKEW ? 'ENTRY_TIME_BACKWARDS' : 'OK';
        assert.equal(codeOf(times.check(entry(time), index, { skewSeconds: SKEW, seenWitnessedAt: 'unchecked' })), expected);
        if (expected !== 'OK') return;
        times.record(entry(time), index);
        latest = Math.max(latest, time);
      }
    }),
    { numRuns: 200 },
  );
});

const logKey = makeSigner('evenhand/test', new Uint8Array(32).fill(7));

function note(size: number): string {
  const signed = signCheckpoint({ origin: 'evenhand/test', size, root: new Uint8Array(32).fill(size % 256) }, logKey);
  if (!signed.ok) throw new Error(signed.error.message);
  return signed.value;
}

test('archive pages: the sizes of their range, each once, smallest first', async () => {
  assert.equal(archivePageOf(1), 0);
  assert.equal(archivePageOf(256), 0);
  assert.equal(archivePageOf(257), 1);
  assert.equal(archivePagePath(1234), 'checkpoints/x001/234');
  const pages = new Map<string, Uint8Array>([
    [archivePagePath(0), encodeArchivePage([note(5), note(256)])],
    [archivePagePath(1), encodeArchivePage([note(300), note(290)])],
    [archivePagePath(2), encodeArchivePage([note(5)])],
    [archivePagePath(3), new TextEncoder().encode('{"not":"an array"}')],
  ]);
  const fetched: string[] = [];
  const timeline = new WitnessedTimeline(async (path) => {
    fetched.push(path);
    return pages.get(path);
  }, (text, size) => (text === note(size) ? ok(size * 10) : err(logError('ROOT_MISMATCH', 'not the note of that size'))));
  assert.deepEqual(await timeline.witnessedAt(5), ok(50));
  assert.deepEqual(await timeline.witnessedAt(256), ok(2560));
  assert.deepEqual(await timeline.witnessedAt(6), ok(undefined), 'a size the archive lacks');
  assert.deepEqual(fetched, [archivePagePath(0)], 'one read of the page for every size in it');
  assert.equal(codeOf(await timeline.witnessedAt(300)), 'ARCHIVE_MALFORMED', 'sizes out of order');
  assert.equal(codeOf(await timeline.witnessedAt(520)), 'ARCHIVE_MALFORMED', 'a size outside its page');
  assert.equal(codeOf(await timeline.witnessedAt(800)), 'ARCHIVE_MALFORMED', 'not an array');
  assert.deepEqual(await timeline.witnessedAt(1100), ok(undefined), 'a page the source does not have');
  assert.deepEqual(await timeline.witnessedAt(0), ok(undefined), 'size 0 is the empty tree');
});

test('an archived note the caller does not believe fails with the size it was cited for', async () => {
  const timeline = new WitnessedTimeline(async () => encodeArchivePage([note(5)]), () => err(logError('CHECKPOINT_QUORUM_NOT_MET', 'one witness only')));
  const result = await timeline.witnessedAt(5);
  assert.equal(codeOf(result), 'CHECKPOINT_QUORUM_NOT_MET');
  assert.match(result.ok ? '' : result.error.message, /archived checkpoint of size 5: one witness only/);
});
