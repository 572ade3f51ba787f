import { archivePageOf, archivePagePath, parseArchivePage } from './checkpoint-archive.ts';
import type { Policy } from './policy.ts';
import { witnessedTime } from './time-rules.ts';
import { verifyCheckpoint } from './verify-checkpoint.ts';

/** A cosigned checkpoint note and its size. */
export interface CheckpointRef {
  readonly size: number;
  readonly note: string;
}

/**
 * The first checkpoint of the log's archive (`checkpoints/<N>` pages) of a size from
 * `minSize` to `size` whose quorum, under `policy`, had cosigned after `after` (Unix seconds).
 * A proof that an obligation went unanswered ends there, so it holds the entries from the
 * filing to shortly after the due date, not to the head (issue 13). It reads the pages from
 * `minSize` on and stops at the first match: a cost bounded by the case's span. A page that
 * is missing or malformed is skipped; a note that does not verify is passed over.
 */
export async function archivedCheckpointAfter(readPage: (path: string) => Promise<Uint8Array | undefined>, policy: Policy, minSize: number, size: number, after: number): Promise<CheckpointRef | undefined> {
  if (minSize > size) return undefined;
  for (let page = archivePageOf(Math.max(1, minSize)); page <= archivePageOf(size); page++) {
    const bytes = await readPage(archivePagePath(page));
    if (!bytes) continue;
    const notes = parseArchivePage(bytes, page);
    if (!notes.ok) continue;
    for (const archived of notes.value) {
      if (archived.size < minSize || archived.size > size) continue;
      const verified = verifyCheckpoint(archived.note, policy, null);
      if (verified.ok && witnessedTime(verified.value) > after) return { size: archived.size, note: archived.note };
    }
  }
  return undefined;
}
