import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  addSignatureLines, archivedCheckpointAfter, archivePageOf, archivePagePath, ARCHIVE_PAGE_WIDTH, cosign, EMPTY_ROOT, encodeArchivePage, firstWhere, formatCheckpoint, formatPolicy,
  parsePolicy, signCheckpoint, treatyOrigin, verifierOf, type Policy,
} from '../src/index.ts';
import { logSigner, witnessSigner } from './helpers.ts';

const origin = treatyOrigin('us-ru-2021');
const log = logSigner(origin);
const witness = witnessSigner('CH');
const stranger = witnessSigner('XX');
const parsed = parsePolicy(formatPolicy({ logs: [{ key: verifierOf(log) }], witnesses: [{ name: 'CH', key: verifierOf(witness) }], quorum: 'CH' }));
assert.ok(parsed.ok);
const policy: Policy = parsed.value;

const notes = new Map<string, string>();
/** A checkpoint of `size` cosigned at `time` (by CH, or by a witness the policy does not know), signed once per test run. */
function noteOf(size: number, time: number, cosigner = witness): string {
  const key = `${size}/${time}/${cosigner.name}`;
  let note = notes.get(key);
  if (!note) {
    const signed = signCheckpoint({ origin, size, root: EMPTY_ROOT }, log);
    assert.ok(signed.ok);
    note = addSignatureLines(signed.value, [cosign(formatCheckpoint({ origin, size, root: EMPTY_ROOT }), cosigner, time)]);
    notes.set(key, note);
  }
  return note;
}

/** An archive of checkpoints, each [size, witnessed time], served page by page as the exchange serves `checkpoints/<N>`, counting the reads. */
function archiveOf(checkpoints: readonly (readonly [number, number])[], note = noteOf) {
  const pages = new Map<string, Uint8Array>();
  const byPage = new Map<number, string[]>();
  for (const [size, time] of checkpoints) byPage.set(archivePageOf(size), [...(byPage.get(archivePageOf(size)) ?? []), note(size, time)]);
  for (const [n, list] of byPage) pages.set(archivePagePath(n), encodeArchivePage(list));
  const read: string[] = [];
  return { read, readPage: async (path: string) => (read.push(path), pages.get(path)) };
}

/** The answer of the walk this search replaced: the first checkpoint in the range witnessed after `after`. */
function firstByWalk(checkpoints: readonly (readonly [number, number])[], minSize: number, size: number, after: number): number | undefined {
  return checkpoints.find(([at, time]) => at >= minSize && at <= size && time > after)?.[0];
}

const sizeOf = (ref: { note: string } | undefined) => (ref ? Number(ref.note.split('\n')[1]) : undefined);

