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
 * some n where `holds(n)`, or `high`; never one where it does not hold.
 */
export async function firstWhere(low: number, high: number, holds: (n: number) => boolean | Promise<boolean>): Promise<number> {
  let found = high;
  while (low < high) {
    const middle = low + Math.floor((high - low) / 2);
    if (await holds(middle)) {
      found = middle;
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return found;
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
 * or malformed counts as empty, and a note that does not verify as absent. Every note answered
 * verified under `policy` and was witnessed after `after`, whatever order the archive's times
 * are in: an exchange that serves them out of order, or empty pages, can make the search read
 * more (never more than the walk did) or the range longer, never a proof its quorum did not sign.
 */
export async function archivedCheckpointAfter(readPage: (path: string) => Promise<Uint8Array | undefined>, policy: Policy, minSize: number, size: number, after: number): Promise<CheckpointRef | undefined> {
  if (minSize > size) return undefined;
  const firstPage = archivePageOf(Math.max(1, minSize));
  const lastPage = archivePageOf(size);
  const pages = new Map<number, readonly ArchivedNote[]>();
  const notesOf = async (page: number): Promise<readonly ArchivedNote[]> => {
    let notes = pages.get(page);
    if (!notes) {
      const bytes = await readPage(archivePagePath(page));
      const parsed = bytes ? parseArchivePage(bytes, page) : undefined;
      notes = parsed?.ok ? parsed.value.filter((archived) => archived.size >= minSize && archived.size <= size) : [];
      pages.set(page, notes);
    }
    return notes;
  };
  const times = new Map<number, number | undefined>();
  /** The note's witnessed time if it verifies under `policy`; each note is verified once. */
  const witnessedAt = (archived: ArchivedNote): number | undefined => {
    if (!times.has(archived.size)) {
      const verified = verifyCheckpoint(archived.note, policy, null);
      times.set(archived.size, verified.ok ? witnessedTime(verified.value) : undefined);
    }
    return times.get(archived.size);
  };
  /** The witnessed time of the last note that verifies in the first page from `page` on that has one; undefined past the last. */
  const latestFrom = async (page: number): Promise<number | undefined> => {
    for (let n = page; n <= lastPage; n++) {
      const notes = await notesOf(n);
      for (let i = notes.length - 1; i >= 0; i--) {
        const time = witnessedAt(notes[i]!);
        if (time !== undefined) return time;
      }
    }
    return undefined;
  };
  const from = await firstWhere(firstPage, lastPage + 1, async (page) => ((await latestFrom(page)) ?? Infinity) > after);
  for (let page = from; page <= lastPage; page++) {
    const notes = await notesOf(page);
    const found = notes[await firstWhere(0, notes.length, (i) => (witnessedAt(notes[i]!) ?? -Infinity) > after)];
    // Found in the first page with a note unless the archive's times go back: then on, as the walk did.
    if (found) return { size: found.size, note: found.note };
  }
  return undefined;
}
