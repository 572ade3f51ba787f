import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeStateDelta, encodeStateHeader, genesis, mapEntryIterator } from '@evenhand/core';
import { CaseIndex, pairKeyEnd, plainTextPair, ReplayLineReader, ReplayReader, toBase64 } from '../src/index.ts';

/** A snapshot's first line, as replaySnapshotLines writes it, of a log with no entries. */
const header = (edit: Record<string, unknown> = {}) => ({
  v: 2,
  size: 0,
  root: toBase64(new Uint8Array(32)),
  state: encodeStateHeader(genesis()),
  chains: [],
  times: {},
  treaties: [],
  cases: new CaseIndex().toData(),
  ...edit,
});

const codeOf = (result: { ok: boolean; error?: { code: string; message: string } }) => (result.ok ? 'ok' : `${result.error!.code}: ${result.error!.message}`);

test('ReplayReader reads a header, then deltas, and refuses what is not of their shape (issue 14)', () => {
  const reader = ReplayReader.start(JSON.parse(JSON.stringify(header())));
  assert.ok(reader.ok);
  const delta = JSON.parse(JSON.stringify({ ...header(), state: encodeStateDelta(genesis(), genesis()), cases: new CaseIndex().takeChanges() }));
  assert.equal(codeOf(reader.value.delta(delta)), 'ok');
  const read = reader.value.finish();
  assert.ok(read.ok);
  assert.equal(read.value.size, 0);

  // A snapshot written as one JSON text before lines, a member missing or added, another size.
  assert.match(codeOf(ReplayReader.start(header({ v: 1 }))), /^SNAPSHOT_SHAPE: snapshot\.v: expected 2/);
  const { chains: _chains, ...missing } = header();
  assert.match(codeOf(ReplayReader.start(missing)), /^SNAPSHOT_SHAPE: snapshot\.chains: missing/);
  assert.match(codeOf(ReplayReader.start(header({ extra: 1 }))), /^SNAPSHOT_SHAPE/);
  assert.match(codeOf(ReplayReader.start(null)), /^SNAPSHOT_SHAPE/);
  const sized = ReplayReader.start(header({ size: 1 }));
  assert.ok(sized.ok);
  assert.match(codeOf(sized.value.finish()), /^SNAPSHOT_INCONSISTENT: state\.size: 0/);

  // After the header: no pair beyond the counts it gives, and no delta of another version or base.
  const again = ReplayReader.start(header());
  assert.ok(again.ok);
  assert.match(codeOf(again.value.pair(['US-1', {}])), /^SNAPSHOT_SHAPE: state: a pair beyond the counts/);
  assert.match(codeOf(again.value.delta({ ...delta, v: 1 })), /^SNAPSHOT_SHAPE: delta\.v: expected 2/);
  assert.match(codeOf(again.value.delta({ ...delta, state: { ...delta.state, base: 5 } })), /^SNAPSHOT_INCONSISTENT: delta\.base/);
  // A delta's case index is merged when the reader finishes: one that is not a delta of it is refused there.
  assert.equal(codeOf(again.value.delta({ ...delta, cases: null })), 'ok');
  assert.match(codeOf(again.value.finish()), /^SNAPSHOT_SHAPE: cases delta 0/);
});

test('ReplayLineReader starts a reader on its first line and takes each line after it as a pair', () => {
  const refused = new ReplayLineReader();
  assert.match(codeOf(refused.line(header({ v: 1 }))), /^SNAPSHOT_SHAPE: snapshot\.v: expected 2/);
  assert.equal(refused.reader, undefined);
  const lines = new ReplayLineReader();
  assert.equal(codeOf(lines.line(JSON.parse(JSON.stringify(header())))), 'ok');
  assert.ok(lines.reader);
  // A log with no entries announces no pairs: a second line is one too many.
  assert.match(codeOf(lines.line(['US-1', {}])), /^SNAPSHOT_SHAPE: state: a pair beyond the counts/);
  assert.ok(lines.reader.finish().ok);
});

