import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SECONDS_PER_DAY } from '@evenhand/core';
import { adoptTreaty, loginEveryone, startGatewayStack, waitFor, type GatewayStack, type Official } from './gateway-stack.ts';

/** A trade through both gateways: US-T1 (RU gives to US) against RU-T1 (US gives to RU), US coordinating. */
describe('trades through the gateways, end to end over loopback', () => {
  let stack: GatewayStack;
  let us: Record<string, Official> = {};
  let ru: Record<string, Official> = {};
  const t0 = Math.floor(Date.now() / 1000) - 30 * SECONDS_PER_DAY;
  const day = (n: number) => t0 + n * SECONDS_PER_DAY;
  const trade = async (official: Official, id = 'T-1') => (await official.call('GET', `/api/trades/${id}`)).body;

  before(async () => {
    stack = await startGatewayStack();
    ({ us, ru } = await loginEveryone(stack));
    await adoptTreaty(stack, [us['approver-1']!, ru['approver-1']!], day(0));

    // Two grants conditional on reciprocity, one each way, decided by two approvers.
    const offenceDate = new Date((day(0) - 60 * SECONDS_PER_DAY) * 1000).toISOString().slice(0, 10);
    for (const [id, requesting, requested] of [['US-T1', us, ru], ['RU-T1', ru, us]] as const) {
      const requestedParty = requesting === us ? 'RU' : 'US';
      const filed = await requesting.clerk!.call('POST', '/api/requests', { request: id, requested: requestedParty, kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: `p-${id}`, nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate, at: day(1) });
      assert.equal(filed.status, 201, JSON.stringify(filed.body));
      await waitFor(`${id} in the requested mirror`, async () => (await requested.reviewer!.call('GET', `/api/requests/${id}`)).status === 200);
      assert.equal((await requested.reviewer!.call('POST', `/api/requests/${id}/actions/acknowledge`, { at: day(2) })).status, 201);
      const proposal = await requested['approver-1']!.call('POST', `/api/requests/${id}/decision-proposals`, { decision: 'grant-conditional', onReciprocity: true, reasons: 'Granted on reciprocity.', at: day(3) });
      assert.equal(proposal.status, 201, JSON.stringify(proposal.body));
      const confirmed = await requested['approver-2']!.call('POST', `/api/proposals/${proposal.body.proposal.id}/confirm`);
      assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    }
    for (const official of [us.observer!, ru.observer!]) {
      await waitFor('both grants in the mirror', async () => {
        const rows = ((await official.call('GET', '/api/requests')).body as { items: { id: string; status: string }[] }).items;
        return rows.filter((row) => row.status === 'granted-conditional').length === 2;
      });
    }
  });
  after(async () => stack?.close());

  /** The acts an official's console offers on the trade now, by entry type. */
  const acts = async (official: Official, id = 'T-1') => ((await trade(official, id))?.acts?.available ?? []) as { type: string; variants: { params: { leg?: number } }[] }[];
  const offers = async (official: Official, type: string, id = 'T-1') => (await acts(official, id)).find((act) => act.type === type);
  /** A two-person act: one approver proposes at `path`, the other confirms; the confirmation's answer. */
  const twoPerson = async (first: Official, second: Official, path: string, at: number) => {
    const proposed = await first.call('POST', path, { at });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const confirmed = await second.call('POST', `/api/proposals/${proposed.body.proposal.id}/confirm`);
    assert.equal(confirmed.status, 201, JSON.stringify(confirmed.body));
    return confirmed.body as { index: number; commitIndex?: number };
  };

  /** Every page of `path` (which takes `after=`) as `official` reads it, each at most `limit` long; the ids in order. */
  const walk = async (official: Official, path: string, limit: number, id: (item: any) => string) => {
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 20; pages++) {
      const answer = await official.call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=${limit}&after=${after}`);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      assert.ok(answer.body.items.length <= limit);
      seen.push(...answer.body.items.map(id));
      if (answer.body.next === null) return seen;
      after = answer.body.next;
    }
    throw new Error(`${path}: more than 20 pages`);
  };

  it('pages the pool of open grants, and filters it by counterpart on the server (issue 14)', async () => {
    const grant = (item: { request: string }) => item.request;
    const first = await us['approver-1']!.call('GET', '/api/trade-pool?limit=1');
    assert.deepEqual([first.body.items.length, typeof first.body.next], [1, 'string'], 'a page of one, and more');
    assert.deepEqual((await walk(us['approver-1']!, '/api/trade-pool', 1, grant)).sort(), ['RU-T1', 'US-T1'], 'each grant once');
    assert.deepEqual((await walk(us['approver-1']!, '/api/trade-pool?counterpart=RU', 5, grant)).sort(), ['RU-T1', 'US-T1']);
    assert.deepEqual(await walk(us['approver-1']!, '/api/trade-pool?counterpart=CH', 5, grant), [], 'no grant gives or receives in CH');
    for (const [query, field] of [['counterpart=ru', 'query.counterpart'], ['after=x', 'query.after'], ['limit=201', 'query.limit']]) {
      const refused = await us['approver-1']!.call('GET', `/api/trade-pool?${query}`);
      assert.deepEqual([refused.status, refused.body.field], [400, field], JSON.stringify(refused.body));
    }
  });

  it('a US approver proposes, both sign with two approvers each, and the last signature commits', async () => {
    const proposed = await us['approver-1']!.call('POST', '/api/trades', { trade: 'T-1', legs: [{ kind: 'request', request: 'US-T1' }, { kind: 'request', request: 'RU-T1' }], coordinator: 'US', deadline: day(60), at: day(5) });
    assert.equal(proposed.status, 201, JSON.stringify(proposed.body));
    const unbalanced = await us['approver-1']!.call('POST', '/api/trades', { trade: 'T-2', legs: [{ kind: 'request', request: 'US-T1' }], coordinator: 'US', deadline: day(60), at: day(5) });
    assert.deepEqual([unbalanced.status, unbalanced.body.code], [422, 'TRADE_UNBALANCED']);
    await waitFor('the trade offered to RU approvers for signing', async () => (await offers(ru['approver-1']!, 'trade.sign')) !== undefined);
    assert.deepEqual(await acts(ru.observer!), [], 'an observer is offered nothing');
    assert.equal((await us.reviewer!.call('POST', '/api/trades/T-1/sign', { at: day(6) })).status, 403, 'a reviewer does not sign');
    // One approver alone signs nothing: the proposal waits for a second, and the proposer cannot confirm it.
    const alone = await us['approver-1']!.call('POST', '/api/trades/T-1/sign', { at: day(6) });
    assert.equal(alone.status, 201, JSON.stringify(alone.body));
    assert.equal((await us['approver-1']!.call('POST', `/api/proposals/${alone.body.proposal.id}/confirm`)).body.code, 'SAME_APPROVER');
    assert.equal((await us['approver-2']!.call('POST', '/api/trades/T-1/sign', { at: day(6) })).body.code, 'PROPOSAL_OPEN');
    const usSigned = await us['approver-2']!.call('POST', `/api/proposals/${alone.body.proposal.id}/confirm`);
    assert.deepEqual([usSigned.status, usSigned.body.commitIndex], [201, undefined], JSON.stringify(usSigned.body));
    await waitFor('the US signature in the RU mirror', async () => (await trade(ru.observer!)).signedBy?.includes('US'));
    const ruSigned = await twoPerson(ru['approver-2']!, ru['approver-1']!, '/api/trades/T-1/sign', day(6));
    assert.equal(typeof ruSigned.commitIndex, 'number', 'the last signature also commits');
    await waitFor('the commit in the US mirror', async () => (await trade(us.observer!)).status === 'committed');
    const listed = (await ru.observer!.call('GET', '/api/trades')).body as { items: { id: string }[]; next: string | null };
    assert.deepEqual([listed.items.map((row) => row.id), listed.next], [['T-1'], null]);
    const withdraw = await us['approver-1']!.call('POST', '/api/requests/US-T1/actions/withdraw', { reasons: 'changed our mind', at: day(7) });
    assert.deepEqual([withdraw.status, withdraw.body.code], [409, 'REQUEST_LOCKED'], JSON.stringify(withdraw.body));
    assert.ok(!(await acts(us['approver-1']!)).some((act) => act.type === 'trade.abort'), 'no call-off before the deadline');
  });

  it('each giver records its surrender or the coordinator attests, each receiver confirms, and the trade completes', async () => {
    const early = await us.reviewer!.call('POST', '/api/trades/T-1/confirm-receipt', { leg: 0, at: day(8) });
    assert.deepEqual([early.status, early.body.code], [422, 'LEG_NOT_ATTESTED']);
    // RU, which gives leg 0 but does not coordinate, records its own surrender; US, coordinator, attests leg 1.
    assert.deepEqual((await offers(ru.reviewer!, 'trade.surrender'))?.variants.map((variant) => variant.params.leg), [0]);
    assert.equal((await ru.reviewer!.call('POST', '/api/trades/T-1/surrender', { leg: 1, at: day(8) })).body.code, 'NOT_GIVER');
    assert.equal((await ru.reviewer!.call('POST', '/api/trades/T-1/surrender', { leg: 0, at: day(8) })).status, 201);
    assert.equal((await us['approver-1']!.call('POST', '/api/trades/T-1/attest', { leg: 1, identity: true, health: true, at: day(8) })).status, 201);
    await waitFor('the handovers in the RU mirror', async () => (await offers(ru.reviewer!, 'trade.confirm-receipt'))?.variants.length === 1);
    const wrong = await ru.reviewer!.call('POST', '/api/trades/T-1/confirm-receipt', { leg: 0, at: day(9) });
    assert.deepEqual([wrong.status, wrong.body.code], [403, 'NOT_RECEIVER']);
    assert.equal((await ru.reviewer!.call('POST', '/api/trades/T-1/confirm-receipt', { leg: 1, at: day(9) })).status, 201);
    await waitFor('the handovers in the US mirror', async () => (await offers(us.reviewer!, 'trade.confirm-receipt'))?.variants.length === 1);
    assert.equal((await us.reviewer!.call('POST', '/api/trades/T-1/confirm-receipt', { leg: 0, at: day(9) })).status, 201);
    await waitFor('the trade completed in both mirrors', async () => (await trade(us.observer!)).status === 'completed' && (await trade(ru.observer!)).status === 'completed');
    const publicTrades = ((await (await fetch(`${stack.exchange.url}/v1/trades`)).json()) as { items: { id: string; status: string }[] }).items;
    assert.deepEqual(publicTrades.map((row) => [row.id, row.status]), [['T-1', 'completed']]);
    // The rows carry the times the dashboard charts: a handover by trade counts as a surrender.
    const rows = ((await us.observer!.call('GET', '/api/requests')).body as { items: { id: string; decidedAt: number; surrenderedAt: number; lastActivityAt: number }[] }).items;
    assert.deepEqual(rows.sort((a, b) => a.id.localeCompare(b.id)).map((row) => [row.id, row.decidedAt, row.surrenderedAt, row.lastActivityAt]), [['RU-T1', day(3), day(8), day(9)], ['US-T1', day(3), day(8), day(9)]]);
    // And the dashboard counts them in their month, one person each way (core monthlySeries).
    const dashboard = (await us.observer!.call('GET', '/api/dashboard')).body as { counterparts: { counterpart: string; months: string[]; surrendered: number[]; received: number[] }[] };
    const withRu = dashboard.counterparts.find((pair) => pair.counterpart === 'RU')!;
    const handoverMonth = withRu.months.indexOf(new Date(day(8) * 1000).toISOString().slice(0, 7));
    assert.deepEqual([withRu.surrendered[handoverMonth], withRu.received[handoverMonth]], [1, 1], JSON.stringify(withRu));
    assert.equal((await us.observer!.call('GET', '/api/trades/nope')).status, 404);
  });

  it('when the last two signatures cross, neither commits, and two approvers commit afterwards', async () => {
    const legs = [
      { kind: 'voluntary', from: 'US', to: 'RU', subject: 'pardoned-us-1', reason: 'pardon' },
      { kind: 'voluntary', from: 'RU', to: 'US', subject: 'pardoned-ru-1', reason: 'pardon' },
    ];
    assert.equal((await us['approver-1']!.call('POST', '/api/trades', { trade: 'T-3', legs, coordinator: 'US', deadline: day(60), at: day(10) })).status, 201);
    await waitFor('T-3 in both mirrors', async () => (await trade(ru.observer!, 'T-3'))?.id === 'T-3' && (await trade(us.observer!, 'T-3'))?.id === 'T-3', 20_000);
    const early = await us['approver-1']!.call('POST', '/api/trades/T-3/commit', { at: day(10) });
    assert.deepEqual([early.status, early.body.code], [422, 'TRADE_NOT_SIGNED']);
    // Both sign at once: each gateway reads the trade before the other's signature exists.
    const [usProposed, ruProposed] = await Promise.all([us['approver-1']!.call('POST', '/api/trades/T-3/sign', { at: day(11) }), ru['approver-1']!.call('POST', '/api/trades/T-3/sign', { at: day(11) })]);
    const [usSigned, ruSigned] = await Promise.all([us['approver-2']!.call('POST', `/api/proposals/${usProposed.body.proposal.id}/confirm`), ru['approver-2']!.call('POST', `/api/proposals/${ruProposed.body.proposal.id}/confirm`)]);
    assert.deepEqual([usSigned.body.commitIndex, ruSigned.body.commitIndex], [undefined, undefined]);
    await waitFor('both signatures in the US mirror', async () => (await offers(us['approver-2']!, 'trade.commit', 'T-3')) !== undefined, 20_000);
    await twoPerson(us['approver-2']!, us['approver-1']!, '/api/trades/T-3/commit', day(12));
    await waitFor('T-3 committed in the RU mirror', async () => (await trade(ru.observer!, 'T-3')).status === 'committed', 20_000);
  });

  it('pages the trades this state is in, filtered by status and party on the server (issue 14)', async () => {
    const id = (item: { id: string }) => item.id;
    await waitFor('T-1 completed and T-3 committed in the RU mirror', async () => (await trade(ru.observer!, 'T-1')).status === 'completed' && (await trade(ru.observer!, 'T-3')).status === 'committed', 20_000);
    assert.deepEqual(await walk(ru.observer!, '/api/trades', 1, id), ['T-1', 'T-3'], 'in order of proposal, a page each');
    assert.deepEqual(await walk(ru.observer!, '/api/trades?status=completed', 5, id), ['T-1']);
    assert.deepEqual(await walk(ru.observer!, '/api/trades?status=committed', 5, id), ['T-3']);
    assert.deepEqual(await walk(ru.observer!, '/api/trades?party=US', 5, id), ['T-1', 'T-3']);
    assert.deepEqual(await walk(ru.observer!, '/api/trades?party=CH', 5, id), []);
    for (const [query, field] of [['status=done', 'query.status'], ['party=us', 'query.party'], ['after=1x', 'query.after'], ['limit=0', 'query.limit']]) {
      const refused = await ru.observer!.call('GET', `/api/trades?${query}`);
      assert.deepEqual([refused.status, refused.body.field], [400, field], JSON.stringify(refused.body));
    }
  });
});
