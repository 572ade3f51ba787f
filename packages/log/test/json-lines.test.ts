import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JsonLines } from '../src/json-lines.ts';

const encoder = new TextEncoder();

/** The values of `bytes` read in chunks of `size` bytes. */
function readInChunks(bytes: Uint8Array, size: number): unknown[] {
  const lines = new JsonLines();
  const out: unknown[] = [];
  for (let at = 0; at < bytes.length; at += size) out.push(...lines.push(bytes.subarray(at, at + size)));
  out.push(...lines.end());
  return out;
}

describe('JsonLines (issue 14, a snapshot read a line at a time)', () => {
  it('reads every value back, whatever the chunks cut, characters of several bytes included', () => {
    fc.assert(
      fc.property(fc.array(fc.jsonValue(), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 9 }), fc.boolean(), (values, size, lastLineFeed) => {
        const text = values.map((value) => JSON.stringify(value)).join('\n') + (lastLineFeed ? '\n' : '');
        assert.deepEqual(readInChunks(encoder.encode(text), size), JSON.parse(JSON.stringify(values)));
      }),
      { numRuns: 200 },
    );
    const wide = ['é', '€', '😀', { key: 'ключ 😀' }];
    const bytes = encoder.encode(wide.map((value) => JSON.stringify(value)).join('\n'));
    for (let size = 1; size <= 6; size++) assert.deepEqual(readInChunks(bytes, size), wide, `chunks of ${size}`);
  });

  it('counts the values read, and `all` reads a whole text', () => {
    const lines = new JsonLines();
    assert.deepEqual([...lines.all(encoder.encode('1\n[2]\n{"a":3}'))], [1, [2], { a: 3 }]);
    assert.equal(lines.read, 3);
  });

  it('throws on an empty line, a line that is not JSON, and bytes that are not UTF-8', () => {
    assert.throws(() => readInChunks(encoder.encode('1\n\n2\n'), 4), SyntaxError);
    assert.throws(() => readInChunks(encoder.encode('{"a":\n1}\n'), 4), SyntaxError);
    assert.throws(() => readInChunks(new Uint8Array([0x22, 0xff, 0x22, 0x0a]), 2), TypeError);
  });
});
