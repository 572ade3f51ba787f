import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  canonicalJson, ENTRY_MAX_BYTES, entryLink, entrySigningMessage, EntryVerifier, makeSigner, parseEntry, parseStrictJson, signEntry, toBase64, treatyOrigin, utf8,
  type UnsignedEntry,
  type EntryTimeContext,
} from '../src/index.ts';
import { seedOf } from './helpers.ts';

const origin = treatyOrigin('us-ru-2021');
const us = makeSigner('US', seedOf('author:US'));
const ru = makeSigner('RU', seedOf('author:RU'));
const keys = (author: string) => (author === 'US' ? us.publicKey : author === 'RU' ? ru.publicKey : undefined);

function unsigned(over: Partial<UnsignedEntry> = {}): UnsignedEntry {
  return {
    v: 1, log: origin, author: 'US', seq: 1, prev: '', seen: { size: 0, root: '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
    time: 1_625_000_000, type: 'request.acknowledge', body: { request: 'US-2021-001' }, ...over,
  };
}

function codeOf(bytes: Uint8Array): string {
  const result = parseEntry(bytes);
  return result.ok ? 'OK' : result.error.code;
}

test('a signed entry is canonical JSON, parses back, and its fields are in JCS order', () => {
  const { entry, bytes } = signEntry(unsigned(), us.seed);
  const text = new TextDecoder().decode(bytes);
  assert.ok(text.startsWith('{"author":"US","body":{"request":"US-2021-001"},"log":"evenhand/us-ru-2021","prev":"","seen":{'));
  const parsed = parseEntry(bytes);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.value, entry);
});

test('strict parsing: one code per rejection', () => {
  const { entry, bytes } = signEntry(unsigned(), us.seed);
  const text = new TextDecoder().decode(bytes);
  // Non-canonical: whitespace, and keys out of order.
  assert.equal(codeOf(utf8(text.replace('{"author"', '{ "author"'))), 'ENTRY_NOT_CANONICAL');
  const { v, ...rest } = entry;
  assert.equal(codeOf(utf8(JSON.stringify({ v, ...rest }))), 'ENTRY_NOT_CANONICAL');
  // Duplicate keys, which JSON.parse would silently collapse.
  const duplicated = text.replace('"author":"US",', '"author":"RU","author":"US",');
  assert.equal(JSON.parse(duplicated).author, 'US');
  assert.equal(codeOf(utf8(duplicated)), 'ENTRY_DUPLICATE_KEY');
  const nestedDuplicate = parseStrictJson('{"a":{"b":1,"b":2}}');
  assert.equal(nestedDuplicate.ok ? '' : nestedDuplicate.error.message, 'a.b: the key "b" appears twice');
  // Unsafe numbers: beyond 2^53 − 1, fractions, exponents.
  assert.equal(codeOf(utf8(text.replace('"time":1625000000', '"time":9007199254740993'))), 'ENTRY_UNSAFE_NUMBER');
  assert.equal(codeOf(utf8(text.replace('"time":1625000000', '"time":1.5'))), 'ENTRY_UNSAFE_NUMBER');
  assert.equal(codeOf(utf8(text.replace('"time":1625000000', '"time":1e3'))), 'ENTRY_UNSAFE_NUMBER');
  // Too large, checked before anything else.
  const big = signEntry(unsigned({ body: { request: 'x', pad: 'a'.repeat(ENTRY_MAX_BYTES) } }), us.seed);
  assert.equal(codeOf(big.bytes), 'ENTRY_TOO_LARGE');
  // Not JSON or not UTF-8.
  assert.equal(codeOf(utf8('{"v":1')), 'ENTRY_MALFORMED');
  assert.equal(codeOf(Uint8Array.of(0x7b, 0xff, 0x7d)), 'ENTRY_MALFORMED');
  // Field rules name the field.
  const badSeq = parseEntry(utf8(canonicalJson({ ...entry, seq: 0 })));
  assert.equal(badSeq.ok ? '' : badSeq.error.message, 'seq: expected a positive integer, found number 0');
  const extra = parseEntry(utf8(canonicalJson({ ...entry, extra: true })));
  assert.equal(extra.ok ? '' : extra.error.code, 'ENTRY_INVALID');
});

