import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeState, encodeStateForStreaming, replay, genesis } from '@evenhand/core';
import { repeatedScenario, scenarioKeys, treatyWithKeys } from '@evenhand/testing';
import { writeJsonInSlices } from '../src/replay/json-slices.ts';

/** The whole text of `value` as the snapshot writer hands it out, and how many pieces it came in. */
async function written(value: unknown): Promise<{ text: string; pieces: number }> {
  const pieces: string[] = [];
  await writeJsonInSlices(value, (text) => pieces.push(text));
  return { text: pieces.join(''), pieces: pieces.length };
}

/** The snapshot writer's sliced JSON (issue 14) is JSON.stringify's text, for any JSON data and long arrays. */
describe('writeJsonInSlices', () => {
  it('gives the text JSON.stringify gives', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        assert.equal((await written(value)).text, JSON.stringify(value));
      }),
      { numRuns: 300 },
    );
    const long = { pairs: Array.from({ length: 2_000 }, (_, i) => [String(i), { id: String(i), gone: undefined, n: i }]), skipped: undefined, ['__proto__']: 1 };
    assert.equal((await written(long)).text, JSON.stringify(long));
    assert.equal((await written([undefined, 1])).text, JSON.stringify([undefined, 1]));
    for (const length of [0, 1, 511, 512, 513, 1024, 1025]) {
      const list = Array.from({ length }, (_, i) => i);
      assert.equal((await written({ list })).text, JSON.stringify({ list }), `${length} items`);
    }
  });

  it('writes an iterable as the array of what it yields, and a long list in pieces', async () => {
    const pairs = Array.from({ length: 2_000 }, (_, i) => [String(i), { n: i }] as const);
    const lazy = { pairs: { [Symbol.iterator]: () => pairs[Symbol.iterator]() }, empty: { [Symbol.iterator]: () => [][Symbol.iterator]() } };
    const out = await written(lazy);
    assert.equal(out.text, JSON.stringify({ pairs, empty: [] }));
    // 2,000 items in slices of 512: the text never comes as one piece.
    assert.ok(out.pieces >= 4, `${out.pieces} pieces`);
  });

  it("writes a state whose maps are walked lazily as the JSON of its snapshot", async () => {
    const replayed = replay(repeatedScenario(treatyWithKeys(scenarioKeys()), 1_700_000_000, 40), genesis());
    assert.ok(replayed.ok);
    const out = await written(encodeStateForStreaming(replayed.value));
    assert.equal(out.text, JSON.stringify(encodeState(replayed.value)));
    assert.ok(out.pieces > 10, `${out.pieces} pieces`);
  });
});
