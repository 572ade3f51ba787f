import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scenario2021 } from '@evenhand/core';
import { verifyCheckpoint, verifyTlogProof } from '@evenhand/log';
import { treatyWithKeys } from '@evenhand/testing';
import { postgresEngine } from '../../store/test/dialects.ts';
import { latestSeen, postEntry, startStack, type Stack } from './exchange-stack.ts';

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
    let proof = '';
    let lastBytes: Uint8Array = new Uint8Array();
    for (const [position, domain] of entries.entries()) {
      const writer = stack.writers.get(domain.author)!;
      const signed = writer.sign(domain, await latestSeen(stack.exchange.url));
      const response = await postEntry(stack.exchange.url, signed.bytes, position === entries.length - 1);
      assert.equal(response.status, 201, JSON.stringify(response.body));
      writer.commit(signed);
      proof = String(response.body.tlogProof ?? '');
      lastBytes = signed.bytes;
    }
    assert.ok(verifyTlogProof(proof, lastBytes, stack.policy, 'RU').ok);
    await stack.restartExchange();
    assert.equal(stack.exchange.sequencer.size, entries.length);
    const note = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    const verified = verifyCheckpoint(note, stack.policy, 'US');
    assert.ok(verified.ok);
    assert.equal(verified.value.checkpoint.size, entries.length);
  });
});
