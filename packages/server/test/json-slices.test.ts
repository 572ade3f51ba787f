import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonInSlices } from '../src/replay/json-slices.ts';

/** The snapshot writer's sliced JSON (issue 14) is JSON.stringify's text, for any JSON data and long arrays. */
describe('jsonInSlices', () => {
  it('gives the text JSON.stringify gives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assert.equal(await jsonInSlices(value), JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    const long = { pairs: Array.from({ length: 2_000 }, (_, i) => [String(i), { id: String(i), gone: undefined, n: i }]), skipped: undefined, ['__proto__']: 1 };
    assert.equal(await jsonInSlices(long), JSON.stringify(long));
    assert.equal(await jsonInSlices([undefined, 1]), JSON.stringify([undefined, 1]));
  });
});
