import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getRequest, scenario2021, type AnyDomainEntry } from '@evenhand/core';
import { listArchivedCheckpoints } from '@evenhand/store';
import { checkCaseProof, parseCaseProof, parseCheckpoint, parseNote, parsePolicy, type CaseProof, type Policy } from '@evenhand/log';
import { ORIGIN, scenarioPolicy, treatyWithKeys, type ScenarioKeys } from '@evenhand/testing';
import { AuthorWriter } from '../src/signing/author-writer.ts';
import type { SimulatedClock } from '../src/simulated-clock.ts';
import { SESSION_COOKIE } from '../src/auth/sessions.ts';
import { latestSeen, postEntry, startStack, type Stack } from './exchange-stack.ts';
import { login, startGatewayStack, type GatewayStack } from './gateway-stack.ts';

/**
 * Issue 13, "Where people get them": case proofs downloaded over real HTTP on loopback, from
 * the exchange (public, for the transparency page's overdue obligations) and from a gateway
 * (officials, for the console's "Download proof"), each checked offline with checkCaseProof.
 */
const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);

/**
 * Signs the 2021 scenario as each author and submits it to the exchange at `url`, moving
 * `clock` to each entry's time. Every `waitEvery`-th entry and the last wait for a witnessed
 * checkpoint, so the archive holds checkpoints cosigned along the history, not only at its end.
 */
async function submitScenario(url: string, clock: SimulatedClock, keys: ScenarioKeys, waitEvery = Infinity): Promise<Uint8Array[]> {
  const entries: AnyDomainEntry[] = scenario2021(treatyWithKeys(keys), now);
  const writers = new Map([...keys.authors].map(([author, signer]) => [author, new AuthorWriter(author, ORIGIN, signer.seed)]));
  const out: Uint8Array[] = [];
  for (const [position, domain] of entries.entries()) {
    const writer = writers.get(domain.author)!;
    clock.advanceTo(domain.time);
    const signed = writer.sign(domain, await latestSeen(url));
    const answer = await postEntry(url, signed.bytes, position === entries.length - 1 || (position + 1) % waitEvery === 0);
    assert.equal(answer.status, 201, `entry ${position} (${domain.type} by ${domain.author}): ${JSON.stringify(answer.body)}`);
    writer.commit(signed);
    out.push(signed.bytes);
  }
  return out;
}

/** A downloaded bundle, checked as `evenhand check-proof` checks it, against the policy the reader trusts. */
function checked(text: string, policy: Policy) {
  const bundle = parseCaseProof(text);
  assert.ok(bundle.ok, bundle.ok ? '' : bundle.error.message);
  const result = checkCaseProof(bundle.value, policy);
  assert.ok(result.ok, result.ok ? '' : `${result.error.code}: ${result.error.message}`);
  return result.value;
}

function sizeOf(bundle: CaseProof): number {
  const note = parseNote(bundle.checkpoint);
  assert.ok(note.ok);
  const checkpoint = parseCheckpoint(note.value.text);
  assert.ok(checkpoint.ok);
  return checkpoint.value.size;
}

