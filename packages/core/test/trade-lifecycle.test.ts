import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expiredTrades, getRequest, getTrade, lockOf, openTrades, statistics, type State } from '../src/index.ts';
import { APPROVERS, day, entry, REASONS, refused, run } from './request-helpers.ts';
import { adopt, attestAll, conditionalGrant, DEADLINE, proposal, req, signAndCommit, tradeTreaty, vol } from './trade-support.ts';

/** US-1: US asks RU (RU gives to US); RU-1: RU asks US (US gives to RU). Both granted on reciprocity. */
const treaty = tradeTreaty(['US', 'RU', 'DE']);
const pool = run([...adopt(treaty), ...conditionalGrant('US-1', 'US', 'RU'), ...conditionalGrant('RU-1', 'RU', 'US'), ...conditionalGrant('RU-2', 'RU', 'DE')]);
const proposed = run([proposal('US', 'T1', [req('US-1'), req('RU-1')])], pool);
const committed = run(signAndCommit('T1', ['US', 'RU']), proposed);
const trade = (state: State) => getTrade(state.trades, 'T1')!;

describe('trade lifecycle: propose, sign, commit, attest, confirm', () => {
  it('runs to completion and moves the requests with it', () => {
    assert.deepEqual(trade(proposed).parties, ['RU', 'US']);
    assert.deepEqual(trade(proposed).legs.map((leg) => [leg.from, leg.to, leg.request]), [['RU', 'US', 'US-1'], ['US', 'RU', 'RU-1']]);
    assert.equal(trade(committed).status, 'committed');
    assert.equal(lockOf(committed.trades, 'US-1'), 'T1');
    const attested = run(attestAll('T1', 2), committed);
    assert.equal(getRequest(attested, 'US-1')?.status, 'surrendered');
    const done = run([entry('US', day(6), 'trade.confirm-receipt', { trade: 'T1', leg: 0 }), entry('RU', day(6), 'trade.confirm-receipt', { trade: 'T1', leg: 1 })], attested);
    assert.equal(trade(done).status, 'completed');
    assert.equal(trade(done).completedAt, day(6));
    assert.deepEqual([getRequest(done, 'US-1')?.status, getRequest(done, 'RU-1')?.status], ['received', 'received']);
    assert.equal(lockOf(done.trades, 'US-1'), undefined);
    assert.deepEqual(trade(done).history.map((item) => item.type), ['trade.propose', 'trade.sign', 'trade.sign', 'trade.commit', 'trade.attest', 'trade.attest', 'trade.confirm-receipt', 'trade.confirm-receipt']);
    assert.deepEqual(statistics(done, day(7)).find((pair) => pair.requesting === 'US' && pair.requested === 'RU')?.surrendered, 1);
  });

  it('commits only when every involved party has signed, and only once', () => {
    const once = run([entry('US', day(4), 'trade.sign', { trade: 'T1', approvers: APPROVERS })], proposed);
    assert.match(refused(once, entry('US', day(4), 'trade.commit', { trade: 'T1', approvers: APPROVERS }), 'TRADE_NOT_SIGNED').message, /missing RU/);
    refused(once, entry('US', day(4), 'trade.sign', { trade: 'T1', approvers: APPROVERS }), 'ALREADY_DONE');
    refused(committed, entry('RU', day(4), 'trade.commit', { trade: 'T1', approvers: APPROVERS }), 'ALREADY_DONE');
    refused(proposed, entry('DE', day(4), 'trade.sign', { trade: 'T1', approvers: APPROVERS }), 'NOT_TRADE_PARTY');
    refused(proposed, entry('US', day(21), 'trade.sign', { trade: 'T1', approvers: APPROVERS }), 'DEADLINE_PASSED');
  });

  it('a committed leg cannot be withdrawn, surrendered outside the trade, or used in another trade', () => {
    assert.ok(getRequest(proposed, 'US-1') && run([entry('US', day(4), 'request.withdraw', { request: 'US-1', sealed: REASONS })], proposed), 'before the commit, withdrawal is allowed');
    refused(committed, entry('US', day(4), 'request.withdraw', { request: 'US-1', sealed: REASONS }), 'REQUEST_LOCKED');
    refused(committed, entry('RU', day(4), 'request.schedule-surrender', { request: 'US-1', date: '2021-07-01' }), 'REQUEST_LOCKED');
    refused(committed, proposal('US', 'T2', [req('US-1'), req('RU-1')]), 'REQUEST_LOCKED');
  });

  it('a request withdrawn between proposal and commit stops the commit', () => {
    const withdrawn = run([entry('US', day(4), 'request.withdraw', { request: 'US-1', sealed: REASONS }), ...signAndCommit('T1', ['US', 'RU']).slice(0, 2)], proposed);
    refused(withdrawn, entry('US', day(4), 'trade.commit', { trade: 'T1', approvers: APPROVERS }), 'LEG_INELIGIBLE');
  });

  it('checks who proposes, attests and confirms', () => {
    refused(pool, proposal('DE', 'T9', [req('US-1'), req('RU-1')]), 'NOT_TRADE_PARTY');
    refused(pool, proposal('CH', 'T9', [req('US-1'), req('RU-1')]), 'AUTHOR_NOT_A_PARTY');
    refused(proposed, proposal('US', 'T1', [req('US-1'), req('RU-1')]), 'TRADE_EXISTS');
    refused(pool, proposal('US', 'T9', [req('US-1'), req('US-1')]), 'LEG_INVALID');
    refused(pool, proposal('US', 'T9', [req('US-1'), req('RU-1')], 'CH'), 'LEG_INVALID');
    refused(proposed, entry('exchange', day(4), 'trade.sign', { trade: 'T1', approvers: APPROVERS }), 'AUTHOR_NOT_A_PARTY');
    refused(committed, entry('US', day(5), 'trade.attest', { trade: 'T1', leg: 0, identity: true, health: true }), 'NOT_COORDINATOR');
    refused(committed, entry('exchange', day(5), 'trade.attest', { trade: 'T1', leg: 0, identity: false, health: true } as never), 'BODY_INVALID');
    refused(committed, entry('exchange', day(5), 'trade.attest', { trade: 'T1', leg: 2, identity: true, health: true }), 'LEG_INVALID');
    refused(committed, entry('US', day(5), 'trade.confirm-receipt', { trade: 'T1', leg: 0 }), 'LEG_NOT_ATTESTED');
    const attested = run(attestAll('T1', 2), committed);
    refused(attested, entry('RU', day(6), 'trade.confirm-receipt', { trade: 'T1', leg: 0 }), 'NOT_RECEIVER');
    refused(attested, entry('exchange', day(6), 'trade.attest', { trade: 'T1', leg: 0, identity: true, health: true }), 'ALREADY_DONE');
    refused(pool, entry('US', day(4), 'trade.sign', { trade: 'nope', approvers: APPROVERS }), 'TRADE_UNKNOWN');
    refused(pool, entry('US', day(4), 'request.decide', { request: 'RU-2' } as never), 'BODY_INVALID');
  });

  it('a party named as coordinator attests in place of the exchange', () => {
    const withDe = run([proposal('US', 'T3', [req('US-1'), req('RU-1')], 'DE'), ...signAndCommit('T3', ['US', 'RU']), ...attestAll('T3', 2, 'DE')], pool);
    assert.ok(getTrade(withDe.trades, 'T3')!.legs.every((leg) => leg.attestedAt === day(5)));
  });
});

