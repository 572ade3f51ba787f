import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Ed25519 (RFC 8032) over raw 32-byte keys. node:crypto wants KeyObjects; parsing DER on
 * every call halves verification throughput (reference/transparency-log.md §6), so each
 * key is parsed once and cached. The caches are bounded: a verifier of a long log meets a
 * handful of keys, and a pathological caller cannot grow memory without limit.
 */

// RFC 8410 §7 / §10.3: DER prefixes for an Ed25519 PKCS#8 private key and SPKI public key.
const PKCS8_PREFIX = Uint8Array.from([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
const SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);
const CACHE_LIMIT = 1024;

const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();

function remember(cache: Map<string, KeyObject>, id: string, key: KeyObject): KeyObject {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(id, key);
  return key;
}

function concat(a: Uint8Array, b: Uint8Array): Buffer {
  return Buffer.concat([a, b]);
}

function checkLength(what: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== length) {
    throw new TypeError(`${what}: expected ${length} bytes, found ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  }
}

function privateKeyObject(seed: Uint8Array): KeyObject {
  checkLength('Ed25519 private key', seed, 32);
  const id = Buffer.from(seed).toString('base64');
  return privateKeys.get(id) ?? remember(privateKeys, id, createPrivateKey({ key: concat(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' }));
}

function publicKeyObject(publicKey: Uint8Array): KeyObject | undefined {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 32) return undefined;
  const id = Buffer.from(publicKey).toString('base64');
  const cached = publicKeys.get(id);
  if (cached) return cached;
  try {
    return remember(publicKeys, id, createPublicKey({ key: concat(SPKI_PREFIX, publicKey), format: 'der', type: 'spki' }));
  } catch {
    return undefined; // not a point on the curve: no signature can verify under it
  }
}

/** The 32-byte public key of a 32-byte private key (seed). Deterministic: generates nothing. */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  const spki = createPublicKey(privateKeyObject(seed)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
}

/** A 64-byte Ed25519 signature of `message` (deterministic per RFC 8032 §5.1.6). */
export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, privateKeyObject(seed)));
}

/** Whether `signature` is a valid Ed25519 signature of `message` under `publicKey`. Never throws. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
  const key = publicKeyObject(publicKey);
  if (!key) return false;
  try {
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
