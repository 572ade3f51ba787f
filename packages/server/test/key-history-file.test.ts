import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatVerifierKey, makeSigner, verifierOf } from '@evenhand/log';
import { testSeed } from '@evenhand/testing';
import { loadKeyHistory } from '../src/gateway/key-history.ts';

/**
 * The gateway's key-history file across a key rotation (issue 12, "key history, entry by
 * entry"): each start adds the current key once, a replaced key file leaves the retired key
 * in the history, and a damaged line is refused with its number rather than dropped.
 */
describe('the gateway’s entry-key history file', () => {
  let dir: string;
  const first = verifierOf(makeSigner('US', testSeed('author:US:first')));
  const second = verifierOf(makeSigner('US', testSeed('author:US:second')));
  const keysIn = (path: string) => readFileSync(path, 'utf8').split('\n').filter((line) => line !== '' && !line.startsWith('#'));
  before(() => (dir = mkdtempSync(join(tmpdir(), 'evenhand-key-history-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the history with the current key, and adds it only once over several starts', () => {
    const path = join(dir, 'us-entry.key.history');
    assert.deepEqual(loadKeyHistory(path, first).map(formatVerifierKey), [formatVerifierKey(first)]);
    loadKeyHistory(path, first);
    assert.deepEqual(keysIn(path), [formatVerifierKey(first)]);
  });

  it('keeps the retired key when the key file is replaced, oldest first', () => {
    const path = join(dir, 'us-entry.key.history');
    const keys = loadKeyHistory(path, second);
    assert.deepEqual(keys.map(formatVerifierKey), [formatVerifierKey(first), formatVerifierKey(second)]);
    assert.deepEqual(keysIn(path), [formatVerifierKey(first), formatVerifierKey(second)]);
    assert.deepEqual(loadKeyHistory(path, first).map(formatVerifierKey), [formatVerifierKey(first), formatVerifierKey(second)], 'going back to an old key adds nothing');
  });

  it('refuses a damaged line or another state’s key, naming the line', () => {
    const damaged = join(dir, 'damaged.history');
    writeFileSync(damaged, `${formatVerifierKey(first)}\nnot a key\n`);
    assert.throws(() => loadKeyHistory(damaged, first), /damaged\.history, line 2: expected an Ed25519 signed-note verifier key/);
    const foreign = join(dir, 'foreign.history');
    writeFileSync(foreign, `${formatVerifierKey(verifierOf(makeSigner('RU', testSeed('author:RU'))))}\n`);
    assert.throws(() => loadKeyHistory(foreign, first), /line 1: the key is named RU, not US/);
  });
});