describe('trade abort at the deadline', () => {
  // US hands RU-1 over (leg 1); RU never hands US-1 over (leg 0).
  const halfway = run([entry('exchange', day(5), 'trade.attest', { trade: 'T1', leg: 1, identity: true, health: true })], committed);

  it('is refused before the deadline and to outsiders; with every leg handed over it ends as receipt unconfirmed', () => {
    refused(halfway, entry('US', DEADLINE, 'trade.abort', { trade: 'T1' }), 'TRADE_NOT_EXPIRED');
    const all = run(attestAll('T1', 1), halfway);
    const unconfirmed = run([entry('US', day(21), 'trade.abort', { trade: 'T1' })], all);
    assert.deepEqual([trade(unconfirmed).status, trade(unconfirmed).breaches, trade(unconfirmed).abortedBy], ['receipt-unconfirmed', [], 'US']);
    assert.equal(lockOf(unconfirmed.trades, 'US-1'), undefined, 'the locks are released');
    assert.deepEqual([...openTrades(unconfirmed)], []);
    // The handovers stand: each receiver can still confirm on its request, outside the trade.
    assert.equal(getRequest(run([entry('US', day(22), 'request.confirm-receipt', { request: 'US-1' })], unconfirmed), 'US-1')?.status, 'received');
    const counted = statistics(unconfirmed, day(22));
    const unconfirmedOf = (requesting: string, requested: string) => counted.find((pair) => pair.requesting === requesting && pair.requested === requested)?.tradeReceiptsUnconfirmed;
    assert.deepEqual([unconfirmedOf('US', 'RU'), unconfirmedOf('RU', 'US')], [1, 1]);
    refused(halfway, entry('DE', day(21), 'trade.abort', { trade: 'T1' }), 'NOT_TRADE_PARTY');
    refused(halfway, entry('exchange', day(21), 'trade.attest', { trade: 'T1', leg: 0, identity: true, health: true }), 'DEADLINE_PASSED');
  });

  it('unlocks the legs, records the breach against the party that failed, and the statistics show it', () => {
    const aborted = run([entry('exchange', day(21), 'trade.abort', { trade: 'T1', sealed: { reasons: 'RU did not bring US-1 to the venue' } })], halfway);
    assert.equal(trade(aborted).status, 'aborted');
    assert.deepEqual(trade(aborted).breaches, ['RU']);
    assert.equal(lockOf(aborted.trades, 'US-1'), undefined);
    assert.equal(getRequest(aborted, 'US-1')?.status, 'granted-conditional', 'the unfinished leg returns to its grant');
    assert.equal(getRequest(aborted, 'RU-1')?.status, 'surrendered', 'the leg that moved stays moved');
    run([entry('US', day(22), 'request.withdraw', { request: 'US-1', sealed: REASONS })], aborted);
    run([proposal('US', 'T4', [req('US-1'), vol('US', 'RU', 'p-pardoned')], 'exchange', day(22), day(40))], aborted);
    refused(aborted, entry('US', day(22), 'trade.abort', { trade: 'T1' }), 'ALREADY_DONE');
    const pairs = statistics(aborted, day(22));
    const breaches = (requesting: string, requested: string) => pairs.find((pair) => pair.requesting === requesting && pair.requested === requested)?.tradeBreaches;
    assert.deepEqual([breaches('US', 'RU'), breaches('RU', 'US')], [1, 0]);
    assert.equal(statistics(aborted, day(20)).find((pair) => pair.requesting === 'US' && pair.requested === 'RU')?.tradeBreaches, 0, 'not yet at an earlier instant');
    // Credits of the leg that never moved are taken back; the one that moved stays.
    assert.deepEqual(aborted.trades.partyCredits, { RU: -1, US: 1 });
  });

  it('a trade that never committed lapses with no breach', () => {
    const lapsed = run([entry('RU', day(21), 'trade.abort', { trade: 'T1' })], proposed);
    assert.equal(trade(lapsed).status, 'aborted');
    assert.deepEqual(trade(lapsed).breaches, []);
    assert.ok(statistics(lapsed, day(22)).every((pair) => pair.tradeBreaches === 0));
  });
});

