import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fromPointer, toPointer } from '../src/contract/json-pointer.ts';

describe('JSON pointers (RFC 6901)', () => {
  it('read back every member written, whatever `~` and `/` it holds', () => {
    const member = fc.string({ unit: fc.constantFrom('a', '0', '~', '/', '1', 'é'), minLength: 1, maxLength: 6 });
    fc.assert(fc.property(fc.array(member, { maxLength: 5 }), (path) => assert.deepEqual(fromPointer(toPointer(path)), path)), { numRuns: 500 });
  });

  it('escape as §3 says and unescape `~01` to `~1`, not to `/` (§4)', () => {
    assert.equal(toPointer(['a/b', 'm~n', 3]), '/a~1b/m~0n/3');
    assert.deepEqual(fromPointer('/~01'), ['~1']);
    assert.deepEqual(fromPointer(''), []);
  });
});
