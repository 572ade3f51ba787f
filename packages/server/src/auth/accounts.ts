import type { Kysely } from 'kysely';
import { createAccount, type Database } from '@evenhand/store';
import { createSigningKey } from './official-keys.ts';
import { hashPasswordWithKey } from './password.ts';
import type { Role } from './roles.ts';

/**
 * Creates an official's account. An approver gets a personal signing key with it (issue 13),
 * sealed under the password, since only approvers sign the acts that bind the state. False
 * when the username is taken.
 */
export async function createOfficialAccount(db: Kysely<Database>, account: { username: string; party: string; role: Role; password: string; createdAt: number }): Promise<boolean> {
  const { hash, passwordKey } = await hashPasswordWithKey(account.password);
  const key = account.role === 'approver' ? createSigningKey(account.username, passwordKey) : undefined;
  return createAccount(db, {
    username: account.username,
    party: account.party,
    role: account.role,
    passwordHash: hash,
    createdAt: account.createdAt,
    signingKey: key?.publicKey ?? null,
    signingKeySealed: key?.sealed ?? null,
  });
}