describe('a leg carried out without its coordinator', () => {
  it('the giver records the surrender, the receiver confirms, and the trade completes whoever coordinates', () => {
    // The exchange coordinates and never attests: the parties carry the trade out themselves.
    const done = run([
      entry('RU', day(5), 'trade.surrender', { trade: 'T1', leg: 0 }),
      entry('US', day(5), 'trade.surrender', { trade: 'T1', leg: 1 }),
      entry('US', day(6), 'trade.confirm-receipt', { trade: 'T1', leg: 0 }),
      entry('RU', day(6), 'trade.confirm-receipt', { trade: 'T1', leg: 1 }),
    ], committed);
    assert.equal(trade(done).status, 'completed');
    assert.deepEqual([getRequest(done, 'US-1')?.status, getRequest(done, 'RU-1')?.status], ['received', 'received']);
    assert.deepEqual([...openTrades(done)], []);
  });

  it('only the giver records its surrender, once, before the deadline; a coordinator may still attest it', () => {
    refused(committed, entry('US', day(5), 'trade.surrender', { trade: 'T1', leg: 0 }), 'NOT_GIVER');
    refused(committed, entry('RU', day(21), 'trade.surrender', { trade: 'T1', leg: 0 }), 'DEADLINE_PASSED');
    refused(proposed, entry('RU', day(5), 'trade.surrender', { trade: 'T1', leg: 0 }), 'ILLEGAL_TRANSITION');
    const surrendered = run([entry('RU', day(5), 'trade.surrender', { trade: 'T1', leg: 0 })], committed);
    refused(surrendered, entry('RU', day(5), 'trade.surrender', { trade: 'T1', leg: 0 }), 'ALREADY_DONE');
    const attested = run(attestAll('T1', 1), surrendered);
    assert.equal(getRequest(attested, 'US-1')?.history.filter((item) => item.type === 'trade.attest').length, 0, 'the request moved once, with the first record');
  });

  it('signing and committing need two different approvers', () => {
    refused(proposed, entry('US', day(4), 'trade.sign', { trade: 'T1', approvers: ['a-1', 'a-1'] }), 'APPROVERS_NOT_DISTINCT');
    refused(proposed, entry('US', day(4), 'trade.sign', { trade: 'T1' }), 'BODY_INVALID');
  });

  it('keeps the open trades in deadline order for the exchange to call off', () => {
    const two = run([proposal('US', 'T0', [req('US-1'), req('RU-1')], 'exchange', day(3), day(10))], proposed);
    assert.deepEqual([...openTrades(two)].map((item) => item.id), ['T0', 'T1']);
    assert.deepEqual(expiredTrades(two, day(11)), ['T0']);
    assert.deepEqual(expiredTrades(two, day(10)), []);
  });
});

