import canonicalize from 'canonicalize';
import { err, ok, type Result } from '@evenhand/core';
import { ed25519Sign, ed25519Verify } from '@evenhand/crypto';
import { fromBase64, fromUtf8, toBase64, toHex, utf8 } from './encoding.ts';
import { logError, type LogError } from './errors.ts';
import { HASH_SIZE, leafHash } from './hash.ts';
import { parseStrictJson, type JsonObject, type JsonValue } from './json-strict.ts';

/**
 * The entry envelope (DESIGN.md "The log"): one leaf of the log, RFC 8785 (JCS) bytes of
 *
 *   { v, log, author, seq, prev, seen: {size, root}, time, type, body, sig }
 *
 * - `v`      1, the envelope version.
 * - `log`    the log's origin, `evenhand/<treaty-id>`; binds the entry to one log.
 * - `author` the party id ("US") or "exchange" for the operator.
 * - `seq`    1 for an author's first entry, then +1 for each next entry by that author.
 * - `prev`   "" when seq is 1; otherwise the lowercase hex of the RFC 6962 leaf hash,
 *            SHA-256(0x00 ‖ bytes), of that author's previous entry (its full bytes,
 *            `sig` included). Together seq and prev chain each author's entries, which
 *            blocks replays, drops and reordering of one author's history.
 * - `seen`   the last checkpoint the author verified: tree size and base64 root. It must
 *            be a prefix of the log before this entry: a signed gossip statement.
 * - `time`   the author's clock, integer Unix seconds.
 * - `type`, `body`  a core domain entry (`DomainEntry` of @evenhand/core).
 * - `sig`    base64 Ed25519 signature over "evenhand-entry/v1\n" ‖ JCS(entry without sig).
 */
export interface SeenCheckpoint {
  readonly size: number;
  readonly root: string;
}

export interface UnsignedEntry {
  readonly v: 1;
  readonly log: string;
  readonly author: string;
  readonly seq: number;
  readonly prev: string;
  readonly seen: SeenCheckpoint;
  readonly time: number;
  readonly type: string;
  readonly body: JsonObject;
}

export interface Entry extends UnsignedEntry {
  readonly sig: string;
}

/** tlog-tiles entry bundles prefix each entry with a uint16 length: 64 KiB − 1 at most. */
export const ENTRY_MAX_BYTES = 65_535;
export const ENTRY_SIGNATURE_CONTEXT = 'evenhand-entry/v1\n';
const ENTRY_SIGNATURE_CONTEXT_BYTES = utf8(ENTRY_SIGNATURE_CONTEXT);
const FIELDS = ['author', 'body', 'log', 'prev', 'seen', 'seq', 'sig', 'time', 'type', 'v'];

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('canonicalJson: value has no JSON form');
  return text;
}

/**
 * JCS of the envelope without `sig`, as the two halves around where `sig` goes. The
 * top-level keys are fixed, so their RFC 8785 order is known, and the body (the only large
 * member) is canonicalised once for both the signed message and the signed entry.
 */
function envelopeHalves(entry: UnsignedEntry): [string, string] {
  const body = canonicalJson(entry.body);
  const seen = `{"root":${JSON.stringify(entry.seen.root)},"size":${canonicalJson(entry.seen.size)}}`;
  // RFC 8785 §3.2.3: members sorted by their UTF-16 code units; these keys are ASCII, and
  // "sig" falls between "seq" and "time", where the two halves meet.
  return [
    `{"author":${JSON.stringify(entry.author)},"body":${body},"log":${JSON.stringify(entry.log)},"prev":${JSON.stringify(entry.prev)},"seen":${seen},"seq":${canonicalJson(entry.seq)},`,
    `"time":${canonicalJson(entry.time)},"type":${JSON.stringify(entry.type)},"v":${canonicalJson(entry.v)}}`,
  ];
}

/** The exact bytes an entry's signature covers. */
export function entrySigningMessage(entry: UnsignedEntry): Uint8Array {
  const [head, tail] = envelopeHalves(entry);
  return utf8(ENTRY_SIGNATURE_CONTEXT + head + tail);
}

