import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign as opensslSign, verify as opensslVerify } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from '../src/index.ts';

const hex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

// RFC 8032 §7.1, TEST 1 and TEST 2 (secret key, public key, message, signature).
const RFC8032_VECTORS = [
  {
    name: 'TEST 1 (empty message)',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2 (one byte)',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
];

for (const vector of RFC8032_VECTORS) {
  test(`RFC 8032 §7.1 ${vector.name}: public key, signature and verification`, () => {
    const seed = hex(vector.secret);
    assert.deepEqual(ed25519PublicKey(seed), hex(vector.public));
    assert.deepEqual(ed25519Sign(seed, hex(vector.message)), hex(vector.signature));
    assert.equal(ed25519Verify(hex(vector.public), hex(vector.message), hex(vector.signature)), true);
    assert.equal(ed25519Verify(hex(vector.public), hex(`${vector.message}00`), hex(vector.signature)), false);
  });
}

// node:crypto (OpenSSL) as an independent implementation: the switch to libsodium must not
// change a single signature byte, and both must judge honest and tampered signatures alike.
const PKCS8_PREFIX = '302e020100300506032b657004220420';
const SPKI_PREFIX = '302a300506032b6570032100';
const opensslKeys = (seed: Uint8Array) => {
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from(PKCS8_PREFIX, 'hex'), seed]), format: 'der', type: 'pkcs8' });
  return { privateKey, publicKey: createPublicKey(privateKey) };
};

test('signatures and verdicts equal OpenSSL\'s for random keys, messages and one flipped bit', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 2000 }), fc.nat(), (seed, message, flip) => {
      const { privateKey, publicKey } = opensslKeys(seed);
      const signature = ed25519Sign(seed, message);
      assert.deepEqual(signature, new Uint8Array(opensslSign(null, message, privateKey)));
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length / 2);
      assert.deepEqual(ed25519PublicKey(seed), new Uint8Array(raw));
      assert.equal(ed25519Verify(ed25519PublicKey(seed), message, signature), true);
      const tampered = signature.slice();
      tampered[flip % 64]! ^= 1 << (flip % 8);
      assert.equal(ed25519Verify(ed25519PublicKey(seed), message, tampered), opensslVerify(null, message, publicKey, tampered));
      assert.equal(ed25519Verify(ed25519PublicKey(seed), message, tampered), false);
    }),
    { numRuns: 200 },
  );
});

test('a small-order key cannot carry a signature that fits every message (libsodium is stricter than OpenSSL)', () => {
  // The identity point as a public key, R = identity and S = 0: [S]B = R + [k]A holds for
  // every message k, so a cofactorless check without a small-order test accepts it.
  const identity = new Uint8Array(32);
  identity[0] = 1;
  const signature = new Uint8Array(64);
  signature[0] = 1;
  const spki = createPublicKey({ key: Buffer.concat([Buffer.from(SPKI_PREFIX, 'hex'), identity]), format: 'der', type: 'spki' });
  assert.equal(opensslVerify(null, Buffer.from('any message'), spki, signature), true, 'OpenSSL accepts it (the reason for the stricter check)');
  assert.equal(ed25519Verify(identity, new TextEncoder().encode('any message'), signature), false);
});

test('malformed inputs: verification says false, signing names the bad key', () => {
  const seed = new Uint8Array(32).fill(3);
  const message = new TextEncoder().encode('m');
  const signature = ed25519Sign(seed, message);
  const publicKey = ed25519PublicKey(seed);
  assert.equal(ed25519Verify(publicKey.subarray(1), message, signature), false);
  assert.equal(ed25519Verify(publicKey, message, signature.subarray(1)), false);
  assert.equal(ed25519Verify('not bytes' as unknown as Uint8Array, message, signature), false);
  assert.equal(ed25519Verify(publicKey, 'm' as unknown as Uint8Array, signature), false);
  assert.throws(() => ed25519Sign(new Uint8Array(31), message), /Ed25519 private key: expected 32 bytes, found 31/);
});

test('signing with a seed held in a larger buffer uses only its own 32 bytes', () => {
  const backing = new Uint8Array(96).fill(9);
  backing.set(new Uint8Array(32).fill(5), 32);
  const seed = backing.subarray(32, 64);
  const message = new TextEncoder().encode('offset');
  assert.deepEqual(ed25519Sign(seed, message), ed25519Sign(new Uint8Array(32).fill(5), message));
  assert.deepEqual(ed25519PublicKey(seed), ed25519PublicKey(new Uint8Array(32).fill(5)));
});