test('a pair line `["key",value]` with a plain key is handed over unread, any other record line parsed whole (issue 14)', () => {
  const encoder = new TextEncoder();
  const line = (text: string) => {
    const source = encoder.encode(`??${text}!`);
    return { source, start: 2, end: source.length - 1 };
  };
  const withRecords = header({ state: { ...encodeStateHeader(genesis()), requests: 4 } });
  const reader = ReplayReader.start(JSON.parse(JSON.stringify(withRecords)), { refused: () => assert.fail('nothing is read here') });
  assert.ok(reader.ok);
  const parsed: unknown[] = [];
  const parse = (at: { source: Uint8Array; start: number; end: number }) => {
    const value = JSON.parse(new TextDecoder().decode(at.source.subarray(at.start, at.end)));
    parsed.push(value);
    return value;
  };
  // Kept unread: not parsed, not checked (an empty record would be refused if it were).
  assert.equal(codeOf(reader.value.pairLine(line('["US-1",{}]'), parse)), 'ok');
  assert.equal(codeOf(reader.value.pairLine(line('["",{}]'), parse)), 'ok');
  assert.deepEqual(parsed, []);
  assert.match(codeOf(reader.value.pairLine(line('["US-1",{}]'), parse)), /^SNAPSHOT_DUPLICATE_KEY/);
  // A key with an escape or a character beyond ASCII, or a line not cut as a pair: parsed whole, and the empty record refused at once.
  for (const text of ['["US-\\"2",{}]', '["ключ",{}]', '["US-3" ,{}]', '{"US-4":{}}']) {
    assert.match(codeOf(reader.value.pairLine(line(text), parse)), /^SNAPSHOT_SHAPE/, text);
  }
  assert.equal(parsed.length, 4);
  // Without `unread`, a record's line is parsed.
  const eager = new ReplayLineReader();
  assert.equal(codeOf(eager.lineBytes(line(JSON.stringify(withRecords)), parse)), 'ok');
  assert.match(codeOf(eager.lineBytes(line('["US-1",{}]'), parse)), /^SNAPSHOT_SHAPE/);
});

/** A line's bytes in a larger buffer, as a decompressed chunk holds it. */
const lineIn = (text: string) => {
  const source = new TextEncoder().encode(`x\n${text}\ny`);
  return { source, start: 2, end: source.length - 2 };
};

test('a pair of two plain texts is read from its bytes, as JSON.parse reads it; any other line is parsed (issue 14)', () => {
  const plainOf = (line: { source: Uint8Array; start: number; end: number }) => {
    const close = pairKeyEnd(line);
    return close < 0 ? undefined : plainTextPair(line, close);
  };
  const plain = (text: string) => plainOf(lineIn(text));
  assert.deepEqual(plain('["0","US-G0"]'), ['0', 'US-G0']);
  assert.deepEqual(plain('["228531","RU-G228531"]'), ['228531', 'RU-G228531']);
  assert.deepEqual(plain('["a",""]'), ['a', '']);
  assert.deepEqual(plain('["","a"]'), ['', 'a']);
  assert.deepEqual(plain('["a"," ~!#/"]'), ['a', ' ~!#/']);
  // Longer than a call's arguments can carry as character codes.
  const long = 'x'.repeat(200_000);
  assert.deepEqual(plain(JSON.stringify(['a', long])), ['a', long]);
  assert.deepEqual(plain(JSON.stringify([long, 'b'])), [long, 'b']);
  // Not plain, or not a pair of texts: left to JSON.parse, which reads it or refuses it.
  for (const text of ['["a","b\\"c"]', '["a","\\n"]', '["a","ключ"]', '["a","]', '["a",5]', '["a","b" ]', '["a","b"', '["a",["b"]]', '["a","b","c"]', '["a","b"] ']) {
    assert.equal(plain(text), undefined, text);
  }
  // The law, over pairs of texts of every kind, plain ones often: what is cut from the bytes, when anything is, is what JSON.parse gives, and plain texts always are.
  const plainText = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '~', '/', '-'), maxLength: 10 });
  const anyText = fc.oneof(plainText, fc.string({ unit: fc.constantFrom('a', '"', '\\', '\n', 'é', '\u0000', '\u007f'), maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 8 }));
  fc.assert(
    fc.property(fc.tuple(anyText, anyText), (pair) => {
      const text = JSON.stringify(pair);
      const read = plain(text);
      if (read !== undefined) assert.deepEqual(read, JSON.parse(text));
      if (pair.every((part) => /^[ !#-\[\]-~]*$/.test(part))) assert.deepEqual(read, pair);
    }),
    { numRuns: 1_000 },
  );
  // And over lines of any bytes between the pair's quotes: cut only where the bytes are JSON that reads so.
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (key, value) => {
      const bytes = new Uint8Array([...new TextEncoder().encode('x["'), ...key, ...new TextEncoder().encode('","'), ...value, ...new TextEncoder().encode('"]y')]);
      const read = plainOf({ source: bytes, start: 1, end: bytes.length - 1 });
      if (read === undefined) return;
      assert.deepEqual(read, JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(1, bytes.length - 1))));
    }),
    { numRuns: 1_000 },
  );
});

