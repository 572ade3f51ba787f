import { err, ok, type Result } from '@evenhand/core';
import { ed25519PublicKey, ed25519Sign, ed25519Verify, sha256 } from '@evenhand/crypto';
import { concatBytes, fromBase64, toBase64, utf8 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';

/**
 * C2SP signed-note: a UTF-8 text, a blank line, then signature lines
 * `— <name> base64(keyID[4] ‖ signature)`. Keys travel as vkeys `name+hash+base64(type ‖ key)`.
 * Two signature types are implemented: 0x01 Ed25519 (signed-note) and 0x04 timestamped
 * Ed25519 cosignatures (tlog-cosignature, `cosignature/v1`).
 */

export const SIGNATURE_ED25519 = 0x01;
export const SIGNATURE_COSIGNATURE_V1 = 0x04;
export type SignatureType = typeof SIGNATURE_ED25519 | typeof SIGNATURE_COSIGNATURE_V1;

/** signed-note: verifiers MUST accept at least 16 signatures; Go's note package stops at 100. */
export const MAX_NOTE_SIGNATURES = 100;
const SIGNATURE_PREFIX = '\u2014 ';

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  readonly type: SignatureType;
  readonly publicKey: Uint8Array;
}

export interface NoteSigner extends NoteVerifier {
  readonly seed: Uint8Array;
}

export interface NoteSignature {
  readonly name: string;
  readonly keyId: number;
  /** The signature bytes after the 4-byte key ID. */
  readonly bytes: Uint8Array;
  /** The whole line, newline included, to copy it verbatim into another note. */
  readonly line: string;
}

export interface VerifiedSignature {
  readonly verifier: NoteVerifier;
  readonly signature: NoteSignature;
  /** For cosignatures (0x04): the cosigner's POSIX timestamp. */
  readonly timestamp?: number;
}

export interface OpenedNote {
  readonly text: string;
  readonly verified: readonly VerifiedSignature[];
  /** Signatures by keys the caller did not pass: ignored, as signed-note requires. */
  readonly unknown: readonly NoteSignature[];
}

/** signed-note: key names are non-empty and contain no whitespace and no `+`. */
export function isValidKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name) && !hasLoneSurrogate(name) && !/\p{Cc}/u.test(name);
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Key ID = SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4], big-endian (signed-note, tlog-cosignature). */
export function keyIdFor(name: string, type: SignatureType, publicKey: Uint8Array): number {
  const digest = sha256(concatBytes(utf8(name), Uint8Array.of(0x0a, type), publicKey));
  return (((digest[0] as number) << 24) | ((digest[1] as number) << 16) | ((digest[2] as number) << 8) | (digest[3] as number)) >>> 0;
}

function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

function keyIdBytes(keyId: number): Uint8Array {
  return Uint8Array.of(keyId >>> 24, (keyId >>> 16) & 0xff, (keyId >>> 8) & 0xff, keyId & 0xff);
}

function isSignatureType(type: number | undefined): type is SignatureType {
  return type === SIGNATURE_ED25519 || type === SIGNATURE_COSIGNATURE_V1;
}

/** Builds a signer from a 32-byte Ed25519 seed; type 0x01 for logs and authors, 0x04 for witnesses. */
export function makeSigner(name: string, seed: Uint8Array, type: SignatureType = SIGNATURE_ED25519): NoteSigner {
  if (!isValidKeyName(name)) throw new Error(`makeSigner: invalid key name ${JSON.stringify(name)}`);
  const publicKey = ed25519PublicKey(seed);
  return { name, keyId: keyIdFor(name, type, publicKey), type, publicKey, seed };
}

export function verifierOf(signer: NoteVerifier): NoteVerifier {
  return { name: signer.name, keyId: signer.keyId, type: signer.type, publicKey: signer.publicKey };
}

export function formatVerifierKey(key: NoteVerifier): string {
  return `${key.name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(Uint8Array.of(key.type), key.publicKey))}`;
}

/** The Go note package's private-key text form, `PRIVATE+KEY+name+hash+base64(type ‖ seed)`. */
export function formatSignerKey(key: NoteSigner): string {
  return `PRIVATE+KEY+${key.name}+${keyIdHex(key.keyId)}+${toBase64(concatBytes(Uint8Array.of(key.type), key.seed))}`;
}

