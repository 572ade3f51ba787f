import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, testCalendar, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 11, "decisions that cannot deadlock", over real HTTP: a proposal made inside the
 * consultation window becomes confirmable as soon as the requesting party replies (UNTOC art.
 * 16(16)), not only at the date shown when it was made; a second approver's rejection is
 * recorded in the log where both states see it; and a proposal the history has overtaken is
 * shown as such, with the core's reason, and cannot be confirmed.
 */
describe('two-person decision proposals through the gateways (issue 11)', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const { day, filing } = testCalendar();
  const fileTo = (id: string, nationalities: string[], at: number) => filing(id, at, { subject: { pseudonym: `p-${id}`, nationalities, ageAtOffence: 30 } });
  type ProposalView = { id: string; confirmableFrom: number | null; overtaken: { code: string; message: string } | null };
  const proposalsOf = async (official: Official) => (await official.call('GET', '/api/proposals?limit=200')).body.items as ProposalView[];
  const timelineOf = async (official: Official, id: string) => ((await official.call('GET', `/api/requests/${id}`)).body.timeline ?? []) as { type: string }[];

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));
    for (const [id, nationalities] of [['US-P1', ['RU']], ['US-P2', ['UA']], ['US-P3', ['UA']]] as const) {
      const filed = await us.clerk!.call('POST', '/api/requests', fileTo(id, [...nationalities], day(28)));
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
    }
    await stack.syncAll();
    for (const id of ['US-P1', 'US-P2', 'US-P3']) {
      const ack = await ru.reviewer!.call('POST', `/api/requests/${id}/actions/acknowledge`, { at: day(28.5) });
      assert.equal(ack.status, 201, JSON.stringify(ack.body));
    }
  });
  after(async () => stack?.close());

  it('a refusal proposed inside the consultation window is confirmed as soon as the requesting party replies', async () => {
    const consult = await ru.reviewer!.call('POST', '/api/requests/US-P1/actions/consult', { ground: 'nationality', message: 'The person is a national of RU.', at: day(29) });
    assert.equal(consult.status, 201, JSON.stringify(consult.body));
    const proposed = await ru['approver-1']!.call('POST', '/api/requests/US-P1/decision-proposals', { decision: 'refuse-prosecute', ground: 'nationality', reasons: 'Constitution art. 61(1).', at: day(29.2) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const id = proposed.body.proposal.id as string;
    const windowEnds = day(29) + 15 * SECONDS_PER_DAY;
    assert.ok(Math.abs(proposed.body.proposal.confirmableFrom - windowEnds) <= 1, `confirmable when the 15 days end: ${proposed.body.proposal.confirmableFrom} vs ${windowEnds}`);
    const early = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.deepEqual([early.status, early.body.code], [422, 'CONSULTATION_PENDING'], JSON.stringify(early.body));

    await stack.syncAll();
    const reply = await us.clerk!.call('POST', '/api/requests/US-P1/actions/consult-reply', { message: 'Then prosecute, please.', at: day(29.4) });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    await stack.syncAll();
    const shown = (await proposalsOf(ru['approver-2']!)).find((proposal) => proposal.id === id);
    assert.equal(shown?.confirmableFrom, null, 'confirmable now, the reply having ended the wait');
    const confirmed = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    await waitFor('the refusal in the US mirror', async () => (await us.observer!.call('GET', '/api/requests/US-P1')).body.status === 'refused-prosecute-instead');
  });

  it('a second approver rejects a proposal with reasons, recorded in the log for both states, and a new one can be made', async () => {
    const proposed = await ru['approver-1']!.call('POST', '/api/requests/US-P2/decision-proposals', { decision: 'grant', at: day(29.5) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const id = proposed.body.proposal.id as string;
    const second = await ru['approver-2']!.call('POST', '/api/requests/US-P2/decision-proposals', { decision: 'grant', at: day(29.5) });
    assert.deepEqual([second.status, second.body.code], [409, 'PROPOSAL_OPEN'], 'one open proposal per act and request');
    const unreasoned = await ru['approver-2']!.call('POST', `/api/proposals/${id}/reject`, {});
    assert.deepEqual([unreasoned.status, unreasoned.body.field], [400, 'body.reasons'], 'a rejection gives reasons');
    const byProposer = await ru['approver-1']!.call('POST', `/api/proposals/${id}/reject`, { reasons: 'mine' });
    assert.equal(byProposer.status, 403, 'the proposer withdraws rather than rejects');
    const rejected = await ru['approver-2']!.call('POST', `/api/proposals/${id}/reject`, { reasons: 'Wait for the court file.' });
    assert.equal(rejected.status, 201, JSON.stringify(rejected.body));
    const late = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.deepEqual([late.status, late.body.code], [409, 'PROPOSAL_CLOSED']);
    for (const official of [ru.observer!, us.observer!]) {
      await waitFor(`the rejection in ${official.username}'s timeline`, async () => (await timelineOf(official, 'US-P2')).some((item) => item.type === 'request.proposal-closed'));
    }
    const usView = (await us.observer!.call('GET', '/api/requests/US-P2')).body;
    assert.match(JSON.stringify(usView.sealed), /Wait for the court file\./, 'the US opens the reasons sealed to it');
    assert.match(JSON.stringify(usView.sealed), /ru-approver-2/, 'and sees which approver rejected');
    const again = await ru['approver-2']!.call('POST', '/api/requests/US-P2/decision-proposals', { decision: 'grant', at: day(29.6) });
    assert.equal(again.status, 201, JSON.stringify(again.body));
  });

  it('lists, with ?acts=true, each request with the acts its own page offers this official', async () => {
    const page = (await ru.reviewer!.call('GET', '/api/requests?direction=incoming&acts=true')).body as { items: { id: string; acts: { available: { type: string }[] } }[] };
    assert.ok(page.items.length >= 3);
    for (const item of page.items) {
      const detail = (await ru.reviewer!.call('GET', `/api/requests/${item.id}`)).body as { acts: { available: { type: string }[] } };
      assert.deepEqual(item.acts.available.map((act) => act.type), detail.acts.available.map((act) => act.type), item.id);
    }
    const plain = (await ru.reviewer!.call('GET', '/api/requests?direction=incoming')).body as { items: object[] };
    assert.ok(plain.items.every((item) => !('acts' in item)), 'only when asked');
  });

  it('a proposal the history has overtaken is shown with the core’s reason and cannot be confirmed', async () => {
    const proposed = await ru['approver-1']!.call('POST', '/api/requests/US-P3/decision-proposals', { decision: 'grant', at: day(29.5) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const id = proposed.body.proposal.id as string;
    const withdrawn = await us['approver-1']!.call('POST', '/api/requests/US-P3/actions/withdraw', { reasons: 'The person was located elsewhere.', at: day(29.7) });
    assert.equal(withdrawn.status, 201, JSON.stringify(withdrawn.body));
    await stack.syncAll();
    const shown = (await proposalsOf(ru['approver-2']!)).find((proposal) => proposal.id === id);
    assert.equal(shown?.overtaken?.code, 'ILLEGAL_TRANSITION', JSON.stringify(shown));
    assert.match(shown!.overtaken!.message, /withdrawn/);
    const confirm = await ru['approver-2']!.call('POST', `/api/proposals/${id}/confirm`);
    assert.deepEqual([confirm.status, confirm.body.code], [422, 'ILLEGAL_TRANSITION'], JSON.stringify(confirm.body));
    const replacement = await ru['approver-2']!.call('POST', '/api/requests/US-P3/decision-proposals', { decision: 'grant', at: day(29.8) });
    assert.equal(replacement.body.code, 'ILLEGAL_TRANSITION', 'nothing replaces a decision on a withdrawn request');
    const closed = await ru['approver-1']!.call('POST', `/api/proposals/${id}/withdraw`);
    assert.equal(closed.status, 201, JSON.stringify(closed.body));
    assert.equal((await proposalsOf(ru['approver-2']!)).some((proposal) => proposal.id === id), false);
  });
});
