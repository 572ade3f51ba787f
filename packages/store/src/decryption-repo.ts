import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * The gateway's own record of every decryption shown to an official (issue 17, "nothing
 * records who decrypted what"): who, when, which case, and which entries' sealed members (or
 * which evidence file). It stays in the state's gateway: it is the state's audit of its own
 * officials, not something the other side or the public reads.
 */
export interface Decryption {
  readonly id: number;
  readonly official: string;
  /** "request", "trade" or "evidence". */
  readonly subjectType: string;
  readonly subjectId: string;
  /** The log indexes whose sealed members were opened; empty for an evidence file. */
  readonly entries: readonly number[];
  readonly at: number;
}

export async function recordDecryption(db: Kysely<Database>, decryption: Omit<Decryption, 'id'>): Promise<void> {
  await db
    .insertInto('gateway_decryptions')
    .values({ official: decryption.official, subject_type: decryption.subjectType, subject_id: decryption.subjectId, entries: JSON.stringify(decryption.entries), at: decryption.at })
    .execute();
}

/**
 * Decryptions newest first, a page of at most `limit` (1 to 200) before the cursor `before`
 * (an id), optionally of one official or one case: served by index, never a scan of the table.
 */
export async function listDecryptions(db: Kysely<Database>, query: { limit: number; before?: number | undefined; official?: string | undefined; subjectId?: string | undefined }): Promise<Decryption[]> {
  let select = db.selectFrom('gateway_decryptions').selectAll();
  if (query.before !== undefined) select = select.where('id', '<', query.before);
  if (query.official !== undefined) select = select.where('official', '=', query.official);
  if (query.subjectId !== undefined) select = select.where('subject_id', '=', query.subjectId);
  const rows = await select.orderBy('id', 'desc').limit(Math.min(200, Math.max(1, query.limit))).execute();
  return rows.map((row) => ({ id: Number(row.id), official: row.official, subjectType: row.subject_type, subjectId: row.subject_id, entries: JSON.parse(row.entries) as number[], at: Number(row.at) }));
}
