import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { fromBase64, toBase64, toHex } from '../src/index.ts';

// Node's Buffer as an independent base64 implementation. It is lenient (no padding needed,
// stray characters skipped), so the strict rule is: the text is what Buffer would write back.
const strictOracle = (text: string): Uint8Array | undefined => {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? new Uint8Array(bytes) : undefined;
};

test('fromBase64 inverts toBase64 for any bytes', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
    assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
    assert.equal(toBase64(bytes), Buffer.from(bytes).toString('base64'));
  }), { numRuns: 500 });
});

test('fromBase64 accepts exactly the padded, canonical texts (RFC 4648 §3.5), as Buffer would write them', () => {
  const alphabet = 'AQgwBCDZaz09+/=-_ .\n\u00e9'.split('');
  fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 16 }).map((chars) => chars.join('')), (text) => {
    assert.deepEqual(fromBase64(text), strictOracle(text), JSON.stringify(text));
  }), { numRuns: 5000 });
});

test('fromBase64 rejects the near misses by name', () => {
  for (const text of ['QQ', 'QR==', 'QUI=QUJD', 'QUJ=', 'QU=I', 'QUJD====', '====', 'Q===', 'QUJD\n', 'QUJ-', 'QUJ_', ' QUJD']) {
    assert.equal(fromBase64(text), undefined, JSON.stringify(text));
  }
  assert.deepEqual(fromBase64(''), new Uint8Array(0));
  assert.deepEqual(fromBase64('QQ=='), Uint8Array.of(0x41));
  assert.deepEqual(fromBase64('QUI='), Uint8Array.of(0x41, 0x42));
});

test('toHex writes lowercase hex, two digits a byte', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
    assert.equal(toHex(bytes), Buffer.from(bytes).toString('hex'));
  }));
});