/** Signs an entry with its author's 32-byte Ed25519 seed; returns the entry and its leaf bytes. */
export function signEntry(unsigned: UnsignedEntry, seed: Uint8Array): { entry: Entry; bytes: Uint8Array } {
  const [head, tail] = envelopeHalves(unsigned);
  const sig = toBase64(ed25519Sign(seed, utf8(ENTRY_SIGNATURE_CONTEXT + head + tail)));
  const { v, log, author, seq, prev, seen, time, type, body } = unsigned;
  const entry: Entry = { v, log, author, seq, prev, seen, time, type, body, sig };
  return { entry, bytes: utf8(`${head}"sig":${JSON.stringify(sig)},${tail}`) };
}

/** The `prev` value that the next entry of the same author must carry. */
export function entryLink(bytes: Uint8Array): string {
  return toHex(leafHash(bytes));
}

function describe(value: JsonValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(field: string, rule: string, found: JsonValue | undefined): LogError {
  return logError('ENTRY_INVALID', `${field}: expected ${rule}, found ${describe(found)}`);
}

function checkShape(value: JsonValue): Result<Entry, LogError> {
  if (!isObject(value)) return err(invalid('(entry)', 'an object', value));
  const extra = Object.keys(value).filter((key) => !FIELDS.includes(key));
  if (extra.length > 0) return err(logError('ENTRY_INVALID', `(entry): unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}`));
  const { v, log, author, seq, prev, seen, time, type, body, sig } = value;
  if (v !== 1) return err(invalid('v', 'the envelope version 1', v));
  if (typeof log !== 'string' || log.length === 0 || log.length > 200) return err(invalid('log', 'the log origin', log));
  if (typeof author !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(author)) return err(invalid('author', 'a party id such as "US"', author));
  if (typeof seq !== 'number' || seq < 1) return err(invalid('seq', 'a positive integer', seq));
  if (typeof prev !== 'string' || !(prev === '' || /^[0-9a-f]{64}$/.test(prev))) return err(invalid('prev', '"" or 64 lowercase hex digits', prev));
  if (seq === 1 && prev !== '') return err(invalid('prev', '"" for an author\'s first entry (seq 1)', prev));
  if (seq > 1 && prev === '') return err(invalid('prev', 'the leaf hash of the author\'s previous entry when seq > 1', prev));
  if (!isObject(seen)) return err(invalid('seen', 'an object {size, root}', seen));
  const seenExtra = Object.keys(seen).filter((key) => key !== 'size' && key !== 'root');
  if (seenExtra.length > 0) return err(logError('ENTRY_INVALID', `seen: unknown field "${seenExtra[0]}"`));
  if (typeof seen.size !== 'number' || seen.size < 0) return err(invalid('seen.size', 'a tree size', seen.size));
  const seenRoot = typeof seen.root === 'string' ? fromBase64(seen.root) : undefined;
  if (!seenRoot || seenRoot.length !== HASH_SIZE) return err(invalid('seen.root', `base64 of a ${HASH_SIZE}-byte root`, seen.root));
  if (typeof time !== 'number' || time < 0) return err(invalid('time', 'Unix seconds', time));
  if (typeof type !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/.test(type)) return err(invalid('type', 'an entry type such as "request.file"', type));
  if (!isObject(body)) return err(invalid('body', 'an object', body));
  const sigBytes = typeof sig === 'string' ? fromBase64(sig) : undefined;
  if (!sigBytes || sigBytes.length !== 64) return err(invalid('sig', 'base64 of a 64-byte Ed25519 signature', sig));
  return ok(value as unknown as Entry);
}

/**
 * Strict parsing of an entry's bytes. Each rejection has its own code: ENTRY_TOO_LARGE,
 * ENTRY_MALFORMED (not UTF-8 or not JSON), ENTRY_DUPLICATE_KEY, ENTRY_UNSAFE_NUMBER,
 * ENTRY_NOT_CANONICAL (bytes ≠ JCS(parse(bytes))), ENTRY_INVALID (fields).
 */
export function parseEntry(bytes: Uint8Array): Result<Entry, LogError> {
  if (bytes.length > ENTRY_MAX_BYTES) return err(logError('ENTRY_TOO_LARGE', `(entry): ${bytes.length} bytes, more than the ${ENTRY_MAX_BYTES} allowed`));
  const text = fromUtf8(bytes);
  if (text === undefined) return err(logError('ENTRY_MALFORMED', '(entry): not valid UTF-8'));
  const fast = canonicalValue(text);
  if (fast !== undefined) return checkShape(fast);
  const parsed = parseStrictJson(text);
  if (!parsed.ok) return parsed;
  if (canonicalJson(parsed.value) !== text) {
    return err(logError('ENTRY_NOT_CANONICAL', '(entry): the bytes are not the RFC 8785 canonical form of their JSON value'));
  }
  return checkShape(parsed.value);
}

/**
 * The fast path of parseEntry, for the common case of a well-formed entry: JSON.parse, then
 * JSON.stringify(value) = text with every object's keys in ascending UTF-16 order and every
 * number a safe integer. That is exactly JCS (RFC 8785 §3.2.2 serialises strings and numbers
 * as ECMAScript's JSON.stringify does, §3.2.3 sorts members by UTF-16 code units), without
 * sorting anything. Equality also rules out duplicate keys (JSON.parse keeps one, so the text
 * would be longer). V8 enumerates integer-like keys first, so an object with such keys fails
 * here even when canonical; texts with a \u escape may hold lone surrogates. Any doubt returns
 * undefined, and the strict reader decides with the exact code.
 */
function canonicalValue(text: string): JsonValue | undefined {
  if (text.includes('\\u')) return undefined;
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
  if (!sortedWithSafeNumbers(value, 0) || JSON.stringify(value) !== text) return undefined;
  return value;
}

function sortedWithSafeNumbers(value: JsonValue, depth: number): boolean {
  if (depth > 64) return false;
  if (typeof value === 'number') return Number.isSafeInteger(value);
  if (typeof value !== 'object' || value === null) return true;
  if (Array.isArray(value)) return value.every((item) => sortedWithSafeNumbers(item, depth + 1));
  let previous: string | undefined;
  for (const key in value) {
    if (previous !== undefined && !(previous < key)) return false;
    if (!sortedWithSafeNumbers(value[key] as JsonValue, depth + 1)) return false;
    previous = key;
  }
  return true;
}

/**
 * The signed message recovered from an entry's canonical bytes by cutting out the `sig`
 * member, which avoids decoding and canonicalising the body again. Only the time (a number),
 * the type (letters, digits, dots, dashes) and v (a number) follow `sig`, all ASCII, so the
 * member's byte offset counts back from the end; every byte of it and of the tail is checked
 * against the parsed entry before the cut. Returns the message as parts, to spare a copy.
 */
function signingMessageFromBytes(entry: Entry, bytes: Uint8Array): Uint8Array[] | undefined {
  const member = `"sig":${JSON.stringify(entry.sig)},`;
  const tail = `"time":${entry.time},"type":${JSON.stringify(entry.type)},"v":${entry.v}}`;
  const at = bytes.length - tail.length - member.length;
  if (at < 1 || bytes[at - 1] !== 0x2c || !asciiAt(bytes, at, member + tail)) return undefined;
  return [ENTRY_SIGNATURE_CONTEXT_BYTES, bytes.subarray(0, at), bytes.subarray(at + member.length)];
}

function asciiAt(bytes: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * What the author's signature covers and the signature itself, or undefined when `sig` is not
 * base64. With `bytes` (the entry's canonical bytes, as parseEntry accepted them) the message
 * is cut from them. The exchange hands these to another thread to verify ahead of sequencing.
 */
export function entrySignedParts(entry: Entry, bytes?: Uint8Array): { readonly message: Uint8Array | Uint8Array[]; readonly signature: Uint8Array } | undefined {
  const signature = fromBase64(entry.sig);
  if (!signature) return undefined;
  return { message: (bytes && signingMessageFromBytes(entry, bytes)) ?? entrySigningMessage(entry), signature };
}

/**
 * Verifies the author's Ed25519 signature under a raw 32-byte public key. With `bytes` (the
 * entry's canonical bytes, as parseEntry accepted them) the message is cut from them.
 */
export function verifyEntrySignature(entry: Entry, publicKey: Uint8Array, bytes?: Uint8Array): Result<true, LogError> {
  const signed = entrySignedParts(entry, bytes);
  if (!signed || !ed25519Verify(publicKey, signed.message, signed.signature)) {
    return err(logError('ENTRY_BAD_SIGNATURE', `sig: not a valid signature by ${entry.author} over entry seq ${entry.seq}`));
  }
  return ok(true);
}

/** The domain part of an entry, as core's `apply` takes it. */
export function domainPart(entry: Entry): { author: string; time: number; type: string; body: JsonObject } {
  return { author: entry.author, time: entry.time, type: entry.type, body: entry.body };
}

