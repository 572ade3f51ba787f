import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/**
 * Issue 17, "leaving the treaty", through the gateways over real HTTP: an approver of a state
 * with registered officials proposes the denunciation, a second confirms it; both states'
 * consoles and the public treaty view show it pending with its effective date; after that
 * date the pending request goes on and a new one is refused with the rule and its article.
 */
describe('denouncing the treaty through the gateways (issue 17)', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const offenceDate = new Date((t0 - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
  const fileTo = (id: string, at: number) => ({ request: id, requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, at });
  let treatyId = '';
  type TreatyView = { denunciations: { party: string; status: string; effectiveAt: number; effectiveDate: string; article: string; pendingArticle: string }[] };
  const treatyOf = async (official: Official) => (await official.call('GET', '/api/treaty')).body as TreatyView;

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    treatyId = (await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0))).id;
    assert.equal((await ru['approver-1']!.call('POST', '/api/officials/founding', { at: day(1) })).status, 201);
    assert.equal((await us.clerk!.call('POST', '/api/requests', fileTo('US-D1', day(2)))).status, 201);
    await stack.syncAll();
  });
  after(async () => stack?.close());

  it('an approver proposes the denunciation and a second confirms it; only approvers may', async () => {
    const clerk = await ru.clerk!.call('POST', '/api/treaty/denounce', { treaty: treatyId, at: day(3) });
    assert.equal(clerk.status, 403, JSON.stringify(clerk.body));
    const wrong = await ru['approver-1']!.call('POST', '/api/treaty/denounce', { treaty: 'another-treaty', at: day(3) });
    assert.deepEqual([wrong.status, wrong.body.code], [422, 'TREATY_MISMATCH'], JSON.stringify(wrong.body));
    const proposed = await ru['approver-1']!.call('POST', '/api/treaty/denounce', { treaty: treatyId, at: day(3) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    assert.deepEqual([proposed.body.proposal.kind, proposed.body.proposal.target], ['treaty.denounce', treatyId]);
    assert.deepEqual((await treatyOf(ru.observer!)).denunciations, [], 'nothing is denounced before the second approver confirms');
    const same = await ru['approver-1']!.call('POST', `/api/proposals/${proposed.body.proposal.id}/confirm`);
    assert.equal(same.body.code, 'SAME_APPROVER');
    const confirmed = await ru['approver-2']!.call('POST', `/api/proposals/${proposed.body.proposal.id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    await stack.syncAll();
    const again = await ru['approver-1']!.call('POST', '/api/treaty/denounce', { treaty: treatyId, at: day(4) });
    assert.deepEqual([again.status, again.body.code], [409, 'DENUNCIATION_EXISTS'], JSON.stringify(again.body));
  });

  it('both consoles and the public treaty view show it pending, with its effective date and articles', async () => {
    const effective = addMonths(day(3), 6);
    for (const official of [us.observer!, ru.observer!]) {
      const [shown] = (await treatyOf(official)).denunciations;
      assert.deepEqual(shown && [shown.party, shown.status, shown.effectiveAt, shown.effectiveDate], ['RU', 'pending', effective, new Date(effective * 1000).toISOString().replace('.000Z', 'Z')]);
      assert.match(shown!.article, /ECE art\. 31/);
      assert.match(shown!.pendingArticle, /VCLT art\. 70/);
    }
    const publicView = (await (await fetch(`${stack.exchange.url}/v1/treaty`)).json()) as TreatyView;
    assert.deepEqual(publicView.denunciations.map((each) => [each.party, each.status, each.effectiveAt]), [['RU', 'pending', effective]]);
  });

  it('after the effective date the pending request goes on, and a new one is refused with the rule', async () => {
    const after = addMonths(day(3), 6) + SECONDS_PER_DAY;
    const refused = await us.clerk!.call('POST', '/api/requests', fileTo('US-D2', after));
    assert.deepEqual([refused.status, refused.body.code], [422, 'TREATY_DENOUNCED'], JSON.stringify(refused.body));
    assert.match(refused.body.message, /body\.requested: RU denounced treaty us-ru-2021 .*ECE art\. 31.*so no new request is filed to it/);
    const acknowledged = await ru.reviewer!.call('POST', '/api/requests/US-D1/actions/acknowledge', { at: after });
    assert.equal(acknowledged.status, 201, JSON.stringify(acknowledged.body));
    await waitFor('the acknowledgement in the US mirror', async () => (await us.observer!.call('GET', '/api/requests/US-D1')).body.status === 'acknowledged');
    assert.equal((await treatyOf(us.observer!)).denunciations[0]?.status, 'in-effect');
  });
});