function splitKey(text: string, what: string): Result<{ name: string; keyId: number; type: SignatureType; key: Uint8Array }, LogError> {
  // The base64 part may itself contain '+': split at the first two only (as Go's note does).
  const first = text.indexOf('+');
  const second = first < 0 ? -1 : text.indexOf('+', first + 1);
  if (second < 0) return err(logError('KEY_MALFORMED', `${what}: expected name+hash+base64`));
  const name = text.slice(0, first);
  const hash = text.slice(first + 1, second);
  const encoded = text.slice(second + 1);
  if (!isValidKeyName(name)) return err(logError('KEY_MALFORMED', `${what}: invalid key name ${JSON.stringify(name)}`));
  if (!/^[0-9a-f]{8}$/.test(hash)) return err(logError('KEY_MALFORMED', `${what}: key hash must be 8 lowercase hex digits, found ${JSON.stringify(hash)}`));
  const bytes = fromBase64(encoded);
  if (!bytes || bytes.length !== 33) return err(logError('KEY_MALFORMED', `${what}: expected base64 of 1 type byte and a 32-byte Ed25519 key`));
  const type = bytes[0];
  if (!isSignatureType(type)) return err(logError('KEY_MALFORMED', `${what}: unsupported signature type 0x${(type ?? 0).toString(16).padStart(2, '0')}`));
  return ok({ name, keyId: parseInt(hash, 16), type, key: bytes.subarray(1) });
}

export function parseVerifierKey(vkey: string): Result<NoteVerifier, LogError> {
  const parsed = splitKey(vkey, 'vkey');
  if (!parsed.ok) return parsed;
  const { name, keyId, type, key } = parsed.value;
  if (keyIdFor(name, type, key) !== keyId) return err(logError('KEY_MALFORMED', `vkey: key hash ${keyIdHex(keyId)} does not match the key of ${name}`));
  return ok({ name, keyId, type, publicKey: key.slice() });
}

export function parseSignerKey(skey: string): Result<NoteSigner, LogError> {
  if (!skey.startsWith('PRIVATE+KEY+')) return err(logError('KEY_MALFORMED', 'skey: expected the prefix PRIVATE+KEY+'));
  const parsed = splitKey(skey.slice('PRIVATE+KEY+'.length), 'skey');
  if (!parsed.ok) return parsed;
  const { name, keyId, type, key } = parsed.value;
  const signer = makeSigner(name, key.slice(), type);
  if (signer.keyId !== keyId) return err(logError('KEY_MALFORMED', `skey: key hash ${keyIdHex(keyId)} does not match the key of ${name}`));
  return ok(signer);
}

export function signatureLine(name: string, keyId: number, signature: Uint8Array): string {
  return `${SIGNATURE_PREFIX}${name} ${toBase64(concatBytes(keyIdBytes(keyId), signature))}\n`;
}

function checkText(text: string, what: string): LogError | undefined {
  if (!text.endsWith('\n')) return logError('NOTE_MALFORMED', `${what}: must end with a newline`);
  if (hasLoneSurrogate(text)) return logError('NOTE_MALFORMED', `${what}: must be valid UTF-8`);
  // signed-note: no ASCII control characters other than newline.
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) return logError('NOTE_MALFORMED', `${what}: contains a control character other than newline`);
  return undefined;
}

/** An Ed25519 (0x01) signature line over the note text. */
export function signText(text: string, signer: NoteSigner): string {
  if (signer.type !== SIGNATURE_ED25519) throw new Error(`signText: ${signer.name} is a type ${signer.type} key; use cosign for 0x04`);
  return signatureLine(signer.name, signer.keyId, ed25519Sign(signer.seed, utf8(text)));
}

/**
 * The note of `text` with one signature by `signer` made elsewhere over its UTF-8 bytes (the
 * exchange signs receipts on a worker thread): the text, a blank line, the signature line.
 */
export function noteWithSignature(text: string, signer: NoteSigner, signature: Uint8Array): Result<string, LogError> {
  const bad = checkText(text, 'text');
  if (bad) return err(bad);
  return ok(`${text}\n${signatureLine(signer.name, signer.keyId, signature)}`);
}

/** Signs `text` with Ed25519 signers: the text, a blank line, one line per signer. */
export function signNote(text: string, signers: readonly NoteSigner[]): Result<string, LogError> {
  const bad = checkText(text, 'text');
  if (bad) return err(bad);
  return ok(`${text}\n${signers.map((signer) => signText(text, signer)).join('')}`);
}

