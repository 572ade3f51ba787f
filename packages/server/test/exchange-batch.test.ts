import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AnyDomainEntry } from '@evenhand/core';
import { leafHash, toHex } from '@evenhand/log';
import { treatyWithKeys, waitFor } from '@evenhand/testing';
import { MAX_BATCH_ENTRIES } from '../src/contract/log.ts';
import { latestSeen, startStack, type Stack } from './exchange-stack.ts';

/**
 * Issue 14, "a batch submission endpoint for a gateway's queued entries": POST
 * /v1/entries/batch sequences entries in the order sent, each checked as if it had come
 * alone, and answers each with its index and receipt, or with its own refusal.
 */
describe('POST /v1/entries/batch', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => stack?.close());

  const post = async (body: unknown) => {
    const response = await fetch(`${stack.exchange.url}/v1/entries/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { results: { index?: number; leafHash?: string; receipt?: string; code?: string }[]; code?: string; field?: string } };
  };

  it('sequences entries in order, answers each, and refuses one bad entry without the others', async () => {
    const time = stack.clock.now();
    const treaty = treatyWithKeys(stack.keys);
    const seen = await latestSeen(stack.exchange.url);
    const signed = (domain: AnyDomainEntry) => {
      const writer = stack.writers.get(domain.author)!;
      const entry = writer.sign(domain, seen);
      writer.commit(entry);
      return entry.bytes;
    };
    const filing = (request: string) =>
      ({ author: 'US', time, type: 'request.file', body: { request, requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `subject-${request}`, nationalities: ['ZZ'], ageAtOffence: 30 }, offences: ['laundering'], offenceDate: '2025-06-01' } }) as AnyDomainEntry;

    const adoption = [
      signed({ author: 'US', time, type: 'treaty.propose', body: { treaty } } as AnyDomainEntry),
      signed({ author: 'US', time, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } } as AnyDomainEntry),
      signed({ author: 'RU', time, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } } as AnyDomainEntry),
    ];
    const first = await post({ entries: adoption.map((bytes) => Buffer.from(bytes).toString('base64')) });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.results.map((result) => result.index), [0, 1, 2]);
    first.body.results.forEach((result, position) => assert.equal(result.leafHash, toHex(leafHash(adoption[position]!))));

    const good = [signed(filing('US-B-1')), signed(filing('US-B-2'))];
    const second = await post({ entries: [good[0], new TextEncoder().encode('{"not":"an entry"}'), good[1]].map((bytes) => Buffer.from(bytes!).toString('base64')) });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const [a, refused, b] = second.body.results;
    assert.deepEqual([a?.index, b?.index], [3, 4], 'the good entries are sequenced in order, around the refused one');
    assert.equal(typeof refused?.code, 'string', 'the bad entry gets its own refusal');
    assert.equal(refused?.index, undefined);

    await waitFor('a checkpoint covering the batches', async () => Number((await (await fetch(`${stack.exchange.url}/checkpoint`)).text()).split('\n')[1]) === 5);
  });

  it('refuses a body that is not a batch, naming the field and the rule', async () => {
    const notBase64 = await post({ entries: ['not base64!'] });
    assert.equal(notBase64.status, 400);
    assert.equal(notBase64.body.field, 'body.entries[0]');
    const tooMany = await post({ entries: Array.from({ length: MAX_BATCH_ENTRIES + 1 }, () => 'AAAA') });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.field, 'body.entries');
    assert.equal((await post({ entries: [] })).status, 400);
  });

  it('gives the place of a batch back when its client hangs up before sending the whole body', async () => {
    const { hostname, port } = new URL(stack.exchange.url);
    // More clients than places (16), each sending the headers and part of a body, then hanging up.
    for (let client = 0; client < 20; client++) {
      const socket = connect(Number(port), hostname);
      socket.on('error', () => undefined);
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      await new Promise<void>((resolve) => socket.write('POST /v1/entries/batch HTTP/1.1\r\nHost: exchange\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"entries":[', () => resolve()));
      socket.destroy();
    }
    // Each place is given back when the exchange sees its connection close: a batch is taken again.
    const answered = await waitFor('a batch taken after the clients hung up', async () => {
      const answer = await post({ entries: ['not base64!'] });
      return answer.status === 503 ? undefined : answer;
    }, 10_000);
    assert.deepEqual([answered.status, answered.body.field], [400, 'body.entries[0]']);
  });
});
