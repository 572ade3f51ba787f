import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Passwords are stored as scrypt hashes (RFC 7914) in the form
 * `scrypt$N$r$p$salt$hash` (base64url), so the cost can rise later without breaking old
 * hashes. N=2^15, r=8 follows OWASP's Password Storage Cheat Sheet minimum for scrypt.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;
// scrypt needs 128 * N * r bytes; leave headroom over Node's 32 MiB default.
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, { ...options, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  return (await hashPasswordWithKey(password)).hash;
}

/**
 * The stored hash, and a second key from the same scrypt run that is never stored: it
 * encrypts the official's signing key (official-keys.ts), so the gateway can open that key
 * only when the official types the password. scrypt's output is PBKDF2-HMAC-SHA256 over its
 * mixed blocks (RFC 7914 §6), whose first 32 bytes do not depend on the length asked for:
 * asking for 64 bytes leaves the stored 32-byte hash unchanged and costs one run, not two.
 */
export async function hashPasswordWithKey(password: string): Promise<{ hash: string; passwordKey: Buffer }> {
  const salt = randomBytes(16);
  const derived = await derive(password, salt, COST, 2 * KEY_LENGTH);
  const hash = ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), derived.subarray(0, KEY_LENGTH).toString('base64url')].join('$');
  return { hash, passwordKey: derived.subarray(KEY_LENGTH) };
}

/** Constant-time comparison; false (never an exception) for a malformed stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return (await verifyPasswordWithKey(password, stored)) !== undefined;
}

/** The password key (see hashPasswordWithKey) when the password is right, else undefined. */
export async function verifyPasswordWithKey(password: string, stored: string): Promise<Buffer | undefined> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (!N || !r || !p) return undefined;
  const expected = Buffer.from(parts[5]!, 'base64url');
  if (expected.length !== KEY_LENGTH) return undefined;
  const derived = await derive(password, Buffer.from(parts[4]!, 'base64url'), { N, r, p }, 2 * KEY_LENGTH);
  return timingSafeEqual(expected, derived.subarray(0, KEY_LENGTH)) ? derived.subarray(KEY_LENGTH) : undefined;
}

/** A password for an account created by the demo: readable, and long enough to resist guessing. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}
