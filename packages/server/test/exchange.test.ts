import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scenario2021, type AnyDomainEntry } from '@evenhand/core';
import { TileReader, verifyCheckpoint, verifyConsistency, verifyTlogProof, parseCheckpoint, parseNote, fromBase64, utf8 } from '@evenhand/log';
import { ORIGIN, treatyWithKeys } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { latestSeen, postEntry, startStack, submitEntries, type Stack } from './exchange-stack.ts';

describe('the exchange with three witnesses, over loopback HTTP', () => {
  let stack: Stack;
  let entries: AnyDomainEntry[];
  const accepted: { index: number; bytes: Uint8Array }[] = [];
  let lastProof = '';

  before(async () => {
    stack = await startStack();
    entries = scenario2021(treatyWithKeys(stack.keys), Math.floor(Date.now() / 1000));
  });
  after(async () => stack?.close());

  it('sequences the 2021 scenario, signed by the parties, and proves the last entry with a tlog-proof', async () => {
    const submitted = await submitEntries(stack, entries, { waitForLast: true });
    submitted.forEach(({ bytes, body }, position) => {
      assert.equal(body.index, position);
      accepted.push({ index: position, bytes });
    });
    lastProof = String(submitted[submitted.length - 1]!.body.tlogProof);
    assert.match(lastProof, /^c2sp\.org\/tlog-proof@v1\nindex \d+\n/);
    const last = accepted[accepted.length - 1]!;
    for (const party of ['US', 'RU']) {
      const verified = verifyTlogProof(lastProof, last.bytes, stack.policy, party);
      assert.ok(verified.ok, `${party} verifies the proof offline: ${verified.ok ? '' : verified.error.message}`);
    }
    const tampered = new Uint8Array(last.bytes);
    tampered[10] = tampered[10]! ^ 1;
    assert.equal(verifyTlogProof(lastProof, tampered, stack.policy, 'US').ok, false);
  });

  it('publishes a checkpoint that every state’s witness and the neutral one cosigned', async () => {
    const note = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    const verified = verifyCheckpoint(note, stack.policy, 'RU');
    assert.ok(verified.ok, verified.ok ? '' : verified.error.message);
    assert.deepEqual(verified.value.cosignatures.map((entry) => entry.witness).sort(), ['CH', 'RU', 'US']);
    assert.equal(verified.value.checkpoint.size, entries.length);
    assert.equal(await (await fetch(`${stack.exchange.url}/policy`)).text(), stack.policyText);
  });

  it('serves tiles from which the checkpoint root and every entry can be recomputed', async () => {
    const note = await (await fetch(`${stack.exchange.url}/checkpoint`)).text();
    const checkpoint = parseCheckpoint(parseNote(note).ok ? (parseNote(note) as { ok: true; value: { text: string } }).value.text : '');
    assert.ok(checkpoint.ok);
    const { size, root } = checkpoint.value;
    const tiles = new Map<string, Uint8Array>();
    for (const path of [`tile/0/000.p/${size}`, `tile/entries/000.p/${size}`]) {
      const response = await fetch(`${stack.exchange.url}/${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('cache-control') ?? '', /immutable/);
      tiles.set(path, new Uint8Array(await response.arrayBuffer()));
    }
    const reader = new TileReader((path) => tiles.get(path), size);
    const recomputed = reader.root();
    assert.ok(recomputed.ok);
    assert.deepEqual(new Uint8Array(recomputed.value), new Uint8Array(root));
    const bundle = reader.entries(0);
    assert.ok(bundle.ok, bundle.ok ? '' : bundle.error.message);
    assert.deepEqual(bundle.value.map((bytes) => Buffer.from(bytes).toString()), accepted.map((entry) => Buffer.from(entry.bytes).toString()));
    assert.equal((await fetch(`${stack.exchange.url}/tile/0/001`)).status, 404, 'a tile beyond the log');
    assert.equal((await fetch(`${stack.exchange.url}/tile/0/01`)).status, 404, 'a non-canonical path');
  });

  it('serves public views without sealed members or officials', async () => {
    const requests = ((await (await fetch(`${stack.exchange.url}/v1/requests`)).json()) as { items: Record<string, unknown>[] }).items;
    assert.equal(requests.length, 8);
    const text = JSON.stringify(requests);
    assert.doesNotMatch(text, /sealed|approver|statement|identity/);
    const statistics = (await (await fetch(`${stack.exchange.url}/v1/statistics`)).json()) as { pairs: { requesting: string; filed: number }[] };
    assert.deepEqual(statistics.pairs.map((pair) => pair.requesting).sort(), ['RU', 'US']);
    const docs = await fetch(`${stack.exchange.url}/docs/json`);
    assert.equal(docs.status, 200);
    assert.ok(((await docs.json()) as { paths: Record<string, unknown> }).paths['/v1/entries']);
  });

  it('answers bad input with a clear 4xx and keeps serving', async () => {
    const url = stack.exchange.url;
    const us = stack.writers.get('US')!;
    const seen = await latestSeen(url);
    const cases: [string, Uint8Array, number, string][] = [
      ['malformed JSON', utf8('{"v":1,'), 400, 'ENTRY_MALFORMED'],
      ['an unknown entry type', us.sign({ time: stack.clock.now(), type: 'request.teleport' as never, body: { request: 'US-2021-001' } as never }, seen).bytes, 400, 'TYPE_UNKNOWN'],
      ['a replayed entry', accepted[0]!.bytes, 409, 'ENTRY_REPLAYED'],
    ];
    for (const [what, bytes, status, code] of cases) {
      const response = await postEntry(url, bytes);
      assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.code, code, what);
      assert.equal(typeof response.body.message, 'string');
    }
    const stranger = new AuthorWriter('ZZ', ORIGIN, new Uint8Array(32).fill(7));
    const unknown = await postEntry(url, stranger.sign({ time: stack.clock.now(), type: 'request.acknowledge', body: { request: 'US-2021-001' } as never }, seen).bytes);
    assert.equal(unknown.status, 403);
    assert.equal(unknown.body.code, 'ENTRY_UNKNOWN_AUTHOR');
    const oversized = await fetch(`${url}/v1/entries`, { method: 'POST', body: new Uint8Array(200 * 1024), headers: { 'content-type': 'application/json' } });
    assert.equal(oversized.status, 413);
    assert.equal(((await oversized.json()) as { code: string }).code, 'BODY_TOO_LARGE');
    const overlong = await fetch(`${url}/v1/requests/${'A'.repeat(150)}`);
    assert.equal(overlong.status, 414);
    assert.equal(((await overlong.json()) as { code: string }).code, 'PATH_TOO_LONG');
    assert.equal((await fetch(`${url}/v1/health`)).status, 200, 'still serving');
  });

  it('after a restart, keeps every entry and publishes checkpoints consistent with the last one', async () => {
    const before = parseCheckpoint((parseNote(await (await fetch(`${stack.exchange.url}/checkpoint`)).text()) as { ok: true; value: { text: string } }).value.text);
    assert.ok(before.ok);
    await stack.restartExchange();
    assert.equal(stack.exchange.sequencer.size, entries.length);
    const ru = stack.writers.get('US')!; // US owes the acknowledgement of RU-2021-002
    const signed = ru.sign({ time: stack.clock.now(), type: 'request.acknowledge', body: { request: 'RU-2021-002' } as never }, await latestSeen(stack.exchange.url));
    const response = await postEntry(stack.exchange.url, signed.bytes, true);
    if (response.status !== 201) assert.fail(JSON.stringify(response.body));
    const after = parseCheckpoint((parseNote(await (await fetch(`${stack.exchange.url}/checkpoint`)).text()) as { ok: true; value: { text: string } }).value.text);
    assert.ok(after.ok);
    assert.ok(after.value.size > before.value.size);
    const proof = (await (await fetch(`${stack.exchange.url}/v1/proof/consistency?old=${before.value.size}&new=${after.value.size}`)).json()) as { proof: string[] };
    const consistent = verifyConsistency(before.value.size, after.value.size, proof.proof.map((line) => fromBase64(line)!), before.value.root, after.value.root);
    assert.ok(consistent.ok);
  });
});
