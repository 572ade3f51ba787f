import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { generateSealKeyPair, type SealKeyPair } from '../src/sealing/keys.ts';
import { isSealed, seal, unseal } from '../src/sealing/seal.ts';

describe('sealed fields (JWE, ECDH-ES+A256KW on X25519)', () => {
  let us: SealKeyPair;
  let ru: SealKeyPair;
  let ch: SealKeyPair;
  before(async () => {
    [us, ru, ch] = await Promise.all([generateSealKeyPair(), generateSealKeyPair(), generateSealKeyPair()]);
  });

  const identity = { identity: 'Name Surname, born 1990-01-01', evidence: ['sha256:ab12'], statement: 'facts of the case' };

  it('each party of the request decrypts the same plaintext', async () => {
    const sealed = await seal(identity, [
      { kid: 'US', publicJwk: us.publicJwk },
      { kid: 'RU', publicJwk: ru.publicJwk },
    ]);
    assert.ok(isSealed(sealed));
    assert.doesNotMatch(sealed.jwe, /Surname|facts of the case/, 'no plaintext in the ciphertext');
    const header = JSON.parse(sealed.jwe) as { recipients: { header: { alg: string; kid: string; epk: { crv: string } } }[] };
    assert.deepEqual(header.recipients.map((recipient) => [recipient.header.kid, recipient.header.alg, recipient.header.epk.crv]), [
      ['US', 'ECDH-ES+A256KW', 'X25519'],
      ['RU', 'ECDH-ES+A256KW', 'X25519'],
    ]);
    assert.deepEqual(await unseal(sealed, 'US', us.privateJwk), { ok: true, value: identity });
    assert.deepEqual(await unseal(sealed, 'RU', ru.privateJwk), { ok: true, value: identity });
  });

  it('a witness or a third party cannot read it', async () => {
    const sealed = await seal(identity, [{ kid: 'US', publicJwk: us.publicJwk }]);
    const notRecipient = await unseal(sealed, 'CH', ch.privateJwk);
    assert.equal(notRecipient.ok, false);
    if (!notRecipient.ok) assert.equal(notRecipient.code, 'SEALED_NOT_FOR_US');
    const wrongKey = await unseal(sealed, 'US', ch.privateJwk);
    assert.equal(wrongKey.ok, false);
    if (!wrongKey.ok) assert.equal(wrongKey.code, 'SEALED_MALFORMED');
  });

  it('tampered ciphertext does not decrypt', async () => {
    const sealed = await seal(identity, [{ kid: 'US', publicJwk: us.publicJwk }]);
    const jwe = JSON.parse(sealed.jwe) as { ciphertext: string };
    jwe.ciphertext = (jwe.ciphertext[0] === 'A' ? 'B' : 'A') + jwe.ciphertext.slice(1);
    const result = await unseal({ jwe: JSON.stringify(jwe) }, 'US', us.privateJwk);
    assert.equal(result.ok, false);
    assert.equal((await unseal({ jwe: 'not json' }, 'US', us.privateJwk)).ok, false);
  });
});