describe('case proofs from the exchange, public, over loopback', () => {
  let stack: Stack;
  let logged: Uint8Array[] = [];
  const get = (path: string) => fetch(`${stack.exchange.url}${path}`);

  before(async () => {
    stack = await startStack();
    logged = await submitScenario(stack.exchange.url, stack.clock, stack.keys, 4);
  });
  after(async () => stack?.close());

  it('serves a request\'s proof as a named JSON file that checks, holding the log\'s own bytes', async () => {
    const response = await get('/v1/requests/US-2021-001/proof');
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.match(response.headers.get('content-disposition') ?? '', /^attachment; filename="evenhand-proof-US-2021-001-\d+\.json"$/);
    assert.equal(response.headers.get('access-control-allow-origin'), '*', 'anyone may fetch it, from any page');
    const text = await response.text();
    const proof = checked(text, stack.policy);
    assert.deepEqual(proof.proof.subject, { type: 'request', id: 'US-2021-001' });
    assert.equal(proof.subjectEntries[0]?.entry.type, 'request.file');
    // Sealed members stay as the log holds them: every entry is the exact bytes submitted.
    for (const run of proof.proof.runs) run.entries.forEach((entry, i) => assert.equal(entry, Buffer.from(logged[run.from + i]!).toString('base64'), `entry ${run.from + i}`));
    assert.ok(proof.entries.length < logged.length, 'the case, not the log');
    assert.equal(await (await get('/v1/requests/US-2021-001/proof')).text(), text, 'the same tree gives the same file');
  });

  it('proves an overdue obligation unanswered, up to the first checkpoint cosigned after its due date', async () => {
    const response = await get('/v1/requests/US-2021-002/proof?unanswered=decide');
    assert.equal(response.status, 200, await response.clone().text());
    assert.match(response.headers.get('content-disposition') ?? '', /filename="evenhand-proof-US-2021-002-decide-\d+\.json"/);
    const proof = checked(await response.text(), stack.policy);
    assert.equal(proof.unanswered?.deadline.kind, 'decide');
    assert.equal(proof.unanswered?.deadline.party, 'RU');
    assert.ok(sizeOf(proof.proof) < logged.length, `the range ends at checkpoint ${sizeOf(proof.proof)}, before the head ${logged.length}`);
    // The search by halves (issue 14) finds what a walk over the archive finds: the first checkpoint after the filing cosigned after the due date.
    const due = proof.unanswered!.deadline.due;
    const filed = getRequest(stack.exchange.sequencer.domainState, 'US-2021-002')!.history[0]!.index;
    const archive = await listArchivedCheckpoints(stack.exchange.store.db, filed, logged.length, 10_000);
    assert.ok(archive.filter((row) => row.witnessedAt <= due).length >= 2, 'the archive holds checkpoints before the due date, which the search passes over');
    assert.equal(sizeOf(proof.proof), archive.find((row) => row.witnessedAt > due)?.size);
  });

  it('serves a trade\'s proof', async () => {
    const response = await get('/v1/trades/T-2021-1/proof');
    assert.equal(response.status, 200);
    const proof = checked(await response.text(), stack.policy);
    assert.deepEqual(proof.proof.subject, { type: 'trade', id: 'T-2021-1' });
    assert.deepEqual(proof.subjectEntries.map(({ entry }) => entry.type), ['trade.propose', 'trade.sign']);
  });

  it('answers an unknown case with the core\'s code, a bad obligation with the field, and one in time as not overdue', async () => {
    const cases: [string, number, string, string?][] = [
      ['/v1/requests/XX-1/proof', 404, 'REQUEST_UNKNOWN', 'path.id'],
      ['/v1/trades/T-0/proof', 404, 'TRADE_UNKNOWN'],
      ['/v1/requests/US-2021-002/proof?unanswered=never', 400, 'BAD_REQUEST', 'query.unanswered'],
      ['/v1/requests/US-2021-004/proof?unanswered=decide', 409, 'CASE_PROOF_NOT_OVERDUE', 'query.unanswered'],
    ];
    for (const [path, status, code, field] of cases) {
      const response = await get(path);
      const body = (await response.json()) as { code: string; message: string; field?: string };
      assert.deepEqual([response.status, body.code], [status, code], `${path}: ${body.message}`);
      if (field) assert.equal(body.field, field, `${path}: ${body.message}`);
    }
  });
});

describe('case proofs from a gateway, for its officials, over loopback', () => {
  let stack: GatewayStack;
  /** The policy a reader of the bundle trusts: the log key and the states' and CH's witnesses. */
  const trusted = (): Policy => {
    const policy = parsePolicy(scenarioPolicy(stack.keys, stack.witnessUrls));
    assert.ok(policy.ok);
    return policy.value;
  };

  before(async () => {
    // The test signs the states' entries itself, so the gateways write none of their own.
    stack = await startGatewayStack({ start: now - 400 * DAY, caseKeyTimer: false });
    await submitScenario(stack.exchange.url, stack.clock, stack.keys, 8);
    await stack.syncAll(60_000);
  });
  after(async () => stack?.close());

  it('downloads a request\'s and a trade\'s proof from the console API, which check', async () => {
    const url = stack.gateways.get('US')!.url;
    assert.equal((await fetch(`${url}/api/requests/US-2021-001/proof`)).status, 401, 'officials only');
    const session = await fetch(`${url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-observer', password: 'us-observer-pw' }) });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    assert.ok(cookie.startsWith(`${SESSION_COOKIE}=`));
    const request = await fetch(`${url}/api/requests/US-2021-001/proof`, { headers: { cookie } });
    assert.equal(request.status, 200);
    assert.match(request.headers.get('content-disposition') ?? '', /^attachment; filename="evenhand-proof-US-2021-001-\d+\.json"$/);
    const proof = checked(await request.text(), trusted());
    assert.deepEqual(proof.proof.subject, { type: 'request', id: 'US-2021-001' });
    const trade = await fetch(`${url}/api/trades/T-2021-1/proof`, { headers: { cookie } });
    assert.equal(trade.status, 200);
    assert.deepEqual(checked(await trade.text(), trusted()).proof.subject, { type: 'trade', id: 'T-2021-1' });
  });

  it('proves RU\'s unanswered decision from the RU console, ending at the exchange\'s archived checkpoint', async () => {
    const official = await login(stack.gateways.get('RU')!.url, 'ru-observer');
    const answer = await official.call('GET', '/api/requests/US-2021-002/proof?unanswered=decide');
    assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 500));
    const proof = checked(JSON.stringify(answer.body), trusted());
    assert.equal(proof.unanswered?.deadline.kind, 'decide');
    assert.ok(sizeOf(proof.proof) < stack.exchange.sequencer.size, `the range ends at checkpoint ${sizeOf(proof.proof)}, before the head ${stack.exchange.sequencer.size}`);
    const unknown = await official.call('GET', '/api/requests/XX-1/proof');
    assert.deepEqual([unknown.status, unknown.body.code], [404, 'REQUEST_UNKNOWN']);
  });
});
