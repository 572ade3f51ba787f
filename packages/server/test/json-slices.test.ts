import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encodeStateHeader, genesis, replay, statePairs } from '@evenhand/core';
import { JsonLines } from '@evenhand/log';
import { repeatedScenario, scenarioKeys, treatyWithKeys } from '@evenhand/testing';
import { writeJsonInSlices, writeLinesInSlices } from '../src/replay/json-slices.ts';

/** The whole text of `value` as the snapshot writer hands it out, and how many pieces it came in. */
async function written(value: unknown): Promise<{ text: string; pieces: number }> {
  const pieces: string[] = [];
  await writeJsonInSlices(value, (text) => pieces.push(text));
  return { text: pieces.join(''), pieces: pieces.length };
}

/** The snapshot writer's sliced JSON (issue 14) is JSON.stringify's text, for any JSON data and long arrays. */
describe('writeJsonInSlices and writeLinesInSlices', () => {
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

  it('writes a long list in pieces', async () => {
    const pairs = Array.from({ length: 2_000 }, (_, i) => [String(i), { n: i }] as const);
    const out = await written({ pairs });
    assert.equal(out.text, JSON.stringify({ pairs }));
    // 2,000 items in slices of 512: the text never comes as one piece.
    assert.ok(out.pieces >= 4, `${out.pieces} pieces`);
  });

  it("writes a state's snapshot as lines that read back to its values, in pieces", async () => {
    const replayed = replay(repeatedScenario(treatyWithKeys(scenarioKeys()), 1_700_000_000, 40), genesis());
    assert.ok(replayed.ok);
    const state = replayed.value;
    const values = [encodeStateHeader(state), ...statePairs(state)];
    const pieces: string[] = [];
    await writeLinesInSlices(values, (text) => pieces.push(text));
    const lines = new JsonLines();
    // Read back in chunks of 7 bytes: lines are cut anywhere, as a decompressing stream cuts them.
    const bytes = Buffer.from(pieces.join(''), 'utf8');
    const read: unknown[] = [];
    for (let at = 0; at < bytes.length; at += 7) read.push(...lines.push(bytes.subarray(at, at + 7)));
    read.push(...lines.end());
    assert.deepEqual(read, JSON.parse(JSON.stringify(values)));
    assert.ok(pieces.length > 10, `${pieces.length} pieces`);
    assert.equal(pieces.join('').split('\n').length, values.length + 1, 'one value to a line, each line ended');
  });
});
