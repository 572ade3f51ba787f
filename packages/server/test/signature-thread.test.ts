import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnyDomainEntry } from '@evenhand/core';
import { ed25519PublicKey, ed25519Sign } from '@evenhand/crypto';
import { openReceipt, toHex, verifierOf } from '@evenhand/log';
import { treatyWithKeys, testSeed } from '@evenhand/testing';
import { SignatureThread } from '../src/exchange/signature-thread.ts';
import { packVerifyJobs, unpackVerifyJobs } from '../src/exchange/signature-wire.ts';
import { latestSeen, startStack, type Stack } from './exchange-stack.ts';

/** Polls `ready` every 20 ms, at most `limitMs`: the thread starts, or answers, in its own time. */
async function within(limitMs: number, ready: () => boolean): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!ready() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  return ready();
}

/**
 * Issue 14, appends near the signature limit: entry signatures are verified ahead of
 * sequencing on a second thread. The thread may only save work: its answer counts for the key
 * it was asked with alone, and an answer not yet there means the sequencer verifies.
 */
describe('signatures verified ahead, and receipts signed, on a worker thread', () => {
  it('sends jobs packed in one buffer, and reads back each ticket, key, signature and message as given', () => {
    const bytes = fc.uint8Array({ maxLength: 90 });
    const job = fc.record({ ticket: fc.oneof(fc.nat(), fc.maxSafeNat()), key: bytes, message: fc.array(bytes, { maxLength: 4 }), signature: bytes });
    fc.assert(
      fc.property(fc.array(job, { maxLength: 20 }), (jobs) => {
        const read = [...unpackVerifyJobs(packVerifyJobs(jobs))];
        const joined = (parts: readonly Uint8Array[]) => new Uint8Array(parts.flatMap((part) => [...part]));
        assert.deepEqual(
          read.map((each) => [each.ticket, [...each.key], [...each.signature], [...each.message]]),
          jobs.map((each) => [each.ticket, [...each.key], [...each.signature], [...joined(each.message)]]),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('answers valid only for a valid signature under the key asked, and forgets a ticket once taken', async () => {
    const checks = SignatureThread.start();
    try {
      assert.equal(checks.ask(new Uint8Array(32), new Uint8Array(1), new Uint8Array(64)), undefined, 'nothing is asked before the thread runs');
      assert.ok(await within(20_000, () => checks.running), 'the thread starts');
      const seed = testSeed('ahead:signer');
      const key = ed25519PublicKey(seed);
      const otherKey = ed25519PublicKey(testSeed('ahead:other'));
      const parts = [new TextEncoder().encode('evenhand entry\n'), new TextEncoder().encode('{"body":1}')];
      const signature = ed25519Sign(seed, new Uint8Array([...parts[0]!, ...parts[1]!]));
      const forged = signature.slice();
      forged[0]! ^= 1;
      const tickets = {
        valid: checks.ask(key, parts, signature)!,
        forged: checks.ask(key, parts, forged)!,
        otherKey: checks.ask(otherKey, parts, signature)!,
        otherMessage: checks.ask(key, [parts[0]!], signature)!,
        late: checks.ask(key, parts, signature)!,
      };
      assert.equal(checks.take(tickets.late), false, 'not answered yet: the jobs leave the thread at the end of this task');
      assert.ok(await within(20_000, () => checks.collectAnswers() >= 5), 'every job is answered');
      assert.equal(checks.take(tickets.valid), true);
      assert.equal(checks.take(tickets.valid), false, 'taken once');
      assert.equal(checks.take(tickets.forged), false);
      assert.equal(checks.take(tickets.otherKey), false);
      assert.equal(checks.take(tickets.otherMessage), false);
      assert.equal(checks.take(tickets.late), false, 'an answer to a ticket taken before it came is dropped');
      // Taken before the jobs left: the thread found it marked, and passed it over rather than verify it again.
      assert.equal(checks.passedOver, 1, 'the ticket taken before its verdict came is passed over by the thread');
      const text = new TextEncoder().encode('evenhand-receipt/v1\n');
      assert.deepEqual(await checks.sign(seed, text), ed25519Sign(seed, text), 'signs on the thread as here (RFC 8032 signatures are deterministic)');
    } finally {
      await checks.close();
    }
    assert.equal(checks.running, false);
    const text = new TextEncoder().encode('after the thread\n');
    assert.deepEqual(await checks.sign(testSeed('ahead:signer'), text), ed25519Sign(testSeed('ahead:signer'), text), 'signs here once the thread is gone');
  });

  describe('through the exchange', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack();
    });
    after(async () => stack?.close());

    it('refuses every forged signature and accepts the rest in order, batch after batch, while the thread answers ahead', async () => {
      const checks = stack.exchange.sequencer.signatureThread;
      assert.ok(checks, 'the exchange verifies ahead by default');
      assert.ok(await within(20_000, () => checks.running), 'its thread starts');
      const time = stack.clock.now();
      const seen = await latestSeen(stack.exchange.url);
      const writerOf = (author: string) => stack.writers.get(author)!;
      const sign = (domain: AnyDomainEntry) => {
        const entry = writerOf(domain.author).sign(domain, seen);
        writerOf(domain.author).commit(entry);
        return entry.bytes;
      };
      const post = async (entries: Uint8Array[]) => {
        const response = await fetch(`${stack.exchange.url}/v1/entries/batch`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ entries: entries.map((bytes) => Buffer.from(bytes).toString('base64')) }) });
        assert.equal(response.status, 200);
        const { results } = (await response.json()) as { results: { index?: number; leafHash?: string; receipt?: string; code?: string }[] };
        for (const result of results) {
          if (result.index === undefined) continue;
          const receipt = openReceipt(result.receipt ?? '', verifierOf(stack.keys.log));
          assert.ok(receipt.ok, `the receipt of entry ${result.index}, signed on the thread, verifies under the log key`);
          assert.deepEqual([receipt.value.index, toHex(receipt.value.leafHash)], [result.index, result.leafHash]);
        }
        return results;
      };
      const treaty = treatyWithKeys(stack.keys);
      await post([
        sign({ author: 'US', time, type: 'treaty.propose', body: { treaty } } as AnyDomainEntry),
        sign({ author: 'US', time, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } } as AnyDomainEntry),
        sign({ author: 'RU', time, type: 'treaty.ratify', body: { treaty: treaty.id, version: treaty.version } } as AnyDomainEntry),
      ]);
      const filing = (n: number) =>
        ({ author: 'US', time, type: 'request.file', body: { request: `US-AHEAD-${n}`, requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `subject-${n}`, nationalities: ['ZZ'], ageAtOffence: 30 }, offences: ['laundering'], offenceDate: '2025-06-01' } }) as AnyDomainEntry;
      // A forgery: the US writer's next entry, its signature's first byte changed. Not committed, so the next one takes its place.
      const forgery = (n: number) => {
        const entry = writerOf('US').sign(filing(n), seen);
        const text = new TextDecoder().decode(entry.bytes);
        const sig = /"sig":"([^"]+)"/.exec(text)![1]!;
        const bad = Buffer.from(sig, 'base64');
        bad[0] = bad[0]! ^ 1;
        return new TextEncoder().encode(text.replace(sig, bad.toString('base64')));
      };
      let expectedIndex = 3;
      let filed = 0;
      const usedBefore = checks.usedAhead;
      // At most 20 batches of 40: enough for the thread to be ahead of some checks on a loaded machine.
      for (let round = 0; round < 20 && (round < 3 || checks.usedAhead === usedBefore); round++) {
        const entries: Uint8Array[] = [];
        const forgedAt = new Set([round % 40, 17, 39]);
        for (let position = 0; position < 40; position++) entries.push(forgedAt.has(position) ? forgery(filed) : sign(filing(filed++)));
        const results = await post(entries);
        results.forEach((result, position) => {
          if (forgedAt.has(position)) assert.equal(result.code, 'ENTRY_BAD_SIGNATURE', `round ${round}, position ${position}: the forged signature is refused`);
          else assert.equal(result.index, expectedIndex++, `round ${round}, position ${position}: accepted in order`);
        });
      }
      assert.ok(checks.usedAhead > usedBefore, 'some signatures were verified ahead and their answers used');
    });
  });
});