describe('trade legs', () => {
  it('voluntary legs: a pardoned prisoner and a child travelling along', () => {
    const state = run(
      [
        proposal('RU', 'TV', [req('US-1'), vol('US', 'RU', 'p-pardoned', 'pardon'), vol('RU', 'US', 'p-child-1', 'family'), req('RU-1')]),
        ...signAndCommit('TV', ['RU', 'US']),
        ...attestAll('TV', 4),
        ...[0, 1, 2, 3].map((leg) => entry(leg % 2 === 0 ? 'US' : 'RU', day(6), 'trade.confirm-receipt', { trade: 'TV', leg })),
      ],
      pool,
    );
    const done = getTrade(state.trades, 'TV')!;
    assert.equal(done.status, 'completed');
    assert.deepEqual(done.legs.map((leg) => [leg.kind, leg.reason ?? null, leg.subject]), [['request', null, 'p-US-1'], ['voluntary', 'pardon', 'p-pardoned'], ['voluntary', 'family', 'p-child-1'], ['request', null, 'p-RU-1']]);
    refused(pool, proposal('US', 'TX', [vol('US', 'US', 'p-x'), req('US-1')]), 'LEG_INVALID');
    refused(pool, proposal('US', 'TX', [vol('US', 'CH', 'p-x'), req('US-1')]), 'LEG_INVALID');
  });

  it('a leg whose destination differs from the requester: the destination receives and confirms', () => {
    // US asked RU for US-1, but the person goes to DE, which gives RU-2 to RU in return.
    const state = run([proposal('DE', 'TD', [req('US-1', { destination: 'DE' }), req('RU-2')]), ...signAndCommit('TD', ['DE', 'RU']), ...attestAll('TD', 2)], pool);
    const record = getTrade(state.trades, 'TD')!;
    assert.deepEqual(record.parties, ['DE', 'RU']);
    assert.deepEqual([record.legs[0]!.from, record.legs[0]!.to], ['RU', 'DE']);
    refused(state, entry('US', day(6), 'trade.confirm-receipt', { trade: 'TD', leg: 0 }), 'NOT_RECEIVER');
    run([entry('DE', day(6), 'trade.confirm-receipt', { trade: 'TD', leg: 0 })], state);
    refused(pool, proposal('US', 'TX', [req('US-1', { destination: 'RU' }), req('RU-1')]), 'LEG_INVALID');
  });

  it('only grants conditional on reciprocity are legs', () => {
    const filed = run([entry('US', day(3), 'request.file', { request: 'US-9', requested: 'RU', kind: 'extradition', purpose: 'prosecution', subject: { pseudonym: 'p-US-9', nationalities: ['UA'], ageAtOffence: 30 }, offences: ['ransomware-extortion'], offenceDate: '2021-05-07' })], pool);
    refused(filed, proposal('US', 'TX', [req('US-9'), req('RU-1')], 'exchange', day(3)), 'LEG_INELIGIBLE');
    refused(pool, proposal('US', 'TX', [req('US-404'), req('RU-1')]), 'REQUEST_UNKNOWN');
  });
});
