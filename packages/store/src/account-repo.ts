import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Account {
  readonly username: string;
  readonly party: string;
  readonly role: string;
  readonly passwordHash: string;
  readonly createdAt: number;
}

export interface Session {
  readonly idHash: string;
  readonly username: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
}

/** Creates an account; false when the username is taken. */
export async function createAccount(db: Kysely<Database>, account: Account): Promise<boolean> {
  const result = await db
    .insertInto('accounts')
    .values({ username: account.username, party: account.party, role: account.role, password_hash: account.passwordHash, created_at: account.createdAt })
    .onConflict((conflict) => conflict.column('username').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findAccount(db: Kysely<Database>, username: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  return row && { username: row.username, party: row.party, role: row.role, passwordHash: row.password_hash, createdAt: Number(row.created_at) };
}

export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('username').execute();
  return rows.map((row) => ({ username: row.username, party: row.party, role: row.role, passwordHash: row.password_hash, createdAt: Number(row.created_at) }));
}

export async function createSession(db: Kysely<Database>, session: Session): Promise<void> {
  await db.insertInto('sessions').values({ id_hash: session.idHash, username: session.username, csrf_token: session.csrfToken, expires_at: session.expiresAt }).execute();
}

/** The session with this id hash, if it has not expired at `now`. */
export async function findSession(db: Kysely<Database>, idHash: string, now: number): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
  return row && { idHash: row.id_hash, username: row.username, csrfToken: row.csrf_token, expiresAt: Number(row.expires_at) };
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