test('a snapshot\'s map read from plain pairs holds what the same pairs read parsed hold (issue 14)', () => {
  // Officials by key: a map of texts that no other member is checked against, so a state finishes with it alone.
  const withKeys = header({ state: { ...encodeStateHeader(genesis()), officials: { ...(encodeStateHeader(genesis()).officials as Record<string, unknown>), byKey: 2 } } });
  const read = (texts: string[]) => {
    const lines = new ReplayLineReader();
    const parsed: string[] = [];
    const parse = (line: { source: Uint8Array; start: number; end: number }) => {
      const text = new TextDecoder().decode(line.source.subarray(line.start, line.end));
      parsed.push(text);
      return JSON.parse(text);
    };
    assert.equal(codeOf(lines.lineBytes(lineIn(JSON.stringify(withKeys)), parse)), 'ok');
    const results = texts.map((text) => codeOf(lines.lineBytes(lineIn(text), parse)));
    const finished = lines.reader!.finish();
    assert.ok(finished.ok, codeOf(finished));
    return { results, parsed: parsed.slice(1), byKey: [...mapEntryIterator(finished.value.state.officials.byKey)].sort() };
  };
  const fast = read(['["key-1","US/alice"]', '["key-2","RU/boris"]']);
  // The same texts, written with escapes: JSON.parse reads them.
  const slow = read(['["key-\\u0031","US\\/alice"]', '["key-2","RU\\/\\u0062oris"]']);
  assert.deepEqual(fast.results, ['ok', 'ok']);
  assert.deepEqual(fast.parsed, [], 'plain pairs are not parsed');
  assert.equal(slow.parsed.length, 2, 'escaped texts are parsed');
  assert.deepEqual(fast.byKey, [['key-1', 'US/alice'], ['key-2', 'RU/boris']]);
  assert.deepEqual(fast.byKey, slow.byKey);
  // A key given twice is a duplicate either way.
  const twice = new ReplayLineReader();
  assert.equal(codeOf(twice.lineBytes(lineIn(JSON.stringify(withKeys)), () => JSON.parse(JSON.stringify(withKeys)))), 'ok');
  assert.equal(codeOf(twice.lineBytes(lineIn('["key-1","US/alice"]'), () => assert.fail('not parsed'))), 'ok');
  assert.match(codeOf(twice.lineBytes(lineIn('["key-1","US/carol"]'), () => assert.fail('not parsed'))), /^SNAPSHOT_DUPLICATE_KEY/);
});
