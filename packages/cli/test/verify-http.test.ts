import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scenario2021 } from '@evenhand/core';
import { treatyWithKeys, waitFor } from '@evenhand/testing';
import { startStack, submitEntries, type Stack } from '../../server/test/exchange-stack.ts';
import { runCliAsync } from './run-cli.ts';

describe('evenhand verify against a running exchange URL', () => {
  let stack: Stack;
  let policyFile: string;
  before(async () => {
    stack = await startStack();
    const entries = scenario2021(treatyWithKeys(stack.keys), Math.floor(Date.now() / 1000));
    await submitEntries(stack, entries, { waitForLast: true });
    // The history is replayed on the stack's clock; back at today, the exchange republishes its
    // checkpoint, freshly cosigned, as a first-time verifier requires (at most 24 hours old).
    const replayed = stack.exchange.publisher.latest!.note;
    stack.clock.catchUp();
    await waitFor('a freshly cosigned checkpoint', async () => stack.exchange.publisher.latest!.note !== replayed || undefined, 15_000);
    policyFile = join(stack.dir, 'policy.txt');
    writeFileSync(policyFile, stack.policyText);
  });
  after(async () => stack?.close());

  it('mirrors the tiles over HTTP, verifies as US and as RU, and remembers the checkpoint', async () => {
    for (const party of ['US', 'RU']) {
      const args = ['verify', '--log', stack.exchange.url, '--policy', policyFile, '--as', party, '--state', join(stack.dir, `${party}.json`), '--mirror', join(stack.dir, `mirror-${party}`), '--no-progress'];
      const first = await runCliAsync(args);
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stdout, /cosigned by .*US.*RU|cosigned by .*RU.*US/);
      assert.match(first.stdout, /First verification of this log here/);
      assert.match(first.stdout, /US -> RU: \d+ filed/);
      const second = await runCliAsync(args);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stdout, /Consistent with the checkpoint of size \d+ accepted before/);
    }
  });

  it('fails with a clear reason when the exchange cannot be reached', async () => {
    const run = await runCliAsync(['verify', '--log', 'http://127.0.0.1:9', '--policy', policyFile, '--as', 'US', '--state', join(stack.dir, 'x.json')]);
    assert.equal(run.status, 2);
    assert.match(run.stderr, /--log http:\/\/127\.0\.0\.1:9: cannot reach http:\/\/127\.0\.0\.1:9\/checkpoint/);
  });
});
