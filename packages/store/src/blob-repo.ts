import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Stores a blob under its hash; storing the same hash again keeps the first copy (content-addressed). */
export async function putBlob(db: Kysely<Database>, blob: { hash: string; bytes: Uint8Array; author: string; createdAt: number }): Promise<void> {
  await db
    .insertInto('blobs')
    .values({ hash: blob.hash, bytes: blob.bytes, author: blob.author, created_at: blob.createdAt })
    .onConflict((conflict) => conflict.column('hash').doNothing())
    .execute();
}

export async function getBlob(db: Kysely<Database>, hash: string): Promise<Uint8Array | undefined> {
  const row = await db.selectFrom('blobs').select('bytes').where('hash', '=', hash).executeTakeFirst();
  return row ? new Uint8Array(row.bytes) : undefined;
}
