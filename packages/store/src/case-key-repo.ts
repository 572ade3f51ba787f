import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';
import type { Store } from './create-db.ts';

/**
 * A gateway's case keys (issue 17, docs/erasure.md). Each request's sealed members are
 * encrypted under a key of its own; the gateway keeps that key here, sealed under a local key
 * held in its key file, so that the database alone reveals nothing. Erasing a case clears the
 * sealed key in place (a tombstone keeps the row, so that the case reads as erased) with
 * SQLite's secure_delete, which overwrites freed content with zeros
 * (sqlite.org/pragma.html#pragma_secure_delete), then checkpoints and truncates the WAL, whose
 * frames would otherwise still hold the old page.
 */
export interface CaseKeyRow {
  readonly request: string;
  readonly sealedKey: string | null;
  readonly wrapKid: string;
  readonly filedIndex: number;
  readonly eraseAfter: number | null;
  readonly erasedAt: number | null;
}

function row(value: Database['gateway_case_keys']): CaseKeyRow {
  return { request: value.request, sealedKey: value.sealed_key, wrapKid: value.wrap_kid, filedIndex: Number(value.filed_index), eraseAfter: value.erase_after === null ? null : Number(value.erase_after), erasedAt: value.erased_at === null ? null : Number(value.erased_at) };
}

/**
 * The wrap key id of a case key reserved before its filing (an attachment uploaded for a
 * request not filed yet): the filing then wraps that key, and its row becomes an ordinary one.
 */
export const RESERVED_WRAP = 'reserved';

/**
 * Stores a case key once: a filing mirrored again (after a restart) keeps the first row. A row
 * reserved before the filing takes the filing's wrap and index (the key is the same: the filing
 * wrapped the reserved key, or another party filed that id and its key replaces the reservation).
 */
async function putCaseKey(db: Kysely<Database>, value: CaseKeyPut): Promise<void> {
  await db
    .insertInto('gateway_case_keys')
    .values({ request: value.request, sealed_key: value.sealedKey, wrap_kid: value.wrapKid, filed_index: value.filedIndex, erase_after: null, erased_at: null })
    .onConflict((conflict) => conflict.column('request').doUpdateSet({ sealed_key: value.sealedKey, wrap_kid: value.wrapKid, filed_index: value.filedIndex }).where('gateway_case_keys.wrap_kid', '=', RESERVED_WRAP))
    .execute();
}

export interface CaseKeyPut {
  readonly request: string;
  readonly sealedKey: string;
  readonly wrapKid: string;
  readonly filedIndex: number;
}

/** `putCaseKey` for each of `values`, in one transaction: one durable commit for a batch of filings. */
export async function putCaseKeys(db: Kysely<Database>, values: readonly CaseKeyPut[]): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const value of values) await putCaseKey(trx, value);
  });
}

/** Reserves a case key for a request not filed yet; an existing row (reserved or filed) stays as it is. */
export async function reserveCaseKey(db: Kysely<Database>, request: string, sealedKey: string): Promise<void> {
  await db
    .insertInto('gateway_case_keys')
    .values({ request, sealed_key: sealedKey, wrap_kid: RESERVED_WRAP, filed_index: -1, erase_after: null, erased_at: null })
    .onConflict((conflict) => conflict.column('request').doNothing())
    .execute();
}

export async function findCaseKey(db: Kysely<Database>, request: string): Promise<CaseKeyRow | undefined> {
  const found = await db.selectFrom('gateway_case_keys').selectAll().where('request', '=', request).executeTakeFirst();
  return found && row(found);
}

/** Sets (or clears, with null) the instant from which a case key is due for erasure. */
export async function scheduleErasure(db: Kysely<Database>, request: string, eraseAfter: number | null): Promise<void> {
  await db.updateTable('gateway_case_keys').set({ erase_after: eraseAfter }).where('request', '=', request).execute();
}

/** The case keys due at `now`, soonest first, at most `limit`: read from the index on erase_after, never a scan. */
export async function dueCaseKeys(db: Kysely<Database>, now: number, limit: number): Promise<CaseKeyRow[]> {
  const rows = await db.selectFrom('gateway_case_keys').selectAll().where('erase_after', '<=', now).orderBy('erase_after').limit(limit).execute();
  return rows.map(row);
}

/**
 * Destroys a case key and the gateway's own plaintext copies of the case: the draft it was
 * filed from and the bodies of its decision proposals (sealed members in plaintext). In one
 * transaction, so that a crash leaves either all of them or none. On SQLite, secure_delete
 * zeroes the freed bytes and the WAL is then truncated; on PostgreSQL the old row versions stay
 * in the heap until VACUUM and in WAL archives and backups (docs/erasure.md says what that means).
 */
export async function destroyCaseKey(store: Store, request: string, filedIndex: number, at: number): Promise<void> {
  const { db } = store;
  if (store.engine === 'sqlite') await sql`PRAGMA secure_delete = ON`.execute(db);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('gateway_case_keys').set({ sealed_key: null, erased_at: at }).where('request', '=', request).execute();
    await trx.deleteFrom('gateway_drafts').where('filed_index', '=', filedIndex).execute();
    await trx.updateTable('gateway_proposals').set({ body: '{}' }).where('request', '=', request).where('kind', 'like', 'request.%').execute();
  });
  // TRUNCATE: copy the WAL into the database file (whose freed bytes are zero) and empty it.
  if (store.engine === 'sqlite') await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
}
