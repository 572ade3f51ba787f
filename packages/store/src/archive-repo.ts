import type { Kysely } from 'kysely';
import { swapCheckpoint, type StoredCheckpoint } from './checkpoint-repo.ts';
import type { Database } from './schema.ts';

/** A published checkpoint in the exchange's archive (schema `log_checkpoints`). */
export interface ArchivedCheckpoint {
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  /** When its witnesses' quorum had cosigned it: the latest counted cosignature. */
  readonly witnessedAt: number;
}

function toArchived(row: Database['log_checkpoints']): ArchivedCheckpoint {
  return { size: Number(row.size), root: new Uint8Array(row.root), note: row.note, witnessedAt: Number(row.witnessed_at) };
}

/** Archives the first publication of a size; a republication of the same size is kept out (false). */
export async function archiveCheckpoint(db: Kysely<Database>, checkpoint: ArchivedCheckpoint): Promise<boolean> {
  const result = await db
    .insertInto('log_checkpoints')
    .values({ size: checkpoint.size, root: checkpoint.root, note: checkpoint.note, witnessed_at: checkpoint.witnessedAt })
    .onConflict((conflict) => conflict.column('size').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function readArchivedCheckpoint(db: Kysely<Database>, size: number): Promise<ArchivedCheckpoint | undefined> {
  const row = await db.selectFrom('log_checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
  return row && toArchived(row);
}

/** Archived checkpoints with `from` < size ≤ `to`, smallest first, at most `limit`. */
export async function listArchivedCheckpoints(db: Kysely<Database>, from: number, to: number, limit: number): Promise<ArchivedCheckpoint[]> {
  const rows = await db.selectFrom('log_checkpoints').selectAll().where('size', '>', from).where('size', '<=', to).orderBy('size').limit(limit).execute();
  return rows.map(toArchived);
}

/**
 * What an exchange's publisher writes once its witnesses have cosigned: the checkpoint
 * archived (`archiveCheckpoint`), then published (`swapCheckpoint` of `log_published`, from
 * `expected`), in one transaction. One commit is one sync to disk (synchronous=FULL) where two
 * were, in every round; the two rows become visible together, so whoever reads the published
 * checkpoint and cites it finds its witnessed time (issue 12). As before, a publication that
 * lost its compare-and-swap (false) leaves the archive row: the checkpoint was cosigned.
 */
export async function archiveAndPublish(db: Kysely<Database>, archived: ArchivedCheckpoint, expected: { readonly size: number; readonly root: Uint8Array } | undefined, publication: StoredCheckpoint): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await archiveCheckpoint(trx, archived);
    return swapCheckpoint(trx, 'log_published', expected, publication);
  });
}
