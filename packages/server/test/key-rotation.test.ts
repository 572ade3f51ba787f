import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AnyDomainEntry } from '@evenhand/core';
import { makeSigner } from '@evenhand/log';
import { openStore, type Store } from '@evenhand/store';
import { keyAmendment, ORIGIN, testSeed, treatyWithKeys } from '@evenhand/testing';
import { buildGatewayApp } from '../src/gateway/gateway-app.ts';
import { generateSealKeyPair } from '../src/sealing/keys.ts';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { latestSeen, postEntry, startStack, submitEntries, type Stack } from './exchange-stack.ts';

/**
 * US changes its entry key by treaty amendment (version 2), ratified by both states. The
 * exchange must refuse US's old key from the adoption on and take the new one, also after a
 * restart replays the log; US's gateway must stop (KEY_SUBSTITUTED) while it holds the old
 * key, and follow the log again once restarted with the new one.
 */
describe('a party’s entry key changed by treaty amendment', () => {
  let stack: Stack;
  let store: Store;
  let gateway: FastifyInstance | undefined;
  const rotated = makeSigner('US', testSeed('author:US:rotated'));
  const clock = Math.floor(Date.now() / 1000);
  let newWriter: AuthorWriter;

  before(async () => {
    stack = await startStack();
    store = await openStore({ engine: 'sqlite', file: join(stack.dir, 'gateway-US.db') });
  });
  after(async () => {
    await gateway?.close();
    await store?.close();
    await stack?.close();
  });

  /** The gateway with `seed` as its key and `history` as every key it has held (its key file's history). */
  async function openGateway(seed: Uint8Array, history: readonly Uint8Array[] = [makeSigner('US', seed).publicKey]): Promise<FastifyInstance> {
    await gateway?.close();
    const seal = await generateSealKeyPair();
    gateway = await buildGatewayApp({
      party: 'US', store, origin: ORIGIN, exchangeUrl: stack.exchange.url, policy: stack.policy, ownWitness: 'US', entrySeed: seed, ownKeyHistory: history,
      sealKey: seal.privateJwk, sealRecipients: new Map([['US', seal.publicJwk]]), witnessCosigner: stack.keys.witnesses.get('US')!, now: () => clock,
      // This test writes US's entries with its own writer: the gateway must not publish transport keys (issue 17) beside it.
      caseKeyTimer: false,
    });
    return gateway;
  }

  /** Any entry of US's will do: a further proposal (version 9, 10, ...) that nobody ratifies. */
  const usEntry = (version: number, time: number): Pick<AnyDomainEntry, 'time' | 'type' | 'body'> =>
    ({ time, type: 'treaty.propose', body: { treaty: { ...treatyWithKeys(stack.keys), version } } }) as AnyDomainEntry;

  it('the gateway follows the log while the treaty in force gives it its key', async () => {
    const treaty = treatyWithKeys(stack.keys);
    await submitEntries(stack, [
      { author: 'US', time: clock - 100, type: 'treaty.propose', body: { treaty } },
      { author: 'US', time: clock - 90, type: 'treaty.ratify', body: { treaty: treaty.id, version: 1 } },
      { author: 'RU', time: clock - 80, type: 'treaty.ratify', body: { treaty: treaty.id, version: 1 } },
    ] as AnyDomainEntry[], { waitForLast: true });
    const app = await openGateway(stack.keys.authors.get('US')!.seed);
    await app.gateway!.tick();
    assert.equal(app.gateway!.mirror.size, 3);
    assert.equal(app.gateway!.mirror.halted, undefined);
  });

  it('the exchange refuses the old key once the amendment is adopted, and takes the new one', async () => {
    const amendment = keyAmendment(treatyWithKeys(stack.keys), new Map([['US', rotated]]), clock - 70);
    const submitted = await submitEntries(stack, amendment.entries, { waitForLast: true });
    const lastByUs = submitted[amendment.entries.map((entry) => entry.author).lastIndexOf('US')]!;
    assert.equal(stack.exchange.sequencer.domainState.treaty?.version, 2);
    const old = stack.writers.get('US')!;
    const refused = await postEntry(stack.exchange.url, old.sign(usEntry(9, clock - 60), await latestSeen(stack.exchange.url)).bytes);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, 'ENTRY_BAD_SIGNATURE');
    newWriter = new AuthorWriter('US', ORIGIN, rotated.seed);
    newWriter.resume({ seq: old.next.seq - 1, bytes: lastByUs.bytes });
    const signed = newWriter.sign(usEntry(9, clock - 60), await latestSeen(stack.exchange.url));
    const accepted = await postEntry(stack.exchange.url, signed.bytes, true);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
    newWriter.commit(signed);
  });

  it('the gateway holding the old key halts with KEY_SUBSTITUTED, and after a restart too', async () => {
    await gateway!.gateway!.tick();
    // US's first entry after the adoption is signed with the new key, which this gateway never held.
    assert.match(gateway!.gateway!.mirror.halted ?? '', /authored as US but signed with a key US never held/);
    assert.ok(gateway!.gateway!.alarms.has('KEY_SUBSTITUTED'));
    const reopened = await openGateway(stack.keys.authors.get('US')!.seed);
    await reopened.gateway!.tick();
    assert.ok(reopened.gateway!.alarms.has('KEY_SUBSTITUTED'), 'raised again after a restart');
    assert.notEqual(reopened.gateway!.mirror.halted, undefined);
  });

  it('restarted with the new key and its key history, the gateway follows the log again; without the old key in the history it refuses its own earlier entries', async () => {
    await assert.rejects(openGateway(rotated.seed), /entry 0 \(treaty\.propose, seq 1\) is authored as US but signed with a key US never held/);
    gateway = undefined;
    const app = await openGateway(rotated.seed, [stack.keys.authors.get('US')!.publicKey, rotated.publicKey]);
    assert.equal(app.gateway!.mirror.halted, undefined);
    await app.gateway!.tick();
    assert.equal(app.gateway!.mirror.halted, undefined);
    assert.equal(app.gateway!.mirror.size, stack.exchange.sequencer.size);
    assert.deepEqual(app.gateway!.alarms.list().map((alarm) => alarm.code), []);
  });

  it('after a restart the exchange replays through the amendment and still takes only the new key', async () => {
    const size = stack.exchange.sequencer.size;
    await stack.restartExchange();
    assert.equal(stack.exchange.sequencer.size, size);
    const old = stack.writers.get('US')!;
    const refused = await postEntry(stack.exchange.url, old.sign(usEntry(10, clock - 50), await latestSeen(stack.exchange.url)).bytes);
    assert.equal(refused.body.code, 'ENTRY_BAD_SIGNATURE');
    const signed = newWriter.sign(usEntry(10, clock - 50), await latestSeen(stack.exchange.url));
    const accepted = await postEntry(stack.exchange.url, signed.bytes, true);
    assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
  });
});
