import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, clearingPool, clearingRoundPool, getRequest, getTrade, type State } from '../src/index.ts';
import { APPROVERS, day, entry, refused, run } from './request-helpers.ts';
import { adopt, attestAll, conditionalGrant, proposal, req, signAndCommit, tradeTreaty } from './trade-support.ts';

/**
 * Issue 17: trades and clearing when a party leaves. A trade committed (or proposed) before the
 * denunciation takes effect is carried out to its end; no new trade takes a person from or hands
 * one to the party that left, and a clearing round after the effective date leaves its grants
 * out of the pool.
 */
const treaty = tradeTreaty(['US', 'RU', 'TR']);
const EFFECTIVE = addMonths(day(5), 6);
/** Grants on reciprocity: US-1 (RU gives to US), RU-1 (US gives to RU), TR-1 (US gives to TR), US-2 (TR gives to US). */
const grants = run([...adopt(treaty), ...conditionalGrant('US-1', 'US', 'RU'), ...conditionalGrant('RU-1', 'RU', 'US'), ...conditionalGrant('TR-1', 'TR', 'US'), ...conditionalGrant('US-2', 'US', 'TR')]);
const FAR = EFFECTIVE + 60 * 86_400;
const denounce = (state: State) => run([entry('RU', day(5), 'treaty.denounce', { treaty: treaty.id })], state);

describe('trades when a party leaves (issue 17)', () => {
  it('a trade committed before the denunciation took effect completes after it', () => {
    const committed = denounce(run([proposal('US', 'T1', [req('US-1'), req('RU-1')], 'exchange', day(3), FAR), ...signAndCommit('T1', ['US', 'RU'])], grants));
    const after = EFFECTIVE + 86_400;
    const done = run([...attestAll('T1', 2, 'exchange', after), entry('US', after, 'trade.confirm-receipt', { trade: 'T1', leg: 0 }), entry('RU', after, 'trade.confirm-receipt', { trade: 'T1', leg: 1 })], committed);
    assert.equal(getTrade(done.trades, 'T1')?.status, 'completed');
    assert.deepEqual([getRequest(done, 'US-1')?.status, getRequest(done, 'RU-1')?.status], ['received', 'received']);
  });

  it('a trade proposed before it took effect may still be signed and committed; a new one is refused, naming the leg and the article', () => {
    const proposed = denounce(run([proposal('US', 'T1', [req('US-1'), req('RU-1')], 'exchange', day(3), FAR)], grants));
    const committed = run(signAndCommit('T1', ['US', 'RU'], EFFECTIVE + 86_400), proposed);
    assert.equal(getTrade(committed.trades, 'T1')?.status, 'committed');
    const late = refused(denounce(grants), proposal('US', 'T2', [req('US-1'), req('RU-1')], 'exchange', EFFECTIVE, FAR), 'TREATY_DENOUNCED');
    assert.equal(late.field, 'body.legs[0]');
    assert.match(late.message, /RU denounced treaty trade-test .* \(Arrangement art\. 12\(1\); ECE art\. 31\), so no new trade takes a person from it/);
    // Before the effective date, a new trade with RU is still proposed; a trade without RU, after it.
    run([proposal('US', 'T2', [req('US-1'), req('RU-1')], 'exchange', EFFECTIVE - 1, FAR)], denounce(grants));
    run([proposal('US', 'T3', [req('TR-1'), req('US-2')], 'exchange', EFFECTIVE, FAR)], denounce(grants));
    refused(denounce(grants), proposal('US', 'T4', [req('TR-1'), req('US-2')], 'RU', EFFECTIVE, FAR), 'TREATY_DENOUNCED');
  });
});

describe('a clearing round when a party leaves (issue 17)', () => {
  const pooled = (state: State, at: number) => clearingPool(state, at).map((leg) => leg.id).sort();

  it('pools the party’s grants until the effective date, and leaves them out from it', () => {
    const state = denounce(grants);
    assert.deepEqual(pooled(state, EFFECTIVE - 1), ['RU-1', 'TR-1', 'US-1', 'US-2']);
    assert.deepEqual(pooled(state, EFFECTIVE), ['TR-1', 'US-2']);
    assert.deepEqual(clearingRoundPool(state, treaty, EFFECTIVE).requests.map((leg) => leg.id).sort(), ['TR-1', 'US-2']);
  });

  it('a round open across the effective date: its proposals made before go on, the next round leaves the party out', () => {
    // The exchange proposes the round's trades before the effective date; RU signs one after it.
    const round = run([proposal('exchange', 'clearing-1', [req('US-1'), req('RU-1')], 'exchange', EFFECTIVE - 60, FAR)], denounce(grants));
    assert.deepEqual(pooled(round, EFFECTIVE - 30), ['TR-1', 'US-2'], 'legs offered in an open proposal are not pooled twice');
    const signed = run([entry('RU', EFFECTIVE + 60, 'trade.sign', { trade: 'clearing-1', approvers: APPROVERS }), entry('US', EFFECTIVE + 60, 'trade.sign', { trade: 'clearing-1', approvers: APPROVERS })], round);
    assert.deepEqual(getTrade(signed.trades, 'clearing-1')?.signedBy, ['RU', 'US']);
    // Once that proposal ends, RU's grants do not come back into a round after the effective date.
    const aborted = run([entry('exchange', FAR + 1, 'trade.abort', { trade: 'clearing-1' })], round);
    assert.deepEqual(pooled(aborted, FAR + 1), ['TR-1', 'US-2']);
    refused(aborted, proposal('exchange', 'clearing-2', [req('US-1'), req('RU-1')], 'exchange', FAR + 1, FAR + 30 * 86_400), 'TREATY_DENOUNCED');
  });
});
