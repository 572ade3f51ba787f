import { createHash } from 'node:crypto';

/** SHA-256 of one byte string (FIPS 180-4). */
export function sha256(data: Uint8Array): Uint8Array {
  return createHash('sha256').update(data).digest();
}

/**
 * SHA-256 of the concatenation of several byte strings, without building the concatenation.
 * RFC 6962 node hashes (`0x01 ‖ left ‖ right`) are the hot path of every tree operation.
 */
export function sha256Parts(...parts: readonly Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
}
