import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** A signed checkpoint as stored: the tree it commits to and the signed note itself. */
export interface StoredCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly root: Uint8Array;
  readonly note: string;
  readonly updatedAt: number;
}

/** The log operator's signed head, its last published (cosigned) checkpoint, or a witness's latest per origin. */
export type CheckpointTable = 'log_head' | 'log_published' | 'witness_state';

export async function readCheckpoint(db: Kysely<Database>, table: CheckpointTable, origin: string): Promise<StoredCheckpoint | undefined> {
  const row = await db.selectFrom(table).selectAll().where('origin', '=', origin).executeTakeFirst();
  if (!row) return undefined;
  // A note is text; anything else in the column (an edited row holding a blob) is a note that verifies nothing, never a crash at start.
  return { origin: row.origin, size: Number(row.size), root: new Uint8Array(row.root), note: typeof row.note === 'string' ? row.note : '', updatedAt: Number(row.updated_at) };
}

/**
 * Replaces the stored checkpoint only if it is still `expected` (or absent when `expected`
 * is undefined), in one statement, so the check and the write cannot be split by another
 * writer or by a crash. The fork guard of DESIGN.md "The log" and the witness's no-rollback
 * rule (C2SP tlog-witness) both rest on this. Returns false when someone else moved first.
 */
export async function swapCheckpoint(
  db: Kysely<Database>,
  table: CheckpointTable,
  expected: { readonly size: number; readonly root: Uint8Array } | undefined,
  next: StoredCheckpoint,
): Promise<boolean> {
  const values = { origin: next.origin, size: next.size, root: next.root, note: next.note, updated_at: next.updatedAt };
  if (expected === undefined) {
    const inserted = await db.insertInto(table).values(values).onConflict((conflict) => conflict.column('origin').doNothing()).executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }
  const updated = await db
    .updateTable(table)
    .set({ size: next.size, root: next.root, note: next.note, updated_at: next.updatedAt })
    .where('origin', '=', next.origin)
    .where('size', '=', expected.size)
    .where('root', '=', expected.root)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}
