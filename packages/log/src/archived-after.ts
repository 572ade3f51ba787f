import { firstPassing } from '@evenhand/core';
import { archivePageOf, archivePagePath, parseArchivePage, type ArchivedNote } from './checkpoint-archive.ts';
import type { Policy } from './policy.ts';
import { witnessedTime } from './time-rules.ts';
import { verifyCheckpoint } from './verify-checkpoint.ts';

/** A cosigned checkpoint note and its size. */
export interface CheckpointRef {
  readonly size: number;
  readonly note: string;
}

/**
 * The least n from `low` to `high` − 1 for which `holds(n)`, or `high` if none, for a `holds`
 * that is false and then true along the range: a binary search, ⌈log2(high − low)⌉ + 1 questions
 * at most. For a `holds` that is not (an archive whose witnessed times go back), it answers
 * some n where `holds(n)`, or `high`; never one where it does not hold. The questions it awaits
 * read pages or rows; core's `firstPassing` is the same search for questions answered at once.
 */
export async function firstWhere(low: number, high: number, holds: (n: number) => boolean | Promise<boolean>): Promise<number> {
  while (low < high) {
    const middle = low + Math.floor((high - low) / 2);
    if (await holds(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

/**
 * The first checkpoint of the log's archive (`checkpoints/<N>` pages) of a size from
 * `minSize` to `size` whose quorum, under `policy`, had cosigned after `after` (Unix seconds).
 * A proof that an obligation went unanswered ends there, so it holds the entries from the
 * filing to shortly after the due date, not to the head (issue 13).
 *
 * Witnesses cosign a log's checkpoints in the order of their sizes, so the witnessed times
 * rise with the size, and the pages are searched by halves (issue 14: a case open for months
 * spans many thousands of pages, which the walk this replaced read and verified in full). A
 * question about page n reads the last note that verifies of the first page from n on that has
 * one: a page covers 256 entries, and a busy log checkpoints a batch of many pages at once, so
 * most pages are empty. So about log2 of the span in questions, each reading the pages up to
 * the next checkpoint, and then the notes of one page by halves again. A page that is missing
 * or malformed counts as empty, and a note that does not verify as absent. What is kept between
 * questions is a time per page read, never its notes.
 *
 * Every note answered verified under `policy` and was witnessed after `after`, whatever order
 * the archive's times are in. An exchange that serves them out of order, or empty pages, can
 * make the search read more (at most every page of the span, once) or the range longer, or
 * find none: never a proof its quorum did not sign. A quorum of k of n witnesses whose clocks
 * differ can cosign a later checkpoint a second "earlier" than the one before: the answer is
 * then a checkpoint after the due date, maybe not the very first.
 */
export async function archivedCheckpointAfter(readPage: (path: string) => Promise<Uint8Array | undefined>, policy: Policy, minSize: number, size: number, after: number): Promise<CheckpointRef | undefined> {
  if (minSize > size) return undefined;
  const firstPage = archivePageOf(Math.max(1, minSize));
  const lastPage = archivePageOf(size);
  const notesOf = async (page: number): Promise<readonly ArchivedNote[]> => {
    const bytes = await readPage(archivePagePath(page));
    const parsed = bytes ? parseArchivePage(bytes, page) : undefined;
    return parsed?.ok ? parsed.value.filter((archived) => archived.size >= minSize && archived.size <= size) : [];
  };
  /** The note's witnessed time if it verifies under `policy`. */
  const witnessedAt = (archived: ArchivedNote): number | undefined => {
    const verified = verifyCheckpoint(archived.note, policy, null);
    return verified.ok ? witnessedTime(verified.value) : undefined;
  };
  /** Per page read: the witnessed time of its last note that verifies, or null when none does. */
  const latest = new Map<number, number | null>();
  /** The witnessed time of the last note that verifies in the first page from `page` on that has one; undefined past the last. */
  const latestFrom = async (page: number): Promise<number | undefined> => {
    for (let n = page; n <= lastPage; n++) {
      let time = latest.get(n);
      if (time === undefined) {
        const notes = await notesOf(n);
        time = null;
        for (let i = notes.length - 1; i >= 0 && time === null; i--) time = witnessedAt(notes[i]!) ?? null;
        latest.set(n, time);
      }
      if (time !== null) return time;
    }
    return undefined;
  };
  const from = await firstWhere(firstPage, lastPage + 1, async (page) => ((await latestFrom(page)) ?? Infinity) > after);
  for (let page = from; page <= lastPage; page++) {
    const found = firstInPage(await notesOf(page), witnessedAt, after);
    // Found in the first page with a note that verifies, unless the archive's times go back: then on, as the walk went.
    if (found) return { size: found.size, note: found.note };
  }
  return undefined;
}

/** The first of a page's notes that verifies and was witnessed after `after`, by halves: each note verified at most once. */
function firstInPage(notes: readonly ArchivedNote[], witnessedAt: (archived: ArchivedNote) => number | undefined, after: number): ArchivedNote | undefined {
  const times = new Map<number, number | undefined>();
  const timeAt = (i: number) => {
    if (!times.has(i)) times.set(i, witnessedAt(notes[i]!));
    return times.get(i);
  };
  /** The place of the first note from `i` on that verifies, or undefined. */
  const verifiedFrom = (i: number): number | undefined => {
    for (let j = i; j < notes.length; j++) if (timeAt(j) !== undefined) return j;
    return undefined;
  };
  // False then true along the page, as the notes that verify are in order of time; a note that does not verify is passed over.
  const at = verifiedFrom(firstPassing(notes.length, (i) => {
    const j = verifiedFrom(i);
    return j === undefined || timeAt(j)! > after;
  }));
  return at !== undefined && timeAt(at)! > after ? notes[at] : undefined;
}
