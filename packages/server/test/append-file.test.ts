import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppendFile } from '../src/replay/append-file.ts';

test('an append file reads back what it was given, and lets go of what a failed write did not write', () => {
  const file = new AppendFile('the test file');
  const first = file.append(new Uint8Array([1, 2, 3]));
  file.flush();
  const second = file.append(new Uint8Array([4, 5]));
  assert.deepEqual([...file.read(first, 3)], [1, 2, 3]);
  assert.deepEqual([...file.read(second, 2)], [4, 5], 'read before its flush: written first');
  assert.equal(file.size, 5);
  file.append(new Uint8Array(1_000));
  file.close();
  assert.throws(() => file.flush(), /the test file was written after it was closed/);
  file.dropUnwritten();
  assert.equal(file.size, 5, 'what was not written is let go of');
});
