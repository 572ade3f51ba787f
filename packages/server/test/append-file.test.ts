import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppendFile } from '../src/replay/append-file.ts';

test('an append file reads back what it was given, and lets go of what a failed write did not write', () => {
  const file = new AppendFile('the test file');
  const first = file.append(new Uint8Array([1, 2, 3]));
  file.flush();
  const second = file.append(new Uint8Array([4, 5]));
  assert.deepEqual([...file.readInto(first, new Uint8Array(3))], [1, 2, 3]);
  assert.deepEqual([...file.readInto(second, new Uint8Array(2))], [4, 5], 'read before its flush: written first');
  assert.equal(file.size, 5);
  file.append(new Uint8Array(1_000));
  file.close();
  assert.throws(() => file.flush(), /the test file was written after it was closed/);
  file.dropUnwritten();
  assert.equal(file.size, 5, 'what was not written is let go of');
});

test('an append file reads texts back through one shared buffer, short or long, and each stays as it was read', () => {
  const file = new AppendFile('the test file');
  // Multi-byte characters, a text longer than the buffer has grown to, and one beyond what it ever takes (256 KiB).
  const texts = ['{"a":"ß→😀"}', 'x'.repeat(5_000), 'é'.repeat(200_000), 'y'.repeat(300_000), 'short'];
  const places = texts.map((text) => {
    const bytes = Buffer.from(text, 'utf8');
    return { at: file.append(bytes), length: bytes.length };
  });
  const read = places.map(({ at, length }) => file.readText(at, length));
  assert.deepEqual(read, texts, 'each text as written, none changed by the reads after it');
  assert.equal(file.readText(places[0]!.at, places[0]!.length), texts[0], 'a short text after a long one: the buffer read to its length only');
  file.close();
});
