import { randomBytes } from 'node:crypto';
import { makeSigner, SIGNATURE_COSIGNATURE_V1, SIGNATURE_ED25519, type NoteSigner } from '@evenhand/log';

/**
 * Key generation: the only place randomness enters (core and log are deterministic, and
 * @evenhand/crypto generates nothing). An author or log key is Ed25519 (signed-note 0x01);
 * a witness key signs cosignature/v1 (0x04).
 */
export function keygen(name: string, role: 'signer' | 'witness' = 'signer'): NoteSigner {
  return makeSigner(name, new Uint8Array(randomBytes(32)), role === 'witness' ? SIGNATURE_COSIGNATURE_V1 : SIGNATURE_ED25519);
}
