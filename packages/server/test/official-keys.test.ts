import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519PublicKey } from '@evenhand/crypto';
import { createSigningKey, openForSession, openSigningKey, sealForSession } from '../src/auth/official-keys.ts';
import { hashPassword, hashPasswordWithKey, verifyPassword, verifyPasswordWithKey } from '../src/auth/password.ts';

/** Issue 13: an approver's signing key opens only with the password, or within the session it opened. */
describe("officials' signing keys at rest", () => {
  it('the password gives the same key at login as at creation, and a wrong one gives none', async () => {
    const { hash, passwordKey } = await hashPasswordWithKey('correct horse');
    assert.deepEqual(await verifyPasswordWithKey('correct horse', hash), passwordKey);
    assert.equal(await verifyPasswordWithKey('wrong horse', hash), undefined);
    assert.equal(await verifyPassword('correct horse', hash), true);
    // A hash made before keys existed still verifies: its stored part is the same scrypt output.
    assert.equal(await verifyPassword('older', await hashPassword('older')), true);
  });

  it('the sealed seed opens with the password key for its own account only, and matches the public key', async () => {
    const { passwordKey } = await hashPasswordWithKey('pw-1');
    const key = createSigningKey('ru-approver-1', passwordKey);
    const seed = openSigningKey(key.sealed, passwordKey, 'ru-approver-1');
    assert.ok(seed);
    assert.equal(Buffer.from(ed25519PublicKey(seed)).toString('base64'), key.publicKey);
    assert.equal(openSigningKey(key.sealed, passwordKey, 'ru-approver-2'), undefined, 'moved to another account');
    assert.equal(openSigningKey(key.sealed, (await hashPasswordWithKey('pw-2')).passwordKey, 'ru-approver-1'), undefined, 'another password');
    const parts = key.sealed.split('.');
    const flipped = [...parts.slice(0, 2), Buffer.from(Buffer.from(parts[2]!, 'base64url').map((byte, i) => (i === 0 ? byte ^ 1 : byte))).toString('base64url'), parts[3]].join('.');
    assert.equal(openSigningKey(flipped, passwordKey, 'ru-approver-1'), undefined, 'a changed byte');
    assert.equal(openSigningKey('not sealed', passwordKey, 'ru-approver-1'), undefined);
  });

  it('a session seal opens only with that session id', () => {
    const seed = new Uint8Array(32).fill(7);
    const sealed = sealForSession(seed, 'session-a', 'us-approver-1');
    assert.deepEqual(openForSession(sealed, 'session-a', 'us-approver-1'), seed);
    assert.equal(openForSession(sealed, 'session-b', 'us-approver-1'), undefined);
  });
});
