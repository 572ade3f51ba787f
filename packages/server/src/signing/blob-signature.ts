import { ed25519Sign, ed25519Verify } from '@evenhand/crypto';

/**
 * An evidence upload is signed by its author's entry key over
 * "evenhand-blob/v1\n" ‖ the hex SHA-256 of the bytes, so that only a party can store
 * blobs at the exchange, and the domain separation keeps the signature from passing for
 * an entry's ("evenhand-entry/v1\n").
 */
const BLOB_SIGNATURE_CONTEXT = 'evenhand-blob/v1\n';

function message(hashHex: string): Uint8Array {
  return new TextEncoder().encode(BLOB_SIGNATURE_CONTEXT + hashHex);
}

export function signBlob(seed: Uint8Array, hashHex: string): string {
  return Buffer.from(ed25519Sign(seed, message(hashHex))).toString('base64');
}

export function verifyBlobSignature(publicKey: Uint8Array, hashHex: string, signature: string): boolean {
  const bytes = Buffer.from(signature, 'base64');
  return bytes.length === 64 && ed25519Verify(publicKey, message(hashHex), new Uint8Array(bytes));
}
