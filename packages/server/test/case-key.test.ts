import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exportJWK, generateKeyPair } from 'jose';
import { generateCaseKey, openAtRest, sealAtRest, unwrapCaseKey, wrapCaseKey } from '../src/sealing/case-key.ts';

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

describe('case keys at rest under the local key', () => {
  it('opens a case key only with the local key and the request it was sealed under, however often it is sealed', async () => {
    const [local, other] = [generateCaseKey(), generateCaseKey()];
    const key = generateCaseKey();
    for (let attempt = 0; attempt < 2; attempt++) {
      // A copy of the same bytes: the key is known by its value, not by the array that holds it.
      const sealed = await sealAtRest(key, new Uint8Array(local), 'US-1');
      assert.deepEqual(await openAtRest(sealed, local, 'US-1'), key);
      assert.equal(await openAtRest(sealed, other, 'US-1'), undefined, 'another local key');
      assert.equal(await openAtRest(sealed, local, 'US-2'), undefined, 'another request');
    }
    const underOther = await sealAtRest(key, other, 'US-1');
    assert.deepEqual(await openAtRest(underOther, other, 'US-1'), key);
    assert.equal(await openAtRest(underOther, local, 'US-1'), undefined);
  });

  it('refuses a local key that is not 32 bytes, every time it is asked', async () => {
    const sealed = await sealAtRest(generateCaseKey(), generateCaseKey(), 'US-1');
    for (let attempt = 0; attempt < 2; attempt++) {
      await assert.rejects(sealAtRest(generateCaseKey(), new Uint8Array(16), 'US-1'));
      assert.equal(await openAtRest(sealed, new Uint8Array(16), 'US-1'), undefined);
    }
  });
});
