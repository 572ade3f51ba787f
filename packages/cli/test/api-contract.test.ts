import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@evenhand/testing';
import { runDemo, type RunningDemo } from '../src/demo/run-demo.ts';
import { defaultTreatyPath } from '../src/paths.ts';
import { readTreatyFile } from '../src/read-treaty.ts';
import { ContractChecker } from './contract-checker.ts';

/**
 * Issue 16, "API contracts": every route of the exchange, the gateways and the witness states
 * its request and response schemas at /docs, and this test checks, on the demo, that each
 * route's documented schema accepts what the route returns. It walks every documented
 * operation of every service with real requests over HTTP, checks every answer against the
 * document its service publishes, and fails on any operation no answer reached.
 */

interface Answer {
  readonly status: number;
  readonly body: any;
  readonly text: string;
  readonly headers: Headers;
}

/** A service's client that checks every answer against the service's own /docs/json. */
class CheckedService {
  private constructor(
    readonly base: string,
    readonly checker: ContractChecker,
  ) {}

  static async open(name: string, base: string): Promise<CheckedService> {
    const response = await fetch(`${base}/docs/json`);
    assert.equal(response.status, 200, `${name} publishes /docs/json`);
    return new CheckedService(base, new ContractChecker(name, (await response.json()) as never));
  }

  async call(method: string, path: string, options: { body?: unknown; bytes?: Uint8Array; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | Uint8Array | undefined;
    if (options.bytes) body = options.bytes;
    else if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${this.base}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    this.checker.check(method, path, response.status, contentType, text);
    return { status: response.status, text, headers: response.headers, body: contentType.startsWith('application/json') && text ? JSON.parse(text) : text };
  }

  /** A server-sent event stream: the first chunk is enough to check its status and type. */
  async stream(path: string, headers: Record<string, string>): Promise<Answer> {
    const abort = new AbortController();
    const response = await fetch(`${this.base}${path}`, { headers, signal: abort.signal });
    const reader = response.body!.getReader();
    const first = await reader.read();
    abort.abort();
    const text = Buffer.from(first.value ?? new Uint8Array()).toString('utf8');
    this.checker.check('GET', path, response.status, response.headers.get('content-type') ?? '', text);
    return { status: response.status, text, headers: response.headers, body: text };
  }
}

/** An official's session on a gateway: the cookie and the CSRF token every write carries. */
class Session {
  private constructor(
    private readonly service: CheckedService,
    private readonly cookie: string,
    private readonly csrf: string,
  ) {}