describe('the first archived checkpoint witnessed after a due date (issue 13, searched by halves since issue 14)', () => {
  it('firstWhere finds the first n that holds in a false-then-true range, and the end when none does', async () => {
    for (let cut = 0; cut <= 9; cut++) assert.equal(await firstWhere(0, 9, (n) => n >= cut), cut);
    assert.equal(await firstWhere(5, 5, () => true), 5, 'an empty range');
    const asked: number[] = [];
    assert.equal(await firstWhere(0, 1 << 20, (n) => (asked.push(n), n >= 700_001)), 700_001);
    assert.ok(asked.length <= 21, `${asked.length} questions for 2^20`);
  });

  it('reads about log2 of the span in pages, where the walk read them all, and answers what the walk answered', async () => {
    // A checkpoint every 16 entries over 4,000 pages (a log of 1,024,000 entries), one second apart.
    const checkpoints: [number, number][] = [];
    for (let size = 16; size <= 4_000 * ARCHIVE_PAGE_WIDTH; size += 16) checkpoints.push([size, 1_000_000 + size / 16]);
    const archive = archiveOf(checkpoints, (size, time) => (size % 4_096 === 0 || size % ARCHIVE_PAGE_WIDTH >= 224 ? noteOf(size, time) : `${formatCheckpoint({ origin, size, root: EMPTY_ROOT })}\n— ${origin} unverified\n`));
    for (const [minSize, after] of [[1, 1_000_000], [1, 1_030_000], [70_001, 1_050_000], [500_000, 1_063_000]] as const) {
      archive.read.length = 0;
      const found = await archivedCheckpointAfter(archive.readPage, policy, minSize, 4_000 * ARCHIVE_PAGE_WIDTH, after);
      // The pages' first notes do not verify here, so the first that does comes at 224 into a page: the walk's answer among the verified ones.
      const expected = firstByWalk(checkpoints.filter(([size]) => size % 4_096 === 0 || size % ARCHIVE_PAGE_WIDTH >= 224), minSize, 4_000 * ARCHIVE_PAGE_WIDTH, after);
      assert.equal(sizeOf(found), expected, `from ${minSize} after ${after}`);
      assert.ok(archive.read.length <= 14, `${archive.read.length} pages read from ${minSize}, for ${4_000 - archivePageOf(minSize)} pages in the span`);
    }
    archive.read.length = 0;
    assert.equal(await archivedCheckpointAfter(archive.readPage, policy, 1, 4_000 * ARCHIVE_PAGE_WIDTH, 2_000_000), undefined, 'none after the last');
    assert.ok(archive.read.length <= 13);
  });

  it('equals the walk over generated archives whose witnessed times rise with the size', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 20 * ARCHIVE_PAGE_WIDTH }), { minLength: 0, maxLength: 60 }), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 60, maxLength: 60 }), fc.integer({ min: 1, max: 20 * ARCHIVE_PAGE_WIDTH }), fc.integer({ min: 0, max: 20 * ARCHIVE_PAGE_WIDTH }), fc.integer({ min: 0, max: 200 }), async (sizes, steps, minSize, size, after) => {
        // Witnessed times that rise, with ties: a quorum can cosign two checkpoints in one second.
        let time = 0;
        const checkpoints = [...sizes].sort((a, b) => a - b).map((at, i) => [at, (time += steps[i]!)] as const);
        const found = await archivedCheckpointAfter(archiveOf(checkpoints).readPage, policy, minSize, size, after);
        assert.equal(sizeOf(found), firstByWalk(checkpoints, minSize, size, after));
      }),
      { numRuns: 150 },
    );
  });

  it('passes over the notes that do not verify, and answers what the walk over those that do answers', async () => {
    // A forged note last in the page the search stops at: read as "not after", it once sent the search past the answer.
    const page = archiveOf([[1, 10], [2, 20]], (at, time) => noteOf(at, time, at === 2 ? stranger : witness));
    assert.equal(sizeOf(await archivedCheckpointAfter(page.readPage, policy, 1, 2, 5)), 1);
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 8 * ARCHIVE_PAGE_WIDTH }), { minLength: 1, maxLength: 50 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()), { minLength: 50, maxLength: 50 }), fc.integer({ min: 1, max: 8 * ARCHIVE_PAGE_WIDTH }), fc.integer({ min: 0, max: 100 }), async (sizes, steps, minSize, after) => {
        let time = 0;
        const checkpoints = [...sizes].sort((a, b) => a - b).map((at, i) => [at, (time += steps[i]![0])] as const);
        const forged = new Set(checkpoints.filter((_, i) => steps[i]![1]).map(([at]) => at));
        const archive = archiveOf(checkpoints, (at, when) => noteOf(at, when, forged.has(at) ? stranger : witness));
        const found = await archivedCheckpointAfter(archive.readPage, policy, minSize, 8 * ARCHIVE_PAGE_WIDTH, after);
        assert.equal(sizeOf(found), firstByWalk(checkpoints.filter(([at]) => !forged.has(at)), minSize, 8 * ARCHIVE_PAGE_WIDTH, after));
      }),
      { numRuns: 150 },
    );
  });

  it('reads few pages of a busy log, whose checkpoints are many pages apart', async () => {
    // A checkpoint every 5,000 entries (a batch of a busy second), 20 pages apart, over 4,000 pages.
    const checkpoints: [number, number][] = [];
    for (let size = 5_000; size <= 4_000 * ARCHIVE_PAGE_WIDTH; size += 5_000) checkpoints.push([size, 2_000 + size / 5_000]);
    const archive = archiveOf(checkpoints);
    for (const after of [2_000, 2_050, 2_150, 2_204]) {
      archive.read.length = 0;
      const found = await archivedCheckpointAfter(archive.readPage, policy, 1, 4_000 * ARCHIVE_PAGE_WIDTH, after);
      assert.equal(sizeOf(found), firstByWalk(checkpoints, 1, 4_000 * ARCHIVE_PAGE_WIDTH, after));
      // Each of about log2(4,000) questions reads up to the next checkpoint, at most 20 pages on: the walk read up to 4,000.
      assert.ok(archive.read.length <= 13 * 21, `${archive.read.length} pages read, after ${after}`);
    }
  });

  it('answers only a note that verifies, in the range and witnessed after the date, whatever order an exchange puts the times in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: 8 * ARCHIVE_PAGE_WIDTH }), { minLength: 1, maxLength: 40 }), fc.array(fc.tuple(fc.integer({ min: 0, max: 100 }), fc.boolean()), { minLength: 40, maxLength: 40 }), fc.integer({ min: 1, max: 8 * ARCHIVE_PAGE_WIDTH }), fc.integer({ min: 0, max: 100 }), async (sizes, times, minSize, after) => {
        const size = 8 * ARCHIVE_PAGE_WIDTH;
        const checkpoints = [...sizes].sort((a, b) => a - b).map((at, i) => [at, times[i]![0]] as const);
        // Some notes are cosigned by a witness outside the policy: an exchange's forgeries.
        const forged = new Set(sizes.filter((_, i) => times[i]![1]));
        const archive = archiveOf(checkpoints, (at, time) => noteOf(at, time, forged.has(at) ? stranger : witness));
        const found = await archivedCheckpointAfter(archive.readPage, policy, minSize, size, after);
        if (!found) return;
        const at = sizeOf(found)!;
        assert.ok(at >= minSize && at <= size, `size ${at} in ${minSize}..${size}`);
        assert.ok(!forged.has(at), `the forged note at ${at} was answered`);
        assert.ok(checkpoints.some(([s, time]) => s === at && time > after), `the note at ${at} was witnessed after ${after}`);
      }),
      { numRuns: 150 },
    );
  });

  it('passes over a page that is missing or malformed', async () => {
    const checkpoints: [number, number][] = [[100, 10], [300, 20], [600, 30], [900, 40]];
    const archive = archiveOf(checkpoints);
    const broken = async (path: string) => (path === archivePagePath(archivePageOf(600)) ? new TextEncoder().encode('{') : path === archivePagePath(archivePageOf(300)) ? undefined : archive.readPage(path));
    assert.equal(sizeOf(await archivedCheckpointAfter(broken, policy, 1, 1_000, 15)), 900);
    assert.equal(sizeOf(await archivedCheckpointAfter(archive.readPage, policy, 1, 1_000, 15)), 300);
    assert.equal(await archivedCheckpointAfter(archive.readPage, policy, 901, 900, 0), undefined, 'an empty range');
  });
});
