import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

export interface Account {
  readonly username: string;
  readonly party: string;
  readonly role: string;
  readonly passwordHash: string;
  readonly createdAt: number;
  /** An approver's Ed25519 public key (base64) and its seed sealed under the password (issue 13). */
  readonly signingKey?: string | null | undefined;
  readonly signingKeySealed?: string | null | undefined;
}

export interface Session {
  readonly idHash: string;
  readonly username: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  /** The signing seed sealed for this session only (server auth/official-keys.ts). */
  readonly signingSeal?: string | null | undefined;
}

/** Creates an account; false when the username is taken. */
export async function createAccount(db: Kysely<Database>, account: Account): Promise<boolean> {
  const result = await db
    .insertInto('accounts')
    .values({ username: account.username, party: account.party, role: account.role, password_hash: account.passwordHash, created_at: account.createdAt, signing_key: account.signingKey ?? null, signing_key_sealed: account.signingKeySealed ?? null })
    .onConflict((conflict) => conflict.column('username').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function findAccount(db: Kysely<Database>, username: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
  return row && accountOf(row);
}

function accountOf(row: { username: string; party: string; role: string; password_hash: string; created_at: number; signing_key: string | null; signing_key_sealed: string | null }): Account {
  return { username: row.username, party: row.party, role: row.role, passwordHash: row.password_hash, createdAt: Number(row.created_at), signingKey: row.signing_key, signingKeySealed: row.signing_key_sealed };
}

export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('username').execute();
  return rows.map(accountOf);
}

export async function createSession(db: Kysely<Database>, session: Session): Promise<void> {
  await db.insertInto('sessions').values({ id_hash: session.idHash, username: session.username, csrf_token: session.csrfToken, expires_at: session.expiresAt, signing_seal: session.signingSeal ?? null }).execute();
}

/** The session with this id hash, if it has not expired at `now`. */
export async function findSession(db: Kysely<Database>, idHash: string, now: number): Promise<Session | undefined> {
  const row = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).where('expires_at', '>', now).executeTakeFirst();
  return row && { idHash: row.id_hash, username: row.username, csrfToken: row.csrf_token, expiresAt: Number(row.expires_at), signingSeal: row.signing_seal };
}

export async function deleteSession(db: Kysely<Database>, idHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** How many sessions are open at `now` (the gateway's metrics). */
export async function countOpenSessions(db: Kysely<Database>, now: number): Promise<number> {
  const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('open')).where('expires_at', '>', now).executeTakeFirst();
  return Number(row?.open ?? 0);
}