  static async open(service: CheckedService, username: string, password: string): Promise<Session> {
    const response = await fetch(`${service.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const text = await response.text();
    service.checker.check('POST', '/api/login', response.status, response.headers.get('content-type') ?? '', text);
    assert.equal(response.status, 200, `login ${username}: ${text}`);
    return new Session(service, (response.headers.get('set-cookie') ?? '').split(';')[0]!, (JSON.parse(text) as { csrfToken: string }).csrfToken);
  }

  get headers(): Record<string, string> {
    return { cookie: this.cookie, 'x-csrf-token': this.csrf };
  }

  call(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.service.call(method, path, { ...(body === undefined ? {} : { body }), headers: this.headers });
  }

  upload(path: string, bytes: Uint8Array, filename: string): Promise<Answer> {
    return this.service.call('POST', path, { bytes, headers: { ...this.headers, 'content-type': 'application/octet-stream', 'x-filename': filename } });
  }
}

/** Asserts the status of an answer, showing its body when it differs. */
function expectStatus(answer: Answer, status: number, what: string): void {
  assert.equal(answer.status, status, `${what}: ${answer.text.slice(0, 400)}`);
}

describe('API contracts: every route of the demo answers as /docs says', () => {
  let dir: string;
  let demo: RunningDemo;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'evenhand-contract-'));
    const [exchange, witness, us, ru] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    demo = await runDemo({ dir, fresh: true, ports: { exchange, witness, gateways: { US: us, RU: ru } }, treaty: readTreatyFile(defaultTreatyPath()), now: () => Math.floor(Date.now() / 1000), log: () => undefined });
  });

  after(async () => {
    await demo?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers every documented operation of the exchange, both gateways and the witness within its schema', { timeout: 240_000 }, async () => {
    const exchange = await CheckedService.open('exchange', demo.exchange.url);
    const witness = await CheckedService.open('witness', demo.witness.url);
    const us = await CheckedService.open('US gateway', demo.gateways.get('US')!.url);
    const ru = await CheckedService.open('RU gateway', demo.gateways.get('RU')!.url);
    const password = (name: string) => demo.logins.get(name)!;

    await walkExchange(exchange, readFileSync(demo.operatorTokenFile, 'utf8').trim());
    await walkWitness(witness);
    await walkGateway(us, ru, password);

    const services = [exchange, witness, us, ru];
    const failures = services.flatMap((service) => service.checker.failures);
    assert.deepEqual(failures, [], 'answers the documents refuse');
    for (const service of services) assert.ok(service.checker.operations.length > 0, `${service.checker.service} documents its operations`);
    assert.deepEqual(exchange.checker.unanswered(), [], 'exchange: documented operations this walk did not reach');
    assert.deepEqual(witness.checker.unanswered(), [], 'witness: documented operations this walk did not reach');
    // Both gateways run the same code and document the same operations: the walk takes each act on one of them.
    assert.deepEqual(us.checker.operations.map((each) => each.template), ru.checker.operations.map((each) => each.template));
    const ruAnswered = new Set(ru.checker.unanswered());
    assert.deepEqual(us.checker.unanswered().filter((key) => ruAnswered.has(key)), [], 'gateways: documented operations this walk did not reach on either');
  });
});

/** Every operation of the exchange: the log's tiles and proofs, the public views, evidence and clearing. */
async function walkExchange(exchange: CheckedService, operatorToken: string): Promise<void> {
  expectStatus(await exchange.call('GET', '/v1/health'), 200, 'health');
  const checkpoint = await exchange.call('GET', '/checkpoint');
  expectStatus(checkpoint, 200, 'checkpoint');
  const size = Number(checkpoint.text.split('\n')[1]);
  assert.ok(size > 2, `the seeded log has entries (${size})`);
  expectStatus(await exchange.call('GET', `/v1/checkpoint?covering=${size - 1}`), 200, 'the checkpoint covering an entry');
  expectStatus(await exchange.call('GET', '/v1/checkpoint?covering=x'), 400, 'a bad index to wait for');
  expectStatus(await exchange.call('GET', '/policy'), 200, 'policy');
  const partial = size % 256;
  expectStatus(await exchange.call('GET', `/tile/0/000${size < 256 ? `.p/${partial}` : ''}`), 200, 'a hash tile');
  expectStatus(await exchange.call('GET', `/tile/entries/000${size < 256 ? `.p/${partial}` : ''}`), 200, 'an entry bundle');
  const archive = await exchange.call('GET', '/checkpoints/0');
  assert.ok([200, 404].includes(archive.status), `the checkpoint archive: ${archive.status}`);
  expectStatus(await exchange.call('GET', `/v1/proof/inclusion?index=0&size=${size}`), 200, 'inclusion proof');
  expectStatus(await exchange.call('GET', `/v1/proof/consistency?old=1&new=${size}`), 200, 'consistency proof');
  expectStatus(await exchange.call('GET', '/v1/proof/inclusion?index=x&size=1'), 400, 'a bad index');

  const requests = await exchange.call('GET', '/v1/requests?limit=3');
  expectStatus(requests, 200, 'requests');
  expectStatus(await exchange.call('GET', `/v1/requests?after=${requests.body.next}`), 200, 'the next page');
  expectStatus(await exchange.call('GET', '/v1/requests/US-2021-001'), 200, 'one request');
  expectStatus(await exchange.call('GET', '/v1/requests/NO-SUCH'), 404, 'an unknown request');
  expectStatus(await exchange.call('GET', '/v1/requests/US-2021-001/proof'), 200, "a request's proof");
  expectStatus(await exchange.call('GET', '/v1/trades'), 200, 'trades');
  expectStatus(await exchange.call('GET', '/v1/trades/T-2021-1/proof'), 200, "a trade's proof");
  for (const format of ['json', 'csv']) {
    expectStatus(await exchange.call('GET', `/v1/statistics?format=${format}`), 200, `statistics as ${format}`);
    expectStatus(await exchange.call('GET', `/v1/deadlines?format=${format}&size=${size}`), 200, `deadlines as ${format}`);
  }
  expectStatus(await exchange.call('GET', '/v1/treaty'), 200, 'treaty');
  expectStatus(await exchange.call('GET', '/v1/incidents'), 200, 'incidents');
  expectStatus(await exchange.call('GET', '/v1/incidents/colonial-pipeline-2021'), 200, 'one incident');
  expectStatus(await exchange.call('GET', '/v1/groups'), 200, 'groups');
  expectStatus(await exchange.call('GET', `/v1/blobs/${'0'.repeat(64)}`), 404, 'an unknown blob');
  expectStatus(await exchange.call('PUT', `/v1/blobs/${'0'.repeat(64)}`, { bytes: new Uint8Array([1, 2, 3]), headers: { 'content-type': 'application/jose+json' } }), 400, 'a blob without its author');
  expectStatus(await exchange.call('POST', '/v1/entries', { body: '{"not":"an entry"}' }), 400, 'an entry that is no entry');
  const batch = await exchange.call('POST', '/v1/entries/batch', { body: { entries: [Buffer.from('{"not":"an entry"}').toString('base64')] } });
  expectStatus(batch, 200, 'a batch of one entry that is no entry');
  assert.equal(typeof batch.body.results[0].code, 'string', 'answered with its refusal');
  expectStatus(await exchange.call('POST', '/v1/clearing/run', { headers: { authorization: 'Bearer wrong' } }), 401, 'clearing without the token');
  const round = await exchange.call('POST', '/v1/clearing/run', { headers: { authorization: `Bearer ${operatorToken}` } });
  assert.ok(round.status < 300, `a clearing round: ${round.text}`);
}

/** The neutral witness: its identity, its latest cosigned checkpoint, and a refused add-checkpoint. */
async function walkWitness(witness: CheckedService): Promise<void> {
  expectStatus(await witness.call('GET', '/'), 200, 'who the witness is');
  expectStatus(await witness.call('GET', '/checkpoint/cosigned'), 200, 'its latest cosigned checkpoint');
  expectStatus(await witness.call('POST', '/add-checkpoint', { body: 'not a request', headers: { 'content-type': 'text/plain' } }), 400, 'a malformed add-checkpoint');
}

/** Every operation of a gateway, walked on the US's and RU's: a filing, its acts, a decision's proposals, drafts, evidence, trades, officials, treaty acts. */
async function walkGateway(us: CheckedService, ru: CheckedService, password: (name: string) => string): Promise<void> {
  expectStatus(await us.call('GET', '/api/gateway'), 200, "the gateway's state");
  expectStatus(await us.call('GET', '/api/me'), 401, 'no session');
  expectStatus(await us.call('GET', '/checkpoint/cosigned'), 200, "the US witness's latest");
  expectStatus(await us.call('POST', '/add-checkpoint', { body: 'not a request', headers: { 'content-type': 'text/plain' } }), 400, 'a malformed add-checkpoint');
  const usClerk = await Session.open(us, 'us-clerk', password('us-clerk'));
  const usApprover = await Session.open(us, 'us-approver-1', password('us-approver-1'));
  const ruClerk = await Session.open(ru, 'ru-clerk', password('ru-clerk'));
  const ruReviewer = await Session.open(ru, 'ru-reviewer', password('ru-reviewer'));
  const ruFirst = await Session.open(ru, 'ru-approver-1', password('ru-approver-1'));
  const ruSecond = await Session.open(ru, 'ru-approver-2', password('ru-approver-2'));

  expectStatus(await usClerk.call('GET', '/api/me'), 200, 'me');
  const events = await us.stream('/api/events', usClerk.headers);
  expectStatus(events, 200, 'events');
  for (const path of ['/api/treaty', '/api/statistics', '/api/dashboard', '/api/deadlines', '/api/log-health', '/api/tasks?since=0', '/api/requests?acts=true&limit=5', '/api/proposals', '/api/officials', '/api/incidents?limit=2', '/api/trades', '/api/trade-pool', '/api/drafts']) {
    expectStatus(await usClerk.call('GET', path), 200, path);
  }
  expectStatus(await usApprover.call('GET', '/api/audit/decryptions?limit=5'), 200, 'the decryption audit');
  expectStatus(await usClerk.call('GET', '/api/requests/US-2021-001'), 200, 'one request');
  expectStatus(await usClerk.call('GET', '/api/requests/US-2021-001/proof'), 200, "a request's proof");
  expectStatus(await usClerk.call('GET', '/api/trades/T-2021-1'), 200, 'one trade');
  expectStatus(await usClerk.call('GET', '/api/trades/T-2021-1/proof'), 200, "a trade's proof");
  expectStatus(await usClerk.call('GET', '/api/requests?limit=0'), 400, 'a page of no rows');

  // Evidence: sealed to RU before any request names it, then read back.
  const stored = await usClerk.upload('/api/evidence?for=RU', new TextEncoder().encode('log excerpt'), 'excerpt.txt');
  expectStatus(stored, 201, 'evidence stored');
  expectStatus(await usClerk.call('GET', `/api/evidence/${stored.body.ref}`), 200, 'evidence read back');

  // A filing, through a draft: saved, read, changed, filed; another draft deleted.
  const filing = {
    request: 'US-2026-901',
    requested: 'RU',
    kind: 'extradition',
    offences: ['illegal-access'],
    purpose: 'prosecution',
    offenceDate: '2026-01-10',
    subject: { pseudonym: 'subject-901', nationalities: ['US'], ageAtOffence: 30 },
    sealed: { identity: 'Test Person', statement: 'a contract walk' },
  };
  const draft = await usClerk.call('POST', '/api/drafts', { request: 'US-2026-900' });
  expectStatus(draft, 201, 'a draft saved');
  expectStatus(await usClerk.call('GET', `/api/drafts/${draft.body.id}`), 200, 'a draft read');
  expectStatus(await usClerk.call('PUT', `/api/drafts/${draft.body.id}`, filing), 200, 'a draft changed');
  expectStatus(await usClerk.call('POST', `/api/drafts/${draft.body.id}/file`), 201, 'a draft filed');
  const spare = await usClerk.call('POST', '/api/drafts', { request: 'US-2026-999' });
  expectStatus(await usClerk.call('DELETE', `/api/drafts/${spare.body.id}`), 204, 'a draft deleted');
  expectStatus(await usClerk.call('POST', '/api/requests', { ...filing, request: 'US-2026-902', subject: { ...filing.subject, pseudonym: 'subject-902' } }), 201, 'a request filed');
  expectStatus(await usClerk.call('POST', '/api/requests', { ...filing, request: 7 }), 400, 'a filing with a bad id');

  // RU acts on the filing: acknowledges it; its approvers propose decisions and close them three ways.
  expectStatus(await ruClerk.call('GET', '/api/requests/US-2026-901'), 200, 'RU sees the filing');
  expectStatus(await ruReviewer.call('POST', '/api/requests/US-2026-901/actions/acknowledge', {}), 201, 'acknowledged');
  const decide = (request: string, body: unknown) => ruFirst.call('POST', `/api/requests/${request}/decision-proposals`, body);
  const withdrawn = await decide('US-2026-901', { decision: 'grant' });
  expectStatus(withdrawn, 201, 'a decision proposed');
  expectStatus(await ruFirst.call('POST', `/api/proposals/${withdrawn.body.proposal.id}/withdraw`, {}), 201, 'withdrawn');
  const rejected = await decide('US-2026-901', { decision: 'grant' });
  expectStatus(await ruSecond.call('POST', `/api/proposals/${rejected.body.proposal.id}/reject`, { reasons: 'not yet' }), 201, 'rejected');
  const confirmed = await decide('US-2026-901', { decision: 'grant' });
  expectStatus(await ruSecond.call('POST', `/api/proposals/${confirmed.body.proposal.id}/confirm`), 201, 'confirmed');
  expectStatus(await ruFirst.call('POST', '/api/requests/US-2026-901/decision-proposals', { decision: 'maybe' }), 400, 'a decision that is none');

  // Trades: RU proposes to sign the scenario's trade, then withdraws; the other acts are refused on a trade not committed.
  const signing = await ruFirst.call('POST', '/api/trades/T-2021-1/sign', { note: 'signed in a contract walk' });
  expectStatus(signing, 201, 'signing proposed');
  expectStatus(await ruFirst.call('POST', `/api/proposals/${signing.body.proposal.id}/withdraw`, {}), 201, 'signing withdrawn');
  const committing = await ruFirst.call('POST', '/api/trades/T-2021-1/commit', {});
  assert.ok([201, 400, 403, 409, 422].includes(committing.status), `commit: ${committing.text}`);
  if (committing.status === 201) await ruFirst.call('POST', `/api/proposals/${committing.body.proposal.id}/withdraw`, {});
  for (const act of ['surrender', 'attest', 'confirm-receipt', 'abort']) {
    const answer = await ruFirst.call('POST', `/api/trades/T-2021-1/${act}`, { leg: 0 });
    assert.ok(answer.status >= 400 && answer.status < 500, `${act} on a trade not committed: ${answer.status} ${answer.text}`);
  }
  const proposedTrade = await ruFirst.call('POST', '/api/trades', { trade: 'T-2026-1', legs: [] });
  expectStatus(proposedTrade, 400, 'a trade of no legs');

  // Officials: the founding set exists; nobody waits to be registered; a revocation that would leave one approver is refused.
  expectStatus(await ruFirst.call('POST', '/api/officials/founding'), 409, 'a second founding');
  const registering = await ruFirst.call('POST', '/api/officials/register', {});
  assert.ok(registering.status === 201 || registering.status === 400, `register: ${registering.text}`);
  const revoking = await ruFirst.call('POST', '/api/officials/ru-approver-2/revoke', { reason: 'a contract walk' });
  expectStatus(revoking, 422, 'a revocation leaving one approver');
  assert.equal(revoking.body.code, 'OFFICIALS_TOO_FEW');

  // Treaty acts: a denunciation proposed and withdrawn; a ratification of no pending version and a malformed proposal refused.
  const treaty = (await ruFirst.call('GET', '/api/treaty')).body.treaty as { id: string; version: number };
  const denouncing = await ruFirst.call('POST', '/api/treaty/denounce', { treaty: treaty.id });
  expectStatus(denouncing, 201, 'a denunciation proposed');
  expectStatus(await ruFirst.call('POST', `/api/proposals/${denouncing.body.proposal.id}/withdraw`, {}), 201, 'the denunciation withdrawn');
  const ratifying = await ruFirst.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version + 5 });
  assert.ok(ratifying.status >= 400 && ratifying.status < 500, `ratify: ${ratifying.text}`);
  expectStatus(await ruFirst.call('POST', '/api/treaty/propose', { treaty: { id: treaty.id } }), 400, 'a treaty that is no treaty');

  // An incident, and the end of a session.
  expectStatus(await ruClerk.call('POST', '/api/incidents', { incident: 'contract-walk-2026', name: 'A contract walk', date: '2026-01-10', sector: 'energy', description: 'a test incident' }), 201, 'an incident registered');
  expectStatus(await usClerk.call('POST', '/api/logout'), 200, 'logged out');
}
