import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeStateDelta, encodeStateHeader, genesis } from '@evenhand/core';
import { CaseIndex, ReplayLineReader, ReplayReader, toBase64 } from '../src/index.ts';

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

test('a pair line `["key",value]` with a plain key is handed over unread, any other line parsed whole (issue 14)', () => {
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
  // Without `unread`, every line is parsed.
  const eager = new ReplayLineReader();
  assert.equal(codeOf(eager.lineBytes(line(JSON.stringify(withRecords)), parse)), 'ok');
  assert.match(codeOf(eager.lineBytes(line('["US-1",{}]'), parse)), /^SNAPSHOT_SHAPE/);
});
