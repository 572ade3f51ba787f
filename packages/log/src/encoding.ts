/**
 * Byte encodings used by the C2SP text formats. Written over the web-standard globals
 * (TextEncoder, btoa, atob) so that the package needs no `node:` import.
 */

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

/** Decodes UTF-8, or returns undefined for invalid sequences (signed-note and JSON need valid UTF-8). */
export function fromUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Standard base64 with padding (RFC 4648 §4), the encoding of every C2SP format. */
export function toBase64(bytes: Uint8Array): string {
  // Node's encoder where there is one (a receipt and an entry signature each, per append: issue
  // 14 found the portable loop below a few percent of an append's time); btoa elsewhere.
  if (typeof Buffer === 'function') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  let binary = '';
  const chunk = 0x8000;
  for (let at = 0; at < bytes.length; at += chunk) {
    binary += String.fromCharCode(...bytes.subarray(at, at + chunk));
  }
  return btoa(binary);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** The 6-bit value of each ASCII code in the standard alphabet (RFC 4648 §4, table 1), else -1. */
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;

function sextet(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return code < 128 ? BASE64_VALUES[code]! : -1;
}

/**
 * Decodes strict base64: padded, standard alphabet, and canonical (unused bits zero, RFC 4648
 * §3.5), so that each byte string has exactly one accepted text form. Every entry's signature
 * and seen root pass through here on replay, hence a table rather than atob and a re-encode.
 */
export function fromBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let out = 0;
  for (let at = 0; at < text.length; at += 4) {
    const final = at + 4 === text.length;
    const a = sextet(text, at);
    const b = sextet(text, at + 1);
    const c = final && padding === 2 ? 0 : sextet(text, at + 2);
    const d = final && padding > 0 ? 0 : sextet(text, at + 3);
    if ((a | b | c | d) < 0) return undefined;
    const group = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[out++] = group >>> 16;
    // "xx==" carries one byte: the last 4 bits of b must be zero; "xxx=" two: c's last 2 bits.
    if (final && padding === 2) return (group & 0xffff) === 0 ? bytes : undefined;
    bytes[out++] = (group >>> 8) & 0xff;
    if (final && padding === 1) return (group & 0xff) === 0 ? bytes : undefined;
    bytes[out++] = group & 0xff;
  }
  return bytes;
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX_BYTES[byte]!;
  return out;
}

/** Decodes lowercase hex only (one text form per byte string). */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Parses a decimal with no leading zeros (C2SP sizes and indexes) into a safe integer. */
export function parseDecimal(text: string): number | undefined {
  if (!/^(0|[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}
