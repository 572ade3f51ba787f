import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scenario2021 } from '@evenhand/core';
import { verifyCheckpoint, verifyTlogProof } from '@evenhand/log';
import { treatyWithKeys } from '@evenhand/testing';
import { postgresEngine } from '../../store/test/dialects.ts';
import { startStack, submitEntries, type Stack } from './exchange-stack.ts';

const engine = postgresEngine();

describe('the exchange on PostgreSQL', { skip: engine.skip }, () => {
  let stack: Stack;
  before(async () => {
    const store = await engine.open();
    await store.close();
    stack = await startStack({ exchangeStore: engine.lastConfig() });
  });
  after(async () => {
    await stack?.close();
    await engine.cleanup();
  });

  it('sequences the 2021 scenario, publishes a witnessed checkpoint, and keeps it all across a restart', async () => {
    const entries = scenario2021(treatyWithKeys(stack.keys), Math.floor(Date.now() / 1000));
    const last = (await submitEntries(stack, entries, { waitForLast: true })).at(-1)!;
    assert.ok(verifyTlogProof(String(last.body.tlogProof), last.bytes, stack.policy, 'RU').ok);
    await stack.restartExchange();
    assert.equal(stack.exchange.sequencer.size, entries.length);
    const note = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    const verified = verifyCheckpoint(note, stack.policy, 'US');
    assert.ok(verified.ok);
    assert.equal(verified.value.checkpoint.size, entries.length);
  });
});
