import { randomBytes, webcrypto } from 'node:crypto';
import { CompactEncrypt, compactDecrypt, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { SEAL_ALGORITHM, SEAL_ENCRYPTION, type SealedMember } from './seal.ts';

/**
 * Case keys (issue 17, docs/erasure.md). Each request has a 32-byte key of its own, made by the
 * filing gateway. The sealed member of every entry of that request is a compact JWE (RFC 7516
 * §7.1) under it, `alg: dir` with A256GCM (RFC 7518 §4.5, §5.3), whose `kid` names the case.
 * The key travels in the filing, wrapped to each recipient's transport key with ECDH-ES+A256KW
 * on X25519 (RFC 8037). Destroying every copy of the key erases the case: the log keeps only
 * ciphertext that nothing opens.
 */
export const CASE_KID_PREFIX = 'case:';

export function generateCaseKey(): Uint8Array {
  return new Uint8Array(randomBytes(32));
}

export async function sealUnderCaseKey(plaintext: unknown, key: Uint8Array, request: string): Promise<SealedMember> {
  const jwe = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(plaintext))).setProtectedHeader({ alg: 'dir', enc: SEAL_ENCRYPTION, kid: `${CASE_KID_PREFIX}${request}` }).encrypt(key);
  return { jwe };
}

/** The request whose case key seals `jwe`, or undefined for a sealed member of another form (general JSON, to long-term keys). */
export function caseOfSealed(jwe: string): string | undefined {
  if (jwe.startsWith('{')) return undefined;
  try {
    const kid = decodeProtectedHeader(jwe).kid;
    return typeof kid === 'string' && kid.startsWith(CASE_KID_PREFIX) ? kid.slice(CASE_KID_PREFIX.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Opens a sealed member under its case key; undefined when the key does not open it. */
export async function openUnderCaseKey(jwe: string, key: Uint8Array): Promise<unknown> {
  try {
    const { plaintext } = await compactDecrypt(jwe, key);
    return JSON.parse(new TextDecoder().decode(plaintext));
  } catch {
    return undefined;
  }
}

/** Wraps a case key to a recipient's X25519 transport key (`x`, base64url), naming the key by `kid`. */
export async function wrapCaseKey(key: Uint8Array, transport: { readonly kid: string; readonly x: string }): Promise<string> {
  return new CompactEncrypt(key).setProtectedHeader({ alg: SEAL_ALGORITHM, enc: SEAL_ENCRYPTION, kid: transport.kid }).encrypt(await importedPublic(transport.x));
}

/**
 * Each key imported once, by an id of it, in a map that starts again past `limit` rather than
 * grow. A key that does not import is not kept, so the next use reports it again; only that
 * import is dropped, not one made for the same id after the map started again.
 */
function importedOnce<K>(limit: number, importKey: (id: string) => Promise<K>): (id: string) => Promise<K> {
  const imported = new Map<string, Promise<K>>();
  return (id) => {
    let key = imported.get(id);
    if (!key) {
      if (imported.size >= limit) imported.clear();
      const importing = importKey(id);
      importing.catch(() => {
        if (imported.get(id) === importing) imported.delete(id);
      });
      imported.set(id, importing);
      key = importing;
    }
    return key;
  };
}

/**
 * Each transport public key imported once, by its `x`: a state and its observers hold a
 * handful, and 256 is more than any treaty's parties and observers. Every filing wraps its case
 * key to each recipient, and importing the key again each time was 1.3 % of a gateway's profile
 * in issue 14's sustained run: 18 to 39 µs of CPU an import on the 2-core machine, of the 550
 * to 1,000 µs a whole wrap takes (ECDH-ES through WebCrypto).
 */
const importedPublic = importedOnce(256, (x) => importJWK({ kty: 'OKP', crv: 'X25519', x }, SEAL_ALGORITHM));

/** Unwraps a case key with the transport private key it was wrapped to; undefined if it is not that key's, or not 32 bytes. */
export async function unwrapCaseKey(wrapped: string, privateJwk: JWK): Promise<Uint8Array | undefined> {
  try {
    const { plaintext } = await compactDecrypt(wrapped, await importedPrivate(privateJwk));
    return plaintext.length === 32 ? plaintext : undefined;
  } catch {
    return undefined;
  }
}

/** Each transport private key imported once: a gateway's catch-up unwraps every filing to its state with one of a few keys. */
const imported = new WeakMap<JWK, ReturnType<typeof importJWK>>();

function importedPrivate(privateJwk: JWK): ReturnType<typeof importJWK> {
  let key = imported.get(privateJwk);
  if (!key) imported.set(privateJwk, (key = importJWK({ ...privateJwk, alg: SEAL_ALGORITHM }, SEAL_ALGORITHM)));
  return key;
}

/**
 * A case key at rest in the gateway's database, sealed under the local key of its key file
 * (`alg: dir`, A256GCM), with the request in the header: the database alone reveals no case key.
 */
export async function sealAtRest(key: Uint8Array, localKey: Uint8Array, request: string): Promise<string> {
  return new CompactEncrypt(key).setProtectedHeader({ alg: 'dir', enc: SEAL_ENCRYPTION, kid: `local:${request}` }).encrypt(await importedLocal(localKey));
}

export async function openAtRest(sealed: string, localKey: Uint8Array, request: string): Promise<Uint8Array | undefined> {
  try {
    const { plaintext, protectedHeader } = await compactDecrypt(sealed, await importedLocal(localKey));
    return protectedHeader.kid === `local:${request}` && plaintext.length === 32 ? plaintext : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The local key imported once for AES-GCM (`dir`, A256GCM). Given as bytes, jose imports it
 * through WebCrypto at every seal and every opening, as the transport keys were (issue 14).
 * A gateway holds one local key; the bound only keeps a caller with many from growing memory.
 */
const importLocalKey = importedOnce(16, (local) => webcrypto.subtle.importKey('raw', Buffer.from(local, 'base64url'), 'AES-GCM', false, ['encrypt', 'decrypt']));

function importedLocal(localKey: Uint8Array): Promise<webcrypto.CryptoKey> {
  return importLocalKey(Buffer.from(localKey.buffer, localKey.byteOffset, localKey.byteLength).toString('base64url'));
}
