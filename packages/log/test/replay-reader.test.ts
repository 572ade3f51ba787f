import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeStateDelta, encodeStateHeader, genesis, mapEntryIterator, mapGet, SnapshotValueRefused } from '@evenhand/core';
import { CaseIndex, linesApart, pairKeyEnd, plainTextPair, recordPlace, ReplayLineReader, ReplayReader, toBase64 } from '../src/index.ts';

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

test('a record kept apart is given by its place, `["key",block,start,end]`, read from its bytes as JSON.parse reads it (issue 14)', () => {
  // Any three numbers, often places as written, often not: a place is given exactly when the line is three whole numbers as JSON.stringify writes them, start ≤ end.
  const number = fc.oneof(fc.nat(), fc.nat({ max: 9 }), fc.constantFrom(-1, 0.5, 1e21, 2 ** 53, Number.MAX_SAFE_INTEGER));
  const tail = fc.oneof(
    fc.tuple(number, number, number).map((three) => three.join(',')),
    fc.constantFrom('01,0,1', '0,0,1,2', '0,,1', '0,1', ' 0,0,1', '0,0,1 ', '"0",0,1', '0,0,+1', '0,0,1e3', '1234567890123456,0,1', ''),
  );
  fc.assert(
    fc.property(tail, (numbers) => {
      const line = lineIn(`["US-1",${numbers}]`);
      const place = recordPlace(line, pairKeyEnd(line));
      let parsed: unknown;
      try {
        parsed = JSON.parse(`[${numbers}]`);
      } catch {
        parsed = undefined;
      }
      const isPlace = Array.isArray(parsed) && parsed.length === 3 && parsed.every((n) => Number.isSafeInteger(n) && n >= 0 && String(n).length <= 15) && parsed[1] <= parsed[2] && `[${numbers}]` === JSON.stringify(parsed);
      assert.deepEqual(place, isPlace ? parsed : undefined, numbers);
    }),
    { numRuns: 2_000 },
  );
});

test('a whole snapshot\'s lines with its records kept apart: each record\'s text kept, its line its place, every other line as it was (issue 14)', () => {
  const records = [['US-1', { id: 'US-1', n: 1 }], ['US-2', { id: 'US-2', text: 'ключ "q"' }]];
  const lines = [{ v: 2, state: { requests: 2 } }, ...records, ['0', 'US-1'], ['1', 'US-2']];
  const kept: string[] = [];
  const apart = [...linesApart(lines, (text) => {
    kept.push(text);
    return [7, kept.length, kept.length + text.length];
  })];
  assert.deepEqual(kept, records.map(([, record]) => JSON.stringify(record)));
  assert.deepEqual(apart, [lines[0], ['US-1', 7, 1, 1 + kept[0]!.length], ['US-2', 7, 2, 2 + kept[1]!.length], ['0', 'US-1'], ['1', 'US-2']]);
  // A value that gives its own JSON text (a record on a service's shelf) is kept as that text.
  const shelved = { jsonText: () => '{"id":"US-1","shelved":true}' };
  const texts: string[] = [];
  [...linesApart([{ state: { requests: 1 } }, ['US-1', shelved]], (text) => (texts.push(text), [0, 0, text.length]))];
  assert.deepEqual(texts, ['{"id":"US-1","shelved":true}']);
});

test('a reader with blocks reads a record line as its place, and keeps the record unread in its block (issue 14)', () => {
  const encoder = new TextEncoder();
  const block = encoder.encode('{}{"id":"US-1"}');
  let made = 0;
  const blocks = (index: number) => (index === 3 ? { bytes: () => (made++, block) } : undefined);
  const withRecords = (requests: number) => JSON.parse(JSON.stringify(header({ state: { ...encodeStateHeader(genesis()), requests, requestIds: requests } })));
  const refusals: string[] = [];
  const parse = (at: { source: Uint8Array; start: number; end: number }) => JSON.parse(new TextDecoder().decode(at.source.subarray(at.start, at.end)));
  // Read to the end, then the record read: from its place, so that its refusal is of its shape, not of its JSON.
  for (const [place, refusal] of [['3,2,15', /^SNAPSHOT_SHAPE: state\.requests\.US-1/], ['3,1,15', /its value does not read \(Unexpected/], ['3,2,16', /its value does not read \(its text ends at byte 16 of a block of 15\)/]] as const) {
    const reader = ReplayReader.start(withRecords(1), { refused: (error) => refusals.push(`${error.code}: ${error.message}`) }, blocks);
    assert.ok(reader.ok);
    made = 0;
    assert.equal(codeOf(reader.value.pairLine(lineIn(`["US-1",${place}]`), () => assert.fail('a place is read from its bytes'))), 'ok');
    assert.equal(codeOf(reader.value.pairLine(lineIn('["0","US-1"]'), parse)), 'ok');
    assert.equal(made, 0, 'the block is not decompressed while the snapshot is read');
    const read = reader.value.finish();
    assert.ok(read.ok, codeOf(read));
    assert.throws(() => mapGet(read.value.state.requests, 'US-1'), SnapshotValueRefused);
    assert.equal(made, 1, 'decompressed at the reading');
    assert.match(refusals.at(-1)!, refusal, place);
  }
  // A place in no block, or a record written in its line, where the records are kept apart: refused.
  const reader = ReplayReader.start(withRecords(2), { refused: () => assert.fail('nothing is read here') }, blocks);
  assert.ok(reader.ok);
  assert.match(codeOf(reader.value.pairLine(lineIn('["US-2",4,0,2]'), parse)), /^SNAPSHOT_SHAPE: state\.requests "US-2": expected \[key, block, start, end\]/);
  assert.match(codeOf(reader.value.pairLine(lineIn('["US-2",{"id":"US-2"}]'), parse)), /^SNAPSHOT_SHAPE: state\.requests "US-2": expected \[key, block, start, end\]/);
  // Records of another version's schema (no `unread`): read from the block at once, and checked as a line would be.
  made = 0;
  const eager = ReplayReader.start(withRecords(1), undefined, blocks);
  assert.ok(eager.ok);
  assert.match(codeOf(eager.value.pairLine(lineIn('["US-1",3,2,15]'), parse)), /^SNAPSHOT_SHAPE: state\.requests/);
  assert.equal(made, 1);
  assert.match(codeOf(eager.value.pairLine(lineIn('["US-1",3,1,15]'), parse)), /^SNAPSHOT_SHAPE: state\.requests "US-1": its value does not read \(Unexpected/);
  // A text that is not UTF-8, and a block that does not decompress: refused as the line would have been.
  const broken = (index: number) => (index === 0 ? { bytes: () => new Uint8Array([0x22, 0xff, 0x22]) } : { bytes: () => assert.fail('no block') as never });
  for (const [place, refusal] of [['0,0,3', /its value does not read \(.*(encoded|UTF-8|utf-8)/i], ['1,0,3', /its value does not read \(no block/]] as const) {
    const reading = ReplayReader.start(withRecords(1), undefined, broken);
    assert.ok(reading.ok);
    assert.match(codeOf(reading.value.pairLine(lineIn(`["US-1",${place}]`), parse)), refusal, place);
  }
});
