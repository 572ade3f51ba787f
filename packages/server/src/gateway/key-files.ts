import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { generateSealKeyPair } from '../sealing/keys.ts';
import { checkSecretMode as checkMode, createSecretFile, KeyFileError } from '../keys/secret-file.ts';

/*
 * The state's secret keys (issue 4: "the state's signing key is held in a file with mode
 * 0600"); keys/secret-file.ts refuses files others can read. Neither a key nor its file's
 * content ever reaches a log line or a response: errors name the file, never the bytes.
 */

/**
 * The state's Ed25519 entry seed: 32 bytes, stored as base64 on one line. Created with mode
 * 0600 when absent (first start); refused when readable by others or malformed.
 */
export function loadEntrySeed(path: string): Uint8Array {
  if (!existsSync(path)) createSecretFile(path, `${randomBytes(32).toString('base64')}\n`);
  checkMode(path);
  const text = readFileSync(path, 'utf8').trim();
  const seed = Buffer.from(text, 'base64');
  if (seed.length !== 32 || seed.toString('base64') !== text) throw new KeyFileError(`key file ${path}: expected a 32-byte Ed25519 seed in base64 on one line`);
  return new Uint8Array(seed);
}

/**
 * The state's X25519 private key for sealed fields, as a JWK (RFC 8037). Created with mode
 * 0600 when absent; its public half is what the other parties seal to.
 */
export async function loadSealKey(path: string): Promise<JWK> {
  if (!existsSync(path)) {
    const pair = await generateSealKeyPair();
    createSecretFile(path, `${JSON.stringify(pair.privateJwk)}\n`);
  }
  checkMode(path);
  let jwk: JWK;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch {
    throw new KeyFileError(`key file ${path}: expected an X25519 private key as a JSON JWK`);
  }
  if (jwk.kty !== 'OKP' || jwk.crv !== 'X25519' || typeof jwk.d !== 'string' || typeof jwk.x !== 'string') {
    throw new KeyFileError(`key file ${path}: expected an X25519 private JWK (kty OKP, crv X25519, with d and x)`);
  }
  return jwk;
}

/** The public half of a private JWK, for the recipients' directory. */
export function publicJwkOf(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK;
}
