import { it } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount, createSession, deleteExpiredSessions, deleteSession, findAccount, findSession, listAccounts } from '../src/index.ts';
import { describeOnEachEngine } from './dialects.ts';

const clerk = { username: 'us-clerk', party: 'US', role: 'clerk', passwordHash: 'scrypt$hash', createdAt: 100 };

describeOnEachEngine('accounts and sessions', (context) => {
  it('creates an account once and finds it', async () => {
    assert.equal(await createAccount(context.store.db, clerk), true);
    assert.equal(await createAccount(context.store.db, { ...clerk, role: 'approver' }), false, 'username taken');
    assert.deepEqual(await findAccount(context.store.db, 'us-clerk'), { ...clerk, signingKey: null, signingKeySealed: null });
    assert.equal(await findAccount(context.store.db, 'nobody'), undefined);
    assert.deepEqual((await listAccounts(context.store.db)).map((account) => account.username), ['us-clerk']);
  });

  it('keeps an approver\'s public key and sealed seed, and a session\'s sealed seed (issue 13)', async () => {
    const approver = { ...clerk, username: 'us-approver-1', role: 'approver', signingKey: 'public-key-b64', signingKeySealed: 'v1.nonce.ciphertext.tag' };
    assert.equal(await createAccount(context.store.db, approver), true);
    assert.deepEqual(await findAccount(context.store.db, 'us-approver-1'), approver);
    await createSession(context.store.db, { idHash: 'h9', username: 'us-approver-1', csrfToken: 'c9', expiresAt: 9_000, signingSeal: 'v1.n.c.t' });
    assert.equal((await findSession(context.store.db, 'h9', 0))?.signingSeal, 'v1.n.c.t');
  });

  it('finds a session until it expires, and forgets it on logout', async () => {
    await createSession(context.store.db, { idHash: 'h1', username: 'us-clerk', csrfToken: 'c1', expiresAt: 1_000 });
    await createSession(context.store.db, { idHash: 'h2', username: 'us-clerk', csrfToken: 'c2', expiresAt: 2_000 });
    assert.equal((await findSession(context.store.db, 'h1', 999))?.csrfToken, 'c1');
    assert.equal(await findSession(context.store.db, 'h1', 1_000), undefined, 'expired at its expiry instant');
    assert.equal(await deleteExpiredSessions(context.store.db, 1_500), 1);
    await deleteSession(context.store.db, 'h2');
    assert.equal(await findSession(context.store.db, 'h2', 0), undefined);
  });

  it('refuses a session for an unknown account', async () => {
    await assert.rejects(createSession(context.store.db, { idHash: 'h3', username: 'ghost', csrfToken: 'c3', expiresAt: 5_000 }));
  });
});