/** Splits a note into its text and signature lines, checking the signed-note grammar only. */
export function parseNote(message: string): Result<{ text: string; signatures: NoteSignature[] }, LogError> {
  const bad = checkText(message, 'note');
  if (bad) return err(bad);
  const split = message.lastIndexOf('\n\n');
  if (split < 0) return err(logError('NOTE_MALFORMED', 'note: no blank line before the signatures'));
  const text = message.slice(0, split + 1);
  const block = message.slice(split + 2);
  if (block.length === 0) return err(logError('NOTE_MALFORMED', 'note: no signature lines'));
  const lines = block.slice(0, -1).split('\n');
  if (lines.length > MAX_NOTE_SIGNATURES) return err(logError('NOTE_MALFORMED', `note: ${lines.length} signatures, more than the ${MAX_NOTE_SIGNATURES} accepted`));
  const signatures: NoteSignature[] = [];
  for (const [i, line] of lines.entries()) {
    if (!line.startsWith(SIGNATURE_PREFIX)) return err(logError('NOTE_MALFORMED', `signature ${i + 1}: must start with an em dash and a space`));
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.indexOf(' ');
    const name = space < 0 ? rest : rest.slice(0, space);
    const bytes = space < 0 ? undefined : fromBase64(rest.slice(space + 1));
    if (!isValidKeyName(name) || !bytes || bytes.length < 5) return err(logError('NOTE_MALFORMED', `signature ${i + 1}: expected "— <name> <base64 of key ID and signature>"`));
    const keyId = (((bytes[0] as number) << 24) | ((bytes[1] as number) << 16) | ((bytes[2] as number) << 8) | (bytes[3] as number)) >>> 0;
    signatures.push({ name, keyId, bytes: bytes.subarray(4), line: `${line}\n` });
  }
  return ok({ text, signatures });
}

/** tlog-cosignature: the message a 0x04 cosignature signs. */
export function cosignatureMessage(text: string, timestamp: number): Uint8Array {
  return utf8(`cosignature/v1\ntime ${timestamp}\n${text}`);
}

function readTimestamp(bytes: Uint8Array): number | undefined {
  let value = 0;
  for (let i = 0; i < 8; i++) value = value * 256 + (bytes[i] as number);
  return Number.isSafeInteger(value) ? value : undefined;
}

function verifySignature(verifier: NoteVerifier, text: string, bytes: Uint8Array): { valid: boolean; timestamp?: number } {
  if (verifier.type === SIGNATURE_ED25519) return { valid: ed25519Verify(verifier.publicKey, utf8(text), bytes) };
  if (bytes.length !== 72) return { valid: false };
  const timestamp = readTimestamp(bytes);
  if (timestamp === undefined) return { valid: false };
  return { valid: ed25519Verify(verifier.publicKey, cosignatureMessage(text, timestamp), bytes.subarray(8)), timestamp };
}

/**
 * Verifies a note against known keys (signed-note "Verifying"): signatures whose name and
 * key ID match no known key are ignored; a signature by a known key that fails verification
 * rejects the whole note. Does not require any signature to verify: callers decide which
 * signers they need (a log, a witness quorum).
 */
export function openNote(message: string, known: readonly NoteVerifier[]): Result<OpenedNote, LogError> {
  const parsed = parseNote(message);
  if (!parsed.ok) return parsed;
  const { text, signatures } = parsed.value;
  const verified: VerifiedSignature[] = [];
  const unknown: NoteSignature[] = [];
  for (const signature of signatures) {
    const matches = known.filter((key) => key.name === signature.name && key.keyId === signature.keyId);
    if (matches.length === 0) {
      unknown.push(signature);
      continue;
    }
    for (const verifier of matches) {
      const result = verifySignature(verifier, text, signature.bytes);
      if (!result.valid) {
        return err(logError('NOTE_BAD_SIGNATURE', `signature by ${signature.name}+${keyIdHex(signature.keyId)}: does not verify over the note text`));
      }
      verified.push(result.timestamp === undefined ? { verifier, signature } : { verifier, signature, timestamp: result.timestamp });
    }
  }
  return ok({ text, verified, unknown });
}
