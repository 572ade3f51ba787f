import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { SEAL_ALGORITHM } from './seal.ts';

export interface SealKeyPair {
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

/** A fresh X25519 key pair for sealing, exported as JWKs so it can be stored in a key file. */
export async function generateSealKeyPair(): Promise<SealKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair(SEAL_ALGORITHM, { crv: 'X25519', extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}
