import { randomBytes } from 'node:crypto';
import { existsSync, openSync, closeSync, readFileSync, statSync, writeSync } from 'node:fs';
import type { JWK } from 'jose';
import { generateSealKeyPair } from '../sealing/keys.ts';

/**
 * The state's secret keys live in files readable by the gateway's user only (issue 4: "the
 * state's signing key is held in a file with mode 0600"). A file that the group or others
 * can read is refused at start, as ssh refuses a private key with loose permissions: the key
 * may already have leaked, and the operator must decide. Neither the key nor its path's
 * content ever reaches a log line or a response; errors name the file, never the bytes.
 */

export class KeyFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyFileError';
  }
}

function checkMode(path: string): void {
  // POSIX modes only: Windows reports 0o666 for every file and has no group/other bits.
  if (process.platform === 'win32') return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(`key file ${path} has mode ${mode.toString(8).padStart(4, '0')}: group or others can read it; run \`chmod 600 ${path}\` and check that the key has not been copied elsewhere`);
  }
}

/** Writes a new file with mode 0600 from the first byte (O_EXCL: never over an existing file). */
function createSecretFile(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

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
