import { err, ok, type Result } from '@evenhand/core';
import { parseCheckpoint } from './checkpoint.ts';
import { logError, type LogError } from './errors.ts';
import { encodeTileIndex } from './tiles.ts';

/**
 * The log's checkpoint archive (issue 12): every checkpoint the exchange published, the first
 * time it published each size, with its cosignatures. Served like tiles, in pages of sizes:
 * `checkpoints/<N>` (N in tlog-tiles' 3-digit groups) holds, as a JSON array of note texts
 * smallest first, the archived checkpoints of sizes N·256+1 to (N+1)·256 — the sizes whose
 * last entry is in entry bundle N. A verifier reads the page beside the bundle it replays, so
 * what it holds stays bounded by a page, whatever the log's size.
 */
export const ARCHIVE_PAGE_WIDTH = 256;

export function archivePageOf(size: number): number {
  return Math.floor((size - 1) / ARCHIVE_PAGE_WIDTH);
}

export function archivePagePath(n: number): string {
  return `checkpoints/${encodeTileIndex(n)}`;
}

export interface ArchivedNote {
  readonly size: number;
  readonly note: string;
}

export function encodeArchivePage(notes: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(notes));
}

/** A page's notes with their sizes: each must be in the page's range, sizes strictly increasing. */
export function parseArchivePage(bytes: Uint8Array, n: number): Result<ArchivedNote[], LogError> {
  const where = archivePagePath(n);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return err(logError('ARCHIVE_MALFORMED', `${where}: not a JSON array of checkpoint notes`));
  }
  if (!Array.isArray(value) || value.length > ARCHIVE_PAGE_WIDTH) return err(logError('ARCHIVE_MALFORMED', `${where}: expected a JSON array of at most ${ARCHIVE_PAGE_WIDTH} checkpoint notes`));
  const notes: ArchivedNote[] = [];
  for (const [i, note] of value.entries()) {
    if (typeof note !== 'string') return err(logError('ARCHIVE_MALFORMED', `${where}[${i}]: expected a checkpoint note (a string)`));
    const checkpoint = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
    if (!checkpoint.ok) return err(logError('ARCHIVE_MALFORMED', `${where}[${i}]: ${checkpoint.error.message}`));
    const { size } = checkpoint.value;
    if (size <= n * ARCHIVE_PAGE_WIDTH || size > (n + 1) * ARCHIVE_PAGE_WIDTH) {
      return err(logError('ARCHIVE_MALFORMED', `${where}[${i}]: a checkpoint of size ${size} does not belong in the page of sizes ${n * ARCHIVE_PAGE_WIDTH + 1} to ${(n + 1) * ARCHIVE_PAGE_WIDTH}`));
    }
    const before = notes.at(-1);
    if (before && size <= before.size) return err(logError('ARCHIVE_MALFORMED', `${where}[${i}]: size ${size} after size ${before.size}; an archive page lists each size once, smallest first`));
    notes.push({ size, note });
  }
  return ok(notes);
}

/** Checks an archived note of `size` (signature, quorum, root) and answers its witnessed time. */
export type ArchivedCheck = (note: string, size: number) => Result<number, LogError>;

/** Witnessed times kept between lookups: authors cite the few most recent checkpoints. */
const KEEP_TIMES = 4096;

/** Pages kept: the one beside the bundle being replayed, and a few an old `seen` sent us back to. */
const KEEP_PAGES = 4;

/**
 * The witnessed times of a log's archived checkpoints, read page by page as a replay reaches
 * them. Each note is checked by the caller's `check` (which knows the treaty in force at
 * that size and the tree's root there) before its time is believed. Memory: a few pages and
 * a bounded map of times.
 */
export class WitnessedTimeline {
  private readonly times = new Map<number, number>();
  /** The last few pages read, by page number: each its notes by size. */
  private readonly pages = new Map<number, Map<number, string>>();
  /** Notes up to this size are checked as soon as their page is read (`checkEveryNoteUpTo`). */
  private everyNoteUpTo = 0;

  constructor(
    private readonly fetchPage: (path: string) => Promise<Uint8Array | undefined>,
    private readonly check: ArchivedCheck,
  ) {}

  /**
   * Has every note of size up to `size` checked as soon as its page is read. A replay that
   * went on from a kept one at `size` (verify's kept replay) looks up only the sizes after it,
   * and the few its entries' `seen` name; a full replay looks up every size, and so checks
   * every note of each page it reads. With this, a page read either way is checked whole.
   */
  checkEveryNoteUpTo(size: number): void {
    this.everyNoteUpTo = size;
  }

  /** Drops the pages held: the archive's last page grows, so a new replay reads it again. */
  forgetPages(): void {
    this.pages.clear();
  }

  private async notesOf(n: number): Promise<Result<Map<number, string>, LogError>> {
    const held = this.pages.get(n);
    if (held) return ok(held);
    const bytes = await this.fetchPage(archivePagePath(n));
    const notes = bytes ? parseArchivePage(bytes, n) : ok([]);
    if (!notes.ok) return notes;
    for (const { size, note } of notes.value) {
      if (size > this.everyNoteUpTo || this.times.has(size)) continue;
      const checked = this.check(note, size);
      if (!checked.ok) return err(logError(checked.error.code, `the archived checkpoint of size ${size}: ${checked.error.message}`));
      this.remember(size, checked.value);
    }
    const bySize = new Map(notes.value.map((each) => [each.size, each.note]));
    this.pages.set(n, bySize);
    while (this.pages.size > KEEP_PAGES) this.pages.delete(this.pages.keys().next().value as number);
    return ok(bySize);
  }

  private remember(size: number, time: number): void {
    this.times.delete(size);
    this.times.set(size, time);
    while (this.times.size > KEEP_TIMES) this.times.delete(this.times.keys().next().value as number);
  }

  private async timeOf(size: number): Promise<Result<number | undefined, LogError>> {
    if (size <= 0) return ok(undefined);
    const known = this.times.get(size);
    if (known !== undefined) return ok(known);
    const notes = await this.notesOf(archivePageOf(size));
    if (!notes.ok) return notes;
    const archived = notes.value.get(size);
    if (archived === undefined) return ok(undefined);
    const checked = this.check(archived, size);
    if (!checked.ok) return err(logError(checked.error.code, `the archived checkpoint of size ${size}: ${checked.error.message}`));
    this.remember(size, checked.value);
    return ok(checked.value);
  }

  /**
   * The witnessed time of the archived checkpoint of `size` (> 0), or undefined when the
   * archive has none of that size. Asked for an entry's `seen` (rule 1), and after each entry
   * with the replayed tree's size (rule 2: the first checkpoint covering the entries so far).
   * A size beyond `within` (the tree replayed so far) is not looked up: the entry's own checks
   * refuse a `seen` the log has not reached.
   */
  witnessedAt(size: number, within = Number.MAX_SAFE_INTEGER): Promise<Result<number | undefined, LogError>> {
    return size > within ? Promise.resolve(ok(undefined)) : this.timeOf(size);
  }

  /** Whether the witnessed time of `size` is held, so that looking it up reads no page. */
  knows(size: number): boolean {
    return size <= 0 || this.times.has(size);
  }

  /** Records a witnessed time learnt otherwise (the checkpoint being verified, a witness's own cosignature). */
  learn(size: number, time: number): void {
    this.remember(size, time);
  }
}