/** Times are not at stake here (time-rules.test.ts): the `seen` checkpoints have no archive. */
const UNTIMED: EntryTimeContext = { skewSeconds: 300, seenWitnessedAt: 'unchecked' };

test('EntryVerifier: signatures, origin, chains, replays and seen', () => {
  const verifier = new EntryVerifier(origin, keys);
  const first = signEntry(unsigned(), us.seed);
  assert.ok(verifier.add(first.bytes, UNTIMED).ok);
  const rootAfter1 = toBase64(verifier.tree.root());
  const second = signEntry(unsigned({ seq: 2, prev: entryLink(first.bytes), seen: { size: 1, root: rootAfter1 } }), us.seed);
  const code = (bytes: Uint8Array) => {
    const result = verifier.check(bytes, UNTIMED);
    return result.ok ? 'OK' : result.error.code;
  };
  assert.equal(code(second.bytes), 'OK');
  assert.equal(code(signEntry(unsigned({ seq: 2, prev: entryLink(first.bytes), seen: { size: 1, root: rootAfter1 }, log: 'evenhand/other' }), us.seed).bytes), 'ENTRY_WRONG_ORIGIN');
  assert.equal(code(signEntry(unsigned({ seq: 2, prev: entryLink(first.bytes), seen: { size: 1, root: rootAfter1 } }), ru.seed).bytes), 'ENTRY_BAD_SIGNATURE');
  assert.equal(code(signEntry(unsigned({ author: 'CH' }), us.seed).bytes), 'ENTRY_UNKNOWN_AUTHOR');
  assert.equal(code(first.bytes), 'ENTRY_REPLAYED');
  assert.equal(code(signEntry(unsigned({ seq: 3, prev: entryLink(first.bytes) }), us.seed).bytes), 'ENTRY_CHAIN_BROKEN');
  assert.equal(code(signEntry(unsigned({ seq: 2, prev: 'ab'.repeat(32) }), us.seed).bytes), 'ENTRY_CHAIN_BROKEN');
  assert.equal(code(signEntry(unsigned({ seq: 2, prev: entryLink(first.bytes), seen: { size: 2, root: rootAfter1 } }), us.seed).bytes), 'ENTRY_SEEN_NOT_PREFIX');
  assert.equal(code(signEntry(unsigned({ seq: 2, prev: entryLink(first.bytes), seen: { size: 1, root: toBase64(new Uint8Array(32)) } }), us.seed).bytes), 'ENTRY_SEEN_NOT_PREFIX');
  // Another author starts its own chain at seq 1.
  assert.ok(verifier.add(second.bytes, UNTIMED).ok);
  assert.ok(verifier.add(signEntry(unsigned({ author: 'RU', seen: { size: 2, root: toBase64(verifier.tree.root()) } }), ru.seed).bytes, UNTIMED).ok);
  assert.equal(verifier.tree.size, 3);
});

test('the envelope assembled member by member equals canonicalize() of the whole entry', () => {
  const weird = unsigned({ author: 'exchange', type: 'request.file', body: { z: [1, { b: 'é', a: '\u2028' }], a: 'x"y\\', 'ü': null, '\u00e9': true, '1': 2 } });
  const { entry, bytes } = signEntry(weird, us.seed);
  assert.equal(new TextDecoder().decode(bytes), canonicalJson(entry));
  const { sig: _sig, ...rest } = entry;
  assert.equal(new TextDecoder().decode(entrySigningMessage(weird)), `evenhand-entry/v1\n${canonicalJson(rest)}`);
});
