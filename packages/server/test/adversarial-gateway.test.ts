import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { fromUtf8 } from '@evenhand/log';
import { createAccount, readEntries } from '@evenhand/store';
import { treatyWithKeys } from '@evenhand/testing';
import { hashPassword } from '../src/auth/password.ts';
import { CSRF_HEADER, SESSION_COOKIE } from '../src/auth/sessions.ts';
import { loginEveryone, login, responses, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Adversarial use of the gateways' console API: sessions (fixation, logout, CSRF), access
 * across states and roles, the two-person rule under concurrency, sealed members that must
 * never reach the exchange in plaintext, and keys that must never appear in a response.
 */
const REQUEST = 'US-ADV-001';
const SECRET = 'Ivan Secretname, born 1994';

describe('adversarial: the gateways’ access control, sessions and sealing', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  let usUrl: string;
  let ruUrl: string;
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;

  /** Every entry the exchange holds, as text. */
  async function exchangeText(): Promise<string> {
    const size = stack.exchange.sequencer.size;
    return (await readEntries(stack.exchange.store.db, 0, size)).map((row) => fromUtf8(row.bytes)).join('\n');
  }

  before(async () => {
    stack = await startGatewayStack();
    usUrl = stack.gateways.get('US')!.url;
    ruUrl = stack.gateways.get('RU')!.url;
    ({ us, ru } = await loginEveryone(stack));
    const treaty = treatyWithKeys(stack.keys);
    const proposed = await us['approver-1']!.call('POST', '/api/treaty/propose', { treaty, at: day(0) });
    if (proposed.status !== 201) throw new Error(JSON.stringify(proposed.body));
    for (const official of [us['approver-1']!, ru['approver-1']!]) {
      const ratified = await official.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version, at: day(0) });
      if (ratified.status !== 201) throw new Error(JSON.stringify(ratified.body));
    }
    await waitFor('the treaty in force in both mirrors', async () => (await us.observer!.call('GET', '/api/treaty')).body.treaty?.id === treaty.id && (await ru.observer!.call('GET', '/api/treaty')).body.treaty?.id === treaty.id);
    const filed = await us.clerk!.call('POST', '/api/requests', {
      request: REQUEST,
      requested: 'RU',
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: 'adv-subject-01', nationalities: ['RU'], ageAtOffence: 30 },
      offences: ['ransomware-extortion'],
      offenceDate: new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10),
      identity: SECRET,
      sealed: { statement: 'Top-level and nested sealed members both get encrypted.' },
      at: day(1),
    });
    if (filed.status !== 201) throw new Error(JSON.stringify(filed.body));
    await waitFor('the request in RU’s mirror', async () => (await ru.reviewer!.call('GET', `/api/requests/${REQUEST}`)).status === 200);
    const ack = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/acknowledge`, { at: day(2) });
    if (ack.status !== 201) throw new Error(JSON.stringify(ack.body));
  });
  after(async () => stack?.close());

  it('sends the exchange only ciphertext for sealed members, top-level or nested, and RU reads them', async () => {
    const text = await exchangeText();
    assert.ok(text.includes(REQUEST), 'the request is in the log');
    assert.doesNotMatch(text, /Secretname|Top-level and nested/);
    const detail = await waitFor('RU opens the sealed members', async () => {
      const answer = await ru.reviewer!.call('GET', `/api/requests/${REQUEST}`);
      return answer.body.sealed?.length ? answer.body : undefined;
    });
    assert.match(JSON.stringify(detail.sealed), /Secretname/);
  });

  it('refuses a client-supplied "jwe" instead of passing it to the exchange as if it were sealed', async () => {
    const before = stack.exchange.sequencer.size;
    const leak = 'PLAINTEXT-LEAK Petrov, passport 1234';
    const filed = await us.clerk!.call('POST', '/api/requests', {
      request: 'US-ADV-LEAK',
      requested: 'RU',
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: 'adv-subject-02', nationalities: ['RU'], ageAtOffence: 31 },
      offences: ['ransomware-extortion'],
      offenceDate: new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10),
      sealed: { jwe: leak },
      at: day(3),
    });
    assert.equal(filed.status, 400, JSON.stringify(filed.body));
    const asked = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/ask-info`, { sealed: { jwe: leak }, at: day(3) });
    assert.equal(asked.status, 400, JSON.stringify(asked.body));
    const proposal = await ru['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'refuse', ground: 'nationality', sealed: { jwe: leak }, at: day(4) });
    assert.equal(proposal.status, 400, JSON.stringify(proposal.body));
    assert.equal(stack.exchange.sequencer.size, before, 'nothing was submitted');
    assert.doesNotMatch(await exchangeText(), /PLAINTEXT-LEAK/);
  });

  it('rotates the session at login and ends it at logout (no fixation, no reuse)', async () => {
    const planted = 'attacker-chosen-session-id';
    const answer = await fetch(`${usUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${planted}` }, body: JSON.stringify({ username: 'us-clerk', password: 'us-clerk-pw' }) });
    assert.equal(answer.status, 200);
    const issued = /evenhand_session=([^;]+)/.exec(answer.headers.get('set-cookie') ?? '')?.[1];
    assert.ok(issued && issued !== planted, 'a fresh session id');
    assert.match(answer.headers.get('set-cookie') ?? '', /HttpOnly/i);
    assert.match(answer.headers.get('set-cookie') ?? '', /SameSite=Strict/i);
    assert.equal((await fetch(`${usUrl}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${planted}` } })).status, 401, 'the planted id is no session');
    const { csrfToken } = (await answer.json()) as { csrfToken: string };
    const me = await fetch(`${usUrl}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${issued}` } });
    assert.equal(me.status, 200);
    const out = await fetch(`${usUrl}/api/logout`, { method: 'POST', headers: { cookie: `${SESSION_COOKIE}=${issued}`, [CSRF_HEADER]: csrfToken } });
    assert.equal(out.status, 200);
    assert.equal((await fetch(`${usUrl}/api/me`, { headers: { cookie: `${SESSION_COOKIE}=${issued}` } })).status, 401, 'the old cookie is dead after logout');
  });

  it('checks CSRF on every write: no token, a token from another session, or a token outside the header', async () => {
    const before = stack.exchange.sequencer.size;
    const mine = await fetch(`${usUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-reviewer', password: 'us-reviewer-pw' }) });
    const cookie = (mine.headers.get('set-cookie') ?? '').split(';')[0]!;
    const mineToken = ((await mine.json()) as { csrfToken: string }).csrfToken;
    const other = await fetch(`${usUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-approver-1', password: 'us-approver-1-pw' }) });
    const otherToken = ((await other.json()) as { csrfToken: string }).csrfToken;
    const attempts: [string, Record<string, string>, string][] = [
      ['no token', {}, '{}'],
      ['another session’s token', { [CSRF_HEADER]: otherToken }, '{}'],
      ['an empty token', { [CSRF_HEADER]: '' }, '{}'],
      ['a longer token', { [CSRF_HEADER]: `${mineToken}x` }, '{}'],
      ['the token in the body', {}, JSON.stringify({ csrfToken: mineToken, [CSRF_HEADER]: mineToken })],
    ];
    for (const [what, headers, body] of attempts) {
      const answer = await fetch(`${ruUrl.replace(ruUrl, usUrl)}/api/drafts`, { method: 'POST', headers: { cookie, 'content-type': 'application/json', ...headers }, body });
      assert.equal(answer.status, 403, what);
      assert.equal(((await answer.json()) as { code: string }).code, 'CSRF_MISMATCH', what);
    }
    const logout = await fetch(`${usUrl}/api/logout`, { method: 'POST', headers: { cookie } });
    assert.equal(logout.status, 403, 'logout needs the token too');
    assert.equal(stack.exchange.sequencer.size, before);
  });

  it('keeps each state’s officials to their own gateway', async () => {
    const crossLogin = await fetch(`${ruUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-clerk', password: 'us-clerk-pw' }) });
    assert.equal(crossLogin.status, 401, 'a US login does not work at the RU gateway');
    // An RU account that somehow sits in the US gateway's store still cannot log in there.
    await createAccount(stack.gateways.get('US')!.store.db, { username: 'ru-intruder', party: 'RU', role: 'approver', passwordHash: await hashPassword('intruder-pw'), createdAt: 0 });
    const intruder = await fetch(`${usUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ru-intruder', password: 'intruder-pw' }) });
    assert.equal(intruder.status, 401);
    // A US session cookie presented to the RU gateway.
    const session = await fetch(`${usUrl}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'us-observer', password: 'us-observer-pw' }) });
    const cookie = (session.headers.get('set-cookie') ?? '').split(';')[0]!;
    assert.equal((await fetch(`${ruUrl}/api/requests`, { headers: { cookie } })).status, 401);
    // RU cannot take the requesting side's actions on a US request, whatever its role.
    for (const action of ['withdraw', 'supply-info', 'confirm-receipt', 'consult-reply']) {
      for (const role of ['clerk', 'approver-1']) {
        const answer = await ru[role]!.call('POST', `/api/requests/${REQUEST}/actions/${action}`, { reasons: 'x', answer: 'x', message: 'x' });
        assert.ok([403].includes(answer.status), `RU ${role} ${action}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    // US cannot decide its own request: propose is refused.
    const decide = await us['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'grant' });
    assert.equal(decide.status, 403);
    assert.equal(decide.body.code, 'WRONG_PARTY');
    // Unknown ids answer exactly as a request of other states would: 404 REQUEST_UNKNOWN.
    for (const id of ['US-ADV-999', 'RU-1', '..%2F..%2Fapi%2Fme', 'x'.repeat(90)]) {
      const answer = await us.observer!.call('GET', `/api/requests/${id}`);
      assert.equal(answer.status, 404, id);
      assert.equal(answer.body.code, 'REQUEST_UNKNOWN', id);
    }
    assert.equal((await us.observer!.call('GET', `/api/requests/${'x'.repeat(500)}`)).status, 414, 'an over-long id is refused before any lookup');
  });

  it('lets an observer read and do nothing else', async () => {
    const before = stack.exchange.sequencer.size;
    const observer = us.observer!;
    const writes: [string, string, unknown][] = [
      ['POST', '/api/requests', { request: 'US-OBS-1', requested: 'RU' }],
      ['POST', '/api/drafts', { request: 'US-OBS-2' }],
      ['POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'grant' }],
      ['POST', '/api/treaty/ratify', { treaty: 'us-ru-2021', version: 1 }],
      ['POST', '/api/treaty/propose', { treaty: {} }],
      ['POST', '/api/proposals/proposal-x/confirm', {}],
      ['POST', '/api/drafts/draft-x/file', {}],
    ];
    for (const action of ['acknowledge', 'arrest', 'ask-info', 'supply-info', 'consent', 'extend', 'consult', 'consult-reply', 'assure', 'schedule-surrender', 'surrender', 'confirm-receipt', 'withdraw', 'prosecution-milestone', 'prosecution-outcome']) {
      writes.push(['POST', `/api/requests/${REQUEST}/actions/${action}`, {}]);
    }
    for (const [method, path, body] of writes) {
      const answer = await observer.call(method, path, body);
      assert.equal(answer.status, 403, `${method} ${path}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'ROLE_FORBIDDEN', path);
    }
    assert.equal(stack.exchange.sequencer.size, before);
  });

  it('answers an action name from Object.prototype as an unknown action, not a crash', async () => {
    for (const action of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const answer = await us.clerk!.call('POST', `/api/requests/${REQUEST}/actions/${action}`, {});
      assert.equal(answer.status, 404, `${action}: ${answer.status} ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.code, 'NOT_FOUND');
    }
  });

  it('answers an overlong id or a broken percent-encoding in the path in its own error format, and keeps serving', async () => {
    const long = await us.clerk!.call('GET', `/api/requests/${'A'.repeat(150)}`);
    assert.equal(long.status, 414, JSON.stringify(long.body));
    assert.equal(long.body.code, 'PATH_TOO_LONG');
    assert.equal(long.body.field, 'path');
    assert.match(long.body.message as string, /longer than the 100 characters a path parameter may have \(ids are at most 64\)/);
    assert.ok((long.body.message as string).length < 300, 'the message does not echo the whole path');
    const broken = await us.clerk!.call('GET', '/api/requests/%E0%A4%A');
    assert.equal(broken.status, 400, JSON.stringify(broken.body));
    assert.equal(broken.body.code, 'BAD_REQUEST');
    assert.match(broken.body.message as string, /^path: GET \/api\/requests\/%E0%A4%A is not a valid URL path/);
    assert.equal((await us.clerk!.call('GET', `/api/requests/${REQUEST}`)).status, 200, 'still serving');
  });

  it('needs two approvers: the proposer in another session, a forged approvers list, and racing confirmations all fail', async () => {
    const before = stack.exchange.sequencer.size;
    const smuggled = await ru['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'grant', approvers: ['ru-approver-1', 'ru-approver-2'] });
    assert.equal(smuggled.status, 400, 'approvers are the gateway’s to fill in');
    const proposal = await ru['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'grant', at: day(5) });
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
    const id = proposal.body.proposal.id as string;
    const again = await login(ruUrl, 'ru-approver-1');
    const self = await again.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(self.status, 403);
    assert.equal(self.body.code, 'SAME_APPROVER');
    // US cannot see, guess or confirm RU's proposal.
    assert.equal((await us['approver-2']!.call('POST', `/api/proposals/${id}/confirm`)).status, 404);
    assert.ok(!JSON.stringify((await us.observer!.call('GET', '/api/proposals')).body).includes(id));
    assert.equal(stack.exchange.sequencer.size, before, 'nothing submitted yet');
    // Two sessions of the second approver confirm at once: one entry only.
    const second = await login(ruUrl, 'ru-approver-2');
    const answers = await Promise.all([ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`), second.call('POST', `/api/proposals/${id}/confirm`)]);
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, 409], JSON.stringify(answers.map((answer) => answer.body)));
    assert.equal(stack.exchange.sequencer.size, before + 1);
    const decided = await waitFor('the decision in the RU mirror', async () => {
      const answer = await ru.observer!.call('GET', `/api/requests/${REQUEST}`);
      return answer.body.decision ? answer.body.decision : undefined;
    });
    assert.deepEqual(decided.approvers, ['ru-approver-1', 'ru-approver-2']);
  });

  it('never shows an entry seed, a seal key or a witness key in any response', async () => {
    const extra = [
      await (await fetch(`${usUrl}/docs/json`)).text(),
      await (await fetch(`${ruUrl}/docs/json`)).text(),
      JSON.stringify((await us.observer!.call('GET', '/api/log-health')).body),
      JSON.stringify((await ru.observer!.call('GET', '/api/treaty')).body),
      await (await fetch(`${stack.exchange.url}/v1/requests`)).text(),
    ];
    const all = [...responses, ...extra].join('\n');
    assert.ok(responses.length > 30);
    for (const party of ['US', 'RU']) {
      const seed = Buffer.from(stack.keys.authors.get(party)!.seed);
      for (const form of [seed.toString('base64'), seed.toString('base64url'), seed.toString('hex')]) assert.equal(all.includes(form), false, `${party}'s entry seed`);
      assert.equal(all.includes(String(stack.sealKeys.get(party)!.d)), false, `${party}'s seal key`);
      const witness = Buffer.from(stack.keys.witnesses.get(party)!.seed);
      for (const form of [witness.toString('base64'), witness.toString('hex')]) assert.equal(all.includes(form), false, `${party}'s witness key`);
    }
  });
});
