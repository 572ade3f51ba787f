import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { scenario2021, type AnyDomainEntry } from '@evenhand/core';
import { fromUtf8, toBase64, utf8 } from '@evenhand/log';
import { countEntries, readEntries } from '@evenhand/store';
import { ORIGIN, testSeed, treatyWithKeys } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import { latestSeen, postEntry, startStack, submitEntries, type Stack } from './exchange-stack.ts';

/**
 * Adversarial input to the exchange's POST /v1/entries, tiles and proofs: everything must be
 * a clear 4xx with the right code, nothing may enter the log, and the server keeps serving.
 */
const now = () => Math.floor(Date.now() / 1000);
const text = (bytes: Uint8Array) => fromUtf8(bytes)!;

describe('adversarial: the exchange refuses bad entries and bad reads', () => {
  let stack: Stack;
  let url: string;
  let entries: AnyDomainEntry[];

  before(async () => {
    stack = await startStack();
    url = stack.exchange.url;
    entries = scenario2021(treatyWithKeys(stack.keys), now());
    await submitEntries(stack, entries, { waitForLast: true });
    // The scenario was replayed on the stack's clock; the attacks below happen today.
    stack.clock.catchUp();
  });
  after(async () => stack?.close());

  /** A valid next entry of US: acknowledging nothing would fail the treaty, so file a fresh request. */
  function nextUsFiling(id: string, seen = { size: 0, root: toBase64(new Uint8Array(32)) }) {
    const template = entries.find((entry) => entry.type === 'request.file' && entry.author === 'US')!;
    return stack.writers.get('US')!.sign({ time: now(), type: 'request.file', body: { ...(template.body as object), request: id } as never }, seen);
  }

  async function refused(bytes: Uint8Array | string, status: number, code: string, what: string) {
    const before = stack.exchange.sequencer.size;
    const response = await postEntry(url, typeof bytes === 'string' ? utf8(bytes) : bytes);
    assert.equal(response.status, status, `${what}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.code, code, `${what}: ${JSON.stringify(response.body)}`);
    assert.equal(typeof response.body.message, 'string');
    assert.equal(stack.exchange.sequencer.size, before, `${what}: nothing entered the log`);
    return response.body;
  }

  it('refuses non-canonical, duplicate-key, unsafe-number, oversized and wrong-origin entries', async () => {
    const seen = await latestSeen(url);
    const good = text(nextUsFiling('US-ADV-1', seen).bytes);
    await refused(good.replace('{"author"', '{ "author"'), 400, 'ENTRY_NOT_CANONICAL', 'a space');
    await refused(`${good}\n`, 400, 'ENTRY_NOT_CANONICAL', 'a trailing newline');
    await refused(good.replace('{"author":"US"', '{"author":"RU","author":"US"'), 400, 'ENTRY_DUPLICATE_KEY', 'a duplicate key');
    await refused(good.replace(/"seq":\d+/, '"seq":9007199254740993'), 400, 'ENTRY_UNSAFE_NUMBER', 'seq above 2^53');
    await refused(good.replace(/"time":\d+/, '"time":1e9'), 400, 'ENTRY_UNSAFE_NUMBER', 'an exponent');
    await refused(good.replace(/"seq":(\d+)/, '"seq":$1.5'), 400, 'ENTRY_UNSAFE_NUMBER', 'a fractional seq');
    await refused(good.replace('"v":1}', '"v":1,"x":1}'), 400, 'ENTRY_INVALID', 'an extra top-level field');
    // Above the 65,535-byte entry limit but under the HTTP body limit: the log's code, 413.
    await refused(`{"body":"${'a'.repeat(66_000)}"}`, 413, 'ENTRY_TOO_LARGE', 'an entry over 64 KiB');
    const elsewhere = new AuthorWriter('US', 'evenhand/another-treaty', stack.keys.authors.get('US')!.seed);
    const template = entries.find((entry) => entry.type === 'request.file' && entry.author === 'US')!;
    const foreign = elsewhere.sign({ time: now(), type: 'request.file', body: { ...(template.body as object), request: 'US-ADV-2' } as never }, seen);
    await refused(foreign.bytes, 400, 'ENTRY_WRONG_ORIGIN', 'another log');
    assert.equal((await fetch(`${url}/v1/health`)).status, 200, 'still serving');
  });

  it('refuses forged signatures: a flipped bit, a signature moved to another body, a party signing as another', async () => {
    const seen = await latestSeen(url);
    const good = text(nextUsFiling('US-ADV-3', seen).bytes);
    const sig = /"sig":"([^"]+)"/.exec(good)![1]!;
    const bytes = Buffer.from(sig, 'base64');
    bytes[5] = bytes[5]! ^ 0x01;
    await refused(good.replace(sig, bytes.toString('base64')), 403, 'ENTRY_BAD_SIGNATURE', 'a flipped bit');
    const other = text(nextUsFiling('US-ADV-4', seen).bytes);
    await refused(other.replace(/"sig":"[^"]+"/, `"sig":"${sig}"`), 403, 'ENTRY_BAD_SIGNATURE', 'a signature moved to another body');
    const ruAsUs = new AuthorWriter('US', ORIGIN, stack.keys.authors.get('RU')!.seed);
    ruAsUs.resume({ seq: stack.writers.get('US')!.next.seq - 1, bytes: utf8('unused') });
    const template = entries.find((entry) => entry.type === 'request.file' && entry.author === 'US')!;
    await refused(ruAsUs.sign({ time: now(), type: 'request.file', body: { ...(template.body as object), request: 'US-ADV-5' } as never }, seen).bytes, 403, 'ENTRY_BAD_SIGNATURE', 'RU signing as US');
    const stranger = new AuthorWriter('CH', ORIGIN, testSeed('stranger'));
    await refused(stranger.sign({ time: now(), type: 'request.file', body: { ...(template.body as object), request: 'CH-ADV-1' } as never }, seen).bytes, 403, 'ENTRY_UNKNOWN_AUTHOR', 'an author outside the treaty');
  });

  it('refuses a `seen` the log never had: a forked root, a size beyond the log', async () => {
    const seen = await latestSeen(url);
    const forkRoot = toBase64(new Uint8Array(32).fill(9));
    await refused(nextUsFiling('US-ADV-6', { size: seen.size, root: forkRoot }).bytes, 409, 'ENTRY_SEEN_NOT_PREFIX', 'a forked root at the published size');
    await refused(nextUsFiling('US-ADV-7', { size: 3, root: seen.root }).bytes, 409, 'ENTRY_SEEN_NOT_PREFIX', 'the published root at another size');
    await refused(nextUsFiling('US-ADV-8', { size: stack.exchange.sequencer.size + 5, root: seen.root }).bytes, 409, 'ENTRY_SEEN_NOT_PREFIX', 'a size beyond the log');
  });

  it('refuses entries that pass the log checks but not the treaty, with the core code and the field, and the chain does not move', async () => {
    const seen = await latestSeen(url);
    const ru = stack.writers.get('RU')!;
    const at = now();
    const unknown = await refused(ru.sign({ time: at, type: 'request.acknowledge', body: { request: 'NO-SUCH-1' } as never }, seen).bytes, 404, 'REQUEST_UNKNOWN', 'an unknown request');
    assert.equal(unknown.field, 'body.request');
    assert.match(String(unknown.message), /body\.request/);
    const duplicate = await refused(nextUsFiling('US-2021-001', seen).bytes, 409, 'REQUEST_EXISTS', 'a request id taken');
    assert.equal(duplicate.field, 'body.request');
    const decide = entries.find((entry) => entry.type === 'request.decide' && entry.author === 'RU')!;
    const sameTwice = await refused(ru.sign({ time: at, type: 'request.decide', body: { ...(decide.body as object), request: 'US-2021-002', approvers: ['ru-approver-1', 'ru-approver-1'] } as never }, seen).bytes, 400, 'APPROVERS_NOT_DISTINCT', 'one approver twice');
    assert.equal(sameTwice.field, 'body.approvers');
    const wrongSide = await refused(stack.writers.get('US')!.sign({ time: at, type: 'request.acknowledge', body: { request: 'US-2021-004' } as never }, seen).bytes, 403, 'NOT_REQUESTED_PARTY', 'the requesting party acknowledging');
    assert.match(String(wrongSide.message), /\w+:/, 'the message names the field');
    // None of the refusals consumed RU's seq: its next valid entry carries the same seq.
    const expected = ru.next.seq;
    const valid = ru.sign({ time: at, type: 'request.acknowledge', body: { request: 'US-2021-002' } as never }, seen);
    assert.equal(valid.entry.seq, expected);
    const response = await postEntry(url, valid.bytes);
    // US-2021-002 is acknowledged already: a lifecycle refusal, still not a chain error.
    assert.equal(response.status, 422, JSON.stringify(response.body));
    assert.equal(response.body.code, 'ILLEGAL_TRANSITION');
    assert.equal(response.body.field, 'body.request');
  });

  it('refuses entry times off its clock, or going back across the log, whatever the author signed', async () => {
    const seen = await latestSeen(url);
    const us = stack.writers.get('US')!;
    const template = entries.find((entry) => entry.type === 'request.file' && entry.author === 'US')!;
    const filing = (id: string, time: number) => us.sign({ time, type: 'request.file', body: { ...(template.body as object), request: id } as never }, seen);
    // Backdated by an hour, or dated an hour ahead: the deadlines would run from a false date.
    await refused(filing('US-TIME-1', now() - 3600).bytes, 422, 'ENTRY_TIME_SKEW', 'an hour in the past');
    await refused(filing('US-TIME-2', now() + 3600).bytes, 422, 'ENTRY_TIME_SKEW', 'an hour ahead');
    // Within the skew, but after an entry dated at its far edge: the log's times would go back 590 s.
    const ahead = filing('US-TIME-3', now() + 295);
    assert.equal((await postEntry(url, ahead.bytes)).status, 201);
    us.commit(ahead);
    const back = await refused(filing('US-TIME-4', now() - 295).bytes, 422, 'ENTRY_TIME_BACKWARDS', 'back across the log');
    assert.match(String(back.message), /entry times may go back at most the treaty's skew of 300 s/);
  });

  it('sequences exactly one of many concurrent entries with the same author seq, and the chain continues from it', async () => {
    const seen = await latestSeen(url);
    const us = stack.writers.get('US')!;
    const before = stack.exchange.sequencer.size;
    const rivals = Array.from({ length: 12 }, (_, i) => nextUsFiling(`US-RACE-${i}`, seen));
    assert.equal(new Set(rivals.map((rival) => rival.entry.seq)).size, 1, 'all carry the same seq');
    const answers = await Promise.all(rivals.map((rival) => postEntry(url, rival.bytes)));
    const winners = answers.flatMap((answer, i) => (answer.status === 201 ? [i] : []));
    assert.equal(winners.length, 1, `exactly one accepted: ${answers.map((answer) => `${answer.status} ${String(answer.body.code ?? '')}`).join(', ')}`);
    for (const answer of answers) if (answer.status !== 201) assert.equal(answer.body.code, 'ENTRY_REPLAYED');
    assert.equal(stack.exchange.sequencer.size, before + 1);
    assert.equal(await countEntries(stack.exchange.store.db), before + 1, 'the database holds the same count');
    const [stored] = await readEntries(stack.exchange.store.db, before, before + 1);
    assert.equal(text(stored!.bytes), text(rivals[winners[0]!]!.bytes));
    us.commit(rivals[winners[0]!]!);
    // A loser replayed later is still refused; the next seq chains on the winner.
    await refused(rivals[(winners[0]! + 1) % rivals.length]!.bytes, 409, 'ENTRY_REPLAYED', 'a loser resent');
    const next = nextUsFiling('US-RACE-next', seen);
    assert.equal((await postEntry(url, next.bytes)).status, 201);
    us.commit(next);
  });

  it('serves no tile beyond the log and no path outside tlog-tiles', async () => {
    const size = stack.exchange.sequencer.size;
    assert.ok(size > 0 && size < 256);
    const ok = await stack.exchange.app.inject({ method: 'GET', url: `/tile/entries/000.p/${size}` });
    assert.equal(ok.statusCode, 200);
    const paths = [
      `tile/entries/000.p/${size + 1}`,
      `tile/0/000.p/${size + 1}`,
      'tile/0/000',
      'tile/entries/000',
      'tile/0/001',
      'tile/1/000.p/1',
      'tile/63/000',
      'tile/64/000',
      'tile/0/000.p/0',
      'tile/0/000.p/256',
      'tile/0/000.p/01',
      'tile/0/x000/000.p/1',
      'tile/0/x999/x999/x999/x999/x999/x999/999',
      'tile/0/00',
      'tile/-1/000',
      'tile/entries/../000.p/1',
      'tile/0/..%2f..%2fcheckpoint',
      'tile/0/000.p/1/',
      'tile/0/000.p/1%00',
      'tile/',
      'tile',
    ];
    for (const path of paths) {
      const answer = await stack.exchange.app.inject({ method: 'GET', url: `/${path}` });
      assert.equal(answer.statusCode, 404, `${path}: ${answer.statusCode} ${answer.body.slice(0, 80)}`);
      assert.doesNotMatch(answer.headers['cache-control'] ?? '', /immutable/, `${path} served as an immutable tile`);
    }
    // Dot segments are resolved before routing (RFC 3986 §5.2.4): `tile/../checkpoint` is the
    // mutable checkpoint, never a tile, and nothing outside the routes is reachable.
    for (const path of ['tile/../checkpoint', 'tile/%2e%2e/checkpoint', 'tile/0/../../checkpoint', 'tile/../../../../etc/passwd']) {
      const answer = await stack.exchange.app.inject({ method: 'GET', url: `/${path}` });
      assert.doesNotMatch(answer.headers['cache-control'] ?? '', /immutable/, path);
      assert.doesNotMatch(answer.body, /root:/, path);
    }
    // Over a real socket too, where the client does not normalise `..` (fetch would).
    const { request } = await import('node:http');
    const raw = await new Promise<number>((resolve, reject) => {
      const target = new URL(url);
      const call = request({ host: target.hostname, port: target.port, path: '/tile/0/../../../etc/passwd', method: 'GET' }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      call.on('error', reject);
      call.end();
    });
    assert.equal(raw, 404);
  });

  it('answers absurd proof queries with a 400 and keeps serving', async () => {
    const size = stack.exchange.sequencer.size;
    const queries = [
      'inclusion?index=0&size=100000000000000000000',
      'inclusion?index=100000000000000000000&size=1',
      `inclusion?index=${size}&size=${size}`,
      'inclusion?index=-1&size=1',
      'inclusion?index=0&size=0',
      'inclusion?index=abc&size=1',
      'inclusion?index=1.5&size=3',
      'inclusion?index=9007199254740993&size=1',
      'inclusion?size=1',
      `consistency?old=${size}&new=1`,
      'consistency?old=0&new=1e308',
      `consistency?old=-5&new=${size}`,
      `consistency?old=9007199254740993&new=${size}`,
      'consistency?old=NaN&new=1',
    ];
    for (const query of queries) {
      const answer = await fetch(`${url}/v1/proof/${query}`);
      const body = (await answer.json()) as { code?: string };
      assert.equal(answer.status, 400, `${query}: ${answer.status} ${JSON.stringify(body)}`);
      assert.equal(typeof body.code, 'string');
    }
    assert.equal((await fetch(`${url}/v1/proof/consistency?old=1&new=${size}`)).status, 200);
    assert.equal((await fetch(`${url}/v1/health`)).status, 200);
  });
});
