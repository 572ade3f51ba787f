import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import { generateCaseKey, unwrapCaseKey, wrapCaseKey } from '../src/sealing/case-key.ts';

/** A transport key pair as a gateway's key file holds it: X25519 for ECDH-ES+A256KW (RFC 8037). */
async function transportPair() {
  const pair = await generateKeyPair('ECDH-ES+A256KW', { crv: 'X25519', extractable: true });
  return { publicJwk: await exportJWK(pair.publicKey), privateJwk: await exportJWK(pair.privateKey) };
}

describe('case keys wrapped to transport keys', () => {
  it('wraps one key to the same transport key again and again, each wrap opening to it and to no other key', async () => {
    const [ru, ch] = [await transportPair(), await transportPair()];
    const key = generateCaseKey();
    const wraps = await Promise.all(Array.from({ length: 3 }, () => wrapCaseKey(key, { kid: 'RU-t1', x: ru.publicJwk.x! })));
    assert.equal(new Set(wraps).size, 3, 'each wrap has its own ephemeral key (ECDH-ES)');
    for (const wrapped of wraps) {
      assert.deepEqual(await unwrapCaseKey(wrapped, ru.privateJwk), key);
      assert.equal(await unwrapCaseKey(wrapped, ch.privateJwk), undefined);
    }
    // A second transport key after the first: the wrap follows the key it is given.
    const toCh = await wrapCaseKey(key, { kid: 'CH-t1', x: ch.publicJwk.x! });
    assert.deepEqual(await unwrapCaseKey(toCh, ch.privateJwk), key);
    assert.equal(await unwrapCaseKey(toCh, ru.privateJwk), undefined);
  });

  it('refuses a transport key that is no X25519 key, every time it is asked', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(wrapCaseKey(generateCaseKey(), { kid: 'XX-t1', x: 'not-a-key' }));
    }
  });
});
