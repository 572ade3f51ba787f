import type { Kysely } from 'kysely';
import { firstWhere, type CheckpointRef } from '@evenhand/log';
import { listArchivedCheckpoints, type ArchivedCheckpoint, type Database } from '@evenhand/store';

/**
 * The first checkpoint of the exchange's archive of a size from `minSize` to `size` whose quorum
 * cosigned after `due`: where a proof that an obligation went unanswered ends (issue 13). The
 * witnessed times rise with the size (log archived-after.ts), so the sizes are searched by
 * halves, each question one seek by the archive's key: about log2 of the range from the filing
 * to the head in queries, whatever the number of checkpoints in it (issue 14). The walk this
 * replaced read every checkpoint of the range, and under load one is published a second.
 */
export async function archivedAfterDue(db: Kysely<Database>, minSize: number, size: number, due: number): Promise<CheckpointRef | undefined> {
  const asked = new Map<number, ArchivedCheckpoint | undefined>();
  /** The archived checkpoint of the least size from `from` to `size`, if any. */
  const archivedFrom = async (from: number) => {
    if (!asked.has(from)) asked.set(from, (await listArchivedCheckpoints(db, from - 1, size, 1))[0]);
    return asked.get(from);
  };
  // None archived from n on holds too: the answer, if any, is before n.
  const from = await firstWhere(minSize, size + 1, async (n) => ((await archivedFrom(n))?.witnessedAt ?? Infinity) > due);
  const found = from > size ? undefined : await archivedFrom(from);
  return found && found.witnessedAt > due ? { size: found.size, note: found.note } : undefined;
}
