import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { treatyWithKeys } from '@evenhand/testing';
import { loginEveryone, responses, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

const REQUEST = 'US-2024-001';

describe('two gateways, an exchange and a neutral witness, end to end over loopback', () => {
  let stack: GatewayStack;
  let us: Record<string, Official>;
  let ru: Record<string, Official>;
  let usUrl: string;
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;

  before(async () => {
    stack = await startGatewayStack();
    usUrl = stack.gateways.get('US')!.url;
    ({ us, ru } = await loginEveryone(stack));
  });
  after(async () => stack?.close());

  it('adopts the treaty: US proposes, both ratify, each through its gateway', async () => {
    const treaty = treatyWithKeys(stack.keys);
    const proposed = await us['approver-1']!.call('POST', '/api/treaty/propose', { treaty, at: day(0) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    for (const [official, at] of [[us['approver-1']!, day(0)], [ru['approver-1']!, day(0)]] as const) {
      const ratified = await official.call('POST', '/api/treaty/ratify', { treaty: treaty.id, version: treaty.version, at });
      assert.equal(ratified.status, 201, JSON.stringify(ratified.body));
    }
    // Publication needs both gateways' embedded witnesses, so each gateway's view of the
    // adopted treaty proves that both cosigned.
    for (const official of [us.observer!, ru.observer!]) {
      await waitFor('the treaty in force in both mirrors', async () => (await official.call('GET', '/api/treaty')).body.treaty?.id === treaty.id);
    }
  });

  it('lets a US clerk file, sealed to both parties, and the RU reviewer acknowledge', async () => {
    const filed = await us.clerk!.call('POST', '/api/requests', {
      request: REQUEST,
      requested: 'RU',
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: 'ds-affiliate-77', nationalities: ['RU'], ageAtOffence: 30 },
      offences: ['ransomware-extortion'],
      offenceDate: new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10),
      sealed: { identity: 'Ivan Placeholder, born 1994', statement: 'Affiliate statement: wallet cluster 7.' },
      at: day(1),
    });
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.request, REQUEST);
    const publicView = JSON.stringify(await (await fetch(`${stack.exchange.url}/v1/requests`)).json());
    assert.doesNotMatch(publicView, /Ivan Placeholder|wallet cluster/, 'the exchange sees no plaintext');
    await waitFor('the request in RU’s incoming list', async () => ((await ru.reviewer!.call('GET', '/api/requests?direction=incoming')).body as { items: { id: string }[] }).items.some((row) => row.id === REQUEST));
    const ack = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/acknowledge`, { at: day(2) });
    assert.equal(ack.status, 201, JSON.stringify(ack.body));
  });

  it('consults before refusing on nationality', async () => {
    const consult = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/consult`, { ground: 'nationality', message: 'The person is a national of RU.', at: day(3) });
    assert.equal(consult.status, 201, JSON.stringify(consult.body));
    await waitFor('the consultation in the US mirror', async () => (await us.clerk!.call('GET', `/api/requests/${REQUEST}`)).body.consultations?.length === 1);
    const reply = await us.clerk!.call('POST', `/api/requests/${REQUEST}/actions/consult-reply`, { message: 'Then prosecute, please.', at: day(4) });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
  });

  it('needs two different RU approvers to refuse, then the prosecution is reported', async () => {
    const before = stack.exchange.sequencer.size;
    const proposal = await ru['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'refuse-prosecute', ground: 'nationality', reasons: 'Constitution art. 61(1).', at: day(5) });
    assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
    const id = proposal.body.proposal.id as string;
    assert.equal(stack.exchange.sequencer.size, before, 'a proposal alone submits nothing');
    const open = await ru['approver-2']!.call('GET', '/api/proposals');
    assert.deepEqual((open.body.items as { id: string }[]).map((entry) => entry.id), [id]);
    assert.deepEqual((await us['approver-1']!.call('GET', '/api/proposals')).body.items, [], 'US sees no RU proposal');
    const self = await ru['approver-1']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(self.status, 403);
    assert.equal(self.body.code, 'SAME_APPROVER');
    assert.equal(stack.exchange.sequencer.size, before, 'nothing submitted by the proposer alone');
    const reviewer = await ru.reviewer!.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(reviewer.status, 403, 'a reviewer cannot confirm');
    await waitFor('the consultation reply in the RU mirror', async () => (await ru.reviewer!.call('GET', `/api/requests/${REQUEST}`)).body.consultations?.[0]?.repliedAt !== undefined);
    const confirmed = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    const again = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(again.status, 409, 'confirmed once only');
    await waitFor('the refusal in the RU mirror', async () => (await ru.reviewer!.call('GET', `/api/requests/${REQUEST}`)).body.status === 'refused-prosecute-instead');
    const milestone = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/prosecution-milestone`, { milestone: 'opened', detail: 'Case 12-345 opened.', at: day(6) });
    assert.equal(milestone.status, 201, JSON.stringify(milestone.body));
  });

  it('shows the US side the refusal, the prosecution and the sealed members it can open', async () => {
    const detail = await waitFor('the prosecution in the US mirror', async () => {
      const answer = await us.observer!.call('GET', `/api/requests/${REQUEST}`);
      return answer.body.prosecution?.milestones?.length === 1 ? answer.body : undefined;
    });
    assert.equal(detail.status, 'refused-prosecute-instead');
    assert.deepEqual(detail.decision.approvers, ['ru-approver-1', 'ru-approver-2']);
    assert.equal(detail.decision.ground, 'nationality');
    const types = (detail.timeline as { type: string }[]).map((item) => item.type);
    assert.deepEqual(types, ['request.file', 'request.acknowledge', 'request.consult', 'request.consult-reply', 'request.decide', 'prosecution.milestone']);
    const sealed = JSON.stringify(detail.sealed);
    assert.match(sealed, /wallet cluster 7/, 'its own statement');
    assert.match(sealed, /Constitution art\. 61/, 'RU’s reasons');
    assert.match(sealed, /Case 12-345/);
    assert.ok(detail.evaluation.availableGrounds.includes('nationality'));
    assert.ok(detail.mirror, 'a mirror verdict');
    assert.equal(detail.mirror.requesting, 'RU');
    assert.equal(detail.mirror.requested, 'US');
    // The filing form previews RU's next request with the grounds cited so far (mirrored grounds).
    const cited = (await ru.clerk!.call('GET', '/api/treaty')).body.invocations;
    assert.deepEqual(cited, [{ by: 'RU', against: 'US', ground: 'nationality' }]);
    await waitFor('the whole timeline under a verified checkpoint', async () => ((await us.observer!.call('GET', `/api/requests/${REQUEST}`)).body.timeline as { includedInCheckpoint: boolean }[]).every((item) => item.includedInCheckpoint));
    const outgoing = await us.clerk!.call('GET', '/api/requests?direction=outgoing');
    assert.deepEqual((outgoing.body as { items: { id: string; counterpart: string }[] }).items.map((row) => [row.id, row.counterpart]), [[REQUEST, 'RU']]);
    const incoming = (await us.clerk!.call('GET', '/api/requests?direction=incoming')).body;
    assert.deepEqual([incoming.items, incoming.next], [[], null]);
  });

  it('keeps each state to its own drafts, its own side, and its officials to their roles', async () => {
    const draft = await us.clerk!.call('POST', '/api/drafts', { request: 'US-2024-002', requested: 'RU', sealed: { identity: 'draft person' } });
    assert.equal(draft.status, 201);
    assert.equal((await us.observer!.call('GET', `/api/drafts/${draft.body.id}`)).status, 200);
    assert.equal((await ru.clerk!.call('GET', `/api/drafts/${draft.body.id}`)).status, 404, 'RU cannot read a US draft');
    assert.deepEqual((await ru.clerk!.call('GET', '/api/drafts')).body, { items: [], next: null });
    const forUs = await ru.reviewer!.call('POST', `/api/requests/${REQUEST}/actions/confirm-receipt`, {});
    assert.equal(forUs.status, 403, 'RU cannot act for the requesting party');
    assert.equal(forUs.body.code, 'WRONG_PARTY');
    const observer = await us.observer!.call('POST', `/api/requests/${REQUEST}/actions/withdraw`, { reasons: 'x' });
    assert.equal(observer.status, 403);
    assert.equal(observer.body.code, 'ROLE_FORBIDDEN');
    const noCsrf = await us.clerk!.call('POST', '/api/drafts', { request: 'x' }, { csrf: false });
    assert.equal(noCsrf.status, 403);
    for (const [method, path] of [['GET', '/api/requests'], ['GET', `/api/requests/${REQUEST}`], ['POST', '/api/requests'], ['GET', '/api/drafts'], ['GET', '/api/log-health'], ['POST', `/api/requests/${REQUEST}/decision-proposals`], ['POST', `/api/requests/${REQUEST}/actions/acknowledge`]] as const) {
      const answer = await fetch(`${usUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      assert.equal(answer.status, 401, `${method} ${path} without a session`);
    }
    const refused = await us['approver-1']!.call('POST', `/api/requests/${REQUEST}/decision-proposals`, { decision: 'grant' });
    assert.equal(refused.status, 403, 'the requesting party does not decide');
  });

  it('files a saved draft once, after a restart of the gateway, resuming its entry chain', async () => {
    const saved = await us.clerk!.call('POST', '/api/drafts', {
      request: 'US-2024-003',
      requested: 'RU',
      kind: 'extradition',
      purpose: 'prosecution',
      subject: { pseudonym: 'revil-affiliate-31', nationalities: ['UA'], ageAtOffence: 29 },
      offences: ['ransomware-extortion'],
      offenceDate: new Date((day(0) - 90 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10),
      sealed: { statement: 'Draft statement.' },
      at: day(7),
    });
    assert.equal(saved.status, 201);
    await stack.restart('US');
    const filed = await us.clerk!.call('POST', `/api/drafts/${saved.body.id}/file`);
    assert.equal(filed.status, 201, JSON.stringify(filed.body));
    assert.equal(filed.body.request, 'US-2024-003');
    assert.equal((await us.clerk!.call('POST', `/api/drafts/${saved.body.id}/file`)).body.code, 'DRAFT_FILED');
    await waitFor('the filed draft in RU’s mirror', async () => (await ru.reviewer!.call('GET', '/api/requests/US-2024-003')).status === 200);
  });

  it('serves its own statistics, deadlines and a healthy log view, with OpenAPI', async () => {
    const stats = await us.observer!.call('GET', '/api/statistics');
    assert.equal(stats.status, 200);
    assert.ok((stats.body.pairs as { requesting: string }[]).some((pair) => pair.requesting === 'US'));
    const deadlines = await ru.observer!.call('GET', '/api/deadlines');
    assert.ok((deadlines.body as { items: { kind: string }[] }).items.some((entry) => entry.kind === 'prosecution-report'));
    const health = await us.observer!.call('GET', '/api/log-health');
    assert.equal(health.status, 200);
    assert.deepEqual((health.body.checkpoint.cosigners as { witness: string }[]).map((entry) => entry.witness).sort(), ['CH', 'RU', 'US']);
    assert.deepEqual(health.body.alarms, []);
    const docs = await fetch(`${usUrl}/docs/json`);
    assert.ok(((await docs.json()) as { paths: Record<string, unknown> }).paths['/api/requests/{id}/actions/{action}']);
  });

  it('never shows a key in any response', async () => {
    assert.ok(responses.length > 50);
    const all = responses.join('\n');
    for (const party of ['US', 'RU']) {
      const seed = Buffer.from(stack.keys.authors.get(party)!.seed);
      for (const form of [seed.toString('base64'), seed.toString('base64url'), seed.toString('hex')]) assert.equal(all.includes(form), false, `${party}'s entry seed leaked`);
      assert.equal(all.includes(String(stack.sealKeys.get(party)!.d)), false, `${party}'s seal key leaked`);
      const witness = Buffer.from(stack.keys.witnesses.get(party)!.seed);
      assert.equal(all.includes(witness.toString('base64')), false);
    }
  });
});
