import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { ed25519PublicKey } from '@evenhand/crypto';

/**
 * An approver's personal Ed25519 key (issue 13, "two approvals anyone can check"). Its seed
 * is kept only encrypted: at rest under the key derived from the official's password
 * (password.ts), and, for a session the password opened, under a key derived from the session
 * id that only the official's browser holds (the database keeps the id's hash). So the gateway
 * can sign an approval only while the official is logged in, or with the password.
 *
 * AES-256-GCM (NIST SP 800-38D) with a random 96-bit nonce per sealing; the username is the
 * associated data, so a sealed key moved to another account does not open.
 */
const FORMAT = 'v1';
const SESSION_KEY_LABEL = 'evenhand-session-signing/v1';

function seal(key: Buffer, plaintext: Uint8Array, associated: string): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(Buffer.from(associated, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [FORMAT, nonce, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

function open(key: Buffer, sealed: string, associated: string): Uint8Array | undefined {
  const [format, nonce, ciphertext, tag] = sealed.split('.');
  if (format !== FORMAT || nonce === undefined || ciphertext === undefined || tag === undefined) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(associated, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]));
  } catch {
    // A wrong key or a changed byte fails the tag: the key does not open, nothing more to say.
    return undefined;
  }
}

/** A new key for an official: its public half (base64, as the log registers it) and its sealed seed. */
export function createSigningKey(username: string, passwordKey: Buffer): { publicKey: string; sealed: string } {
  const seed = randomBytes(32);
  return { publicKey: Buffer.from(ed25519PublicKey(seed)).toString('base64'), sealed: seal(passwordKey, seed, username) };
}

export function openSigningKey(sealed: string, passwordKey: Buffer, username: string): Uint8Array | undefined {
  return open(passwordKey, sealed, username);
}

function sessionKey(sessionId: string): Buffer {
  return createHmac('sha256', sessionId).update(SESSION_KEY_LABEL).digest();
}

/** The seed sealed for one session: only the holder of the session's cookie can open it. */
export function sealForSession(seed: Uint8Array, sessionId: string, username: string): string {
  return seal(sessionKey(sessionId), seed, username);
}

export function openForSession(sealed: string, sessionId: string, username: string): Uint8Array | undefined {
  return open(sessionKey(sessionId), sealed, username);
}
