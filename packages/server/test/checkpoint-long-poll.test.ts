import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scenario2021, type AnyDomainEntry } from '@evenhand/core';
import { parseCheckpoint, parseNote, verifyCheckpoint } from '@evenhand/log';
import { treatyWithKeys } from '@evenhand/testing';
import { startStack, submitEntries, type Stack } from './exchange-stack.ts';

/** The size a checkpoint note states, after checking it against the log key and the quorum. */
function sizeOf(stack: Stack, note: string): number {
  assert.ok(verifyCheckpoint(note, stack.policy, null).ok, 'the answer is a checkpoint the quorum cosigned');
  const parsed = parseNote(note);
  assert.ok(parsed.ok);
  const checkpoint = parseCheckpoint(parsed.value.text);
  assert.ok(checkpoint.ok);
  return checkpoint.value.size;
}

// Issue 14, "quick receipts": a gateway that has just filed asks GET /v1/checkpoint?covering=
// instead of polling /checkpoint, and gets its checkpoint as soon as it is published.
describe('GET /v1/checkpoint?covering=: a long poll for the checkpoint that covers an entry', () => {
  let stack: Stack;
  let entries: AnyDomainEntry[];

  before(async () => {
    stack = await startStack();
    entries = scenario2021(treatyWithKeys(stack.keys), Math.floor(Date.now() / 1000));
    await submitEntries(stack, entries.slice(0, 4), { waitForLast: true });
  });
  after(async () => stack?.close());

  it('is held until a witnessed checkpoint covers an entry submitted after the question, then answers it', async () => {
    const published = sizeOf(stack, await (await fetch(`${stack.exchange.url}/checkpoint`)).text());
    // Asked before the entry at index `published` exists: no checkpoint the exchange has can answer it yet.
    const asked = fetch(`${stack.exchange.url}/v1/checkpoint?covering=${published}&wait=5000`);
    // Still held a moment later: nothing the exchange has can answer it (an early answer is a fault, whatever the machine's speed).
    const early = await Promise.race([asked.then(() => 'answered'), new Promise((resolve) => setTimeout(() => resolve('held'), 150))]);
    assert.equal(early, 'held');
    await submitEntries(stack, entries.slice(4, 5));
    const answer = await asked;
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.ok(sizeOf(stack, await answer.text()) > published, 'the answer covers the entry asked about');
  });

  it('answers at once for an entry already covered, and with the latest checkpoint once the wait is over', async () => {
    const latest = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    const size = sizeOf(stack, latest);
    const covered = await fetch(`${stack.exchange.url}/v1/checkpoint?covering=${size - 1}`);
    assert.equal(await covered.text(), latest);
    // The log's next entry, which nobody files here: the wait ends, and the answer is the latest checkpoint.
    const next = await fetch(`${stack.exchange.url}/v1/checkpoint?covering=${size}&wait=100`);
    assert.equal(next.status, 200);
    assert.equal(sizeOf(stack, await next.text()), size);
    // An index beyond the next entry is not waited for at all, whatever the wait asked: anyone may ask.
    const beyond = await Promise.race([fetch(`${stack.exchange.url}/v1/checkpoint?covering=${size + 1000}&wait=5000`).then(async (answer) => sizeOf(stack, await answer.text())), new Promise((resolve) => setTimeout(() => resolve('held'), 2_500))]);
    assert.equal(beyond, size);
    // Without `covering`, it is /checkpoint.
    assert.equal(await (await fetch(`${stack.exchange.url}/v1/checkpoint`)).text(), latest);
  });

  it('refuses a query it cannot honour, naming the field, and keeps serving', async () => {
    for (const [query, field] of [
      ['covering=-1', 'covering'],
      ['covering=first', 'covering'],
      ['covering=3&wait=60000', 'wait'],
      ['covering=3&since=2', 'since'],
    ] as const) {
      const response = await fetch(`${stack.exchange.url}/v1/checkpoint?${query}`);
      assert.equal(response.status, 400, query);
      const body = (await response.json()) as { code: string; message: string };
      assert.match(body.message, new RegExp(field), `${query}: ${body.message}`);
    }
    assert.equal((await fetch(`${stack.exchange.url}/v1/checkpoint?covering=0`)).status, 200);
  });
});
