import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MerkleTree, utf8, verifierOf, type PolicyWitness } from '@evenhand/log';
import { openStore, type Store } from '@evenhand/store';
import { ORIGIN, scenarioKeys, startLocalServer } from '@evenhand/testing';
import { CheckpointPublisher } from '../src/exchange/publisher.ts';
import { requestCosignature } from '../src/exchange/witness-client.ts';
import { ExchangeClient, ExchangeUnreachable } from '../src/gateway/exchange-client.ts';
import type { RunningWitness } from '../src/witness/start-witness.ts';
import { fetchWithin } from '../src/transport/timed-fetch.ts';
import { startScenarioWitnesses } from './exchange-stack.ts';

/**
 * A call's deadline covers the answer's body, and nothing of a call stays armed once it ends
 * (transport/timed-fetch.ts). A peer that sends its headers and then stalls is the case that
 * matters: a hostile witness did that to stop every signing round, and a stalled exchange
 * answer surfaced as "not JSON" rather than as the exchange out of reach.
 */
describe('timed calls: the deadline covers the body', () => {
  let server: Awaited<ReturnType<typeof startLocalServer>>;
  let url: string;

  before(async () => {
    server = await startLocalServer((request, response) => {
      request.resume();
      if (request.url?.startsWith('/stall')) {
        // Headers and a first piece of the body, then nothing.
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('\u2014 ');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end('whole answer');
    });
    url = server.url;
  });
  after(() => server.close());

  it('reads a whole answer, and clears its timer when it ends', async () => {
    // The call's timer is the one set with its timeout: every one set must be cleared by the time the call returns.
    const timeoutMs = 987_654;
    const armed = new Set<unknown>();
    let set = 0;
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    globalThis.setTimeout = ((callback: () => void, ms?: number) => {
      const timer = realSet(callback, ms);
      if (ms === timeoutMs) {
        set += 1;
        armed.add(timer);
      }
      return timer;
    }) as typeof setTimeout;
    globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
      armed.delete(timer);
      realClear(timer);
    }) as typeof clearTimeout;
    let answer;
    try {
      answer = await fetchWithin(`${url}/whole`, {}, timeoutMs);
    } finally {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    }
    assert.equal(answer.status, 200);
    assert.equal(new TextDecoder().decode(answer.bytes), 'whole answer');
    assert.equal(set, 1, 'the call armed one timer with its timeout');
    assert.equal(armed.size, 0, 'and it is not left armed');
  });

  it('gives up on a body that stalls after its headers, with a timeout', async () => {
    const started = Date.now();
    await assert.rejects(fetchWithin(`${url}/stall`, {}, 300), (error: Error) => error.name === 'TimeoutError' && /no whole answer within 300 ms/.test(error.message));
    assert.ok(Date.now() - started < 10_000, 'it did not wait for the stalled body');
  });

  it('reports an exchange whose answer stalls as out of reach, not as an answer that is not JSON', async () => {
    const exchange = new ExchangeClient(`${url}/stall`, 300);
    await assert.rejects(exchange.view('/v1/statistics'), (error: Error) => error instanceof ExchangeUnreachable && /did not answer \/v1\/statistics: no whole answer within 300 ms/.test(error.message));
    await assert.rejects(exchange.submit(utf8('{}')), ExchangeUnreachable);
  });

  it('reports a witness whose answer stalls as unreachable, an outcome and not an exception', async () => {
    const witness: PolicyWitness = { name: 'XX', key: verifierOf(scenarioKeys().log), url: `${url}/stall` };
    const outcome = await requestCosignature(witness, 0, [], 'note\n', 300);
    assert.equal(outcome.ok, false);
    assert.equal(!outcome.ok && outcome.status, 'unreachable');
    assert.match(!outcome.ok ? outcome.detail : '', /XX at .*: no whole answer within 300 ms/);
  });

  describe('a signing round with a witness that stalls', () => {
    let dir: string;
    let store: Store;
    const witnesses: RunningWitness[] = [];

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'evenhand-stalling-witness-'));
      store = await openStore({ engine: 'sqlite', file: join(dir, 'exchange.db') });
    });
    after(async () => {
      for (const witness of witnesses) await witness.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('still publishes with the quorum of the others', async () => {
      const keys = scenarioKeys();
      const started = await startScenarioWitnesses(dir, keys);
      witnesses.push(...started.witnesses.values());
      const policy = started.policy;
      // One more witness asked beyond the quorum (log treaty-policy.ts `witnessesToAsk`): it sends its headers, then nothing.
      const stalling: PolicyWitness = { name: 'XX', key: verifierOf(keys.log), url: `${url}/stall` };
      const tree = new MerkleTree();
      tree.append(utf8('an entry'));
      const now = Math.floor(Date.now() / 1000);
      const publisher = new CheckpointPublisher({ store, origin: ORIGIN, signer: keys.log, policyAt: () => policy, witnessesToAsk: (required) => [...required.witnesses.values(), stalling], tree, durableSize: () => tree.size, now: () => now, witnessTimeoutMs: 300 });
      await publisher.load();
      await publisher.publish();
      assert.equal(publisher.health.publishedSize, 1, `published without the stalling witness (${publisher.health.problem ?? 'no problem reported'})`);
      assert.deepEqual([...publisher.health.cosigners].sort(), ['CH', 'RU', 'US']);
    });
  });
});
