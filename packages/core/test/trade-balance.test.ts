import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getTrade, type AnyDomainEntry, type Treaty } from '../src/index.ts';
import { day, refused, run } from './request-helpers.ts';
import { adopt, attestAll, conditionalGrant, proposal, req, signAndCommit, tradeTreaty, vol, type Leg } from './trade-support.ts';

/** Two grants each way between US and RU. */
function pool(treaty: Treaty) {
  return run([...adopt(treaty), ...conditionalGrant('US-1', 'US', 'RU'), ...conditionalGrant('US-2', 'US', 'RU'), ...conditionalGrant('RU-1', 'RU', 'US'), ...conditionalGrant('RU-2', 'RU', 'US')]);
}

describe('balance rule: equal count per party per trade', () => {
  const state = pool(tradeTreaty(['US', 'RU']));
  it('rejects two for one, naming what each party gives and receives', () => {
    const error = refused(state, proposal('US', 'T', [req('US-1'), req('US-2'), req('RU-1')]), 'TRADE_UNBALANCED');
    assert.match(error.message, /equal-count/);
    assert.match(error.message, /RU gives 2, receives 1; US gives 1, receives 2/);
  });
  it('counts people, not weights', () => {
    run([proposal('US', 'T', [req('US-1', { weight: 5 }), req('RU-1')])], state);
  });
});

describe('balance rule: weights per person', () => {
  const state = pool(tradeTreaty(['US', 'RU'], { rule: 'weighted' }));
  it('accepts one heavy person for two, and refuses an uneven weight', () => {
    run([proposal('US', 'T', [req('US-1', { weight: 2 }), req('RU-1'), req('RU-2')])], state);
    const error = refused(state, proposal('US', 'T', [req('US-1', { weight: 3 }), req('RU-1')]), 'TRADE_UNBALANCED');
    assert.match(error.message, /RU gives 3, receives 1; US gives 1, receives 3/);
  });
});

describe('balance rule: bloc accounts with credits carried across trades', () => {
  const treaty = tradeTreaty(['US', 'DE', 'RU', 'BY'], { rule: 'bloc-credits', blocs: { west: ['US', 'DE'], east: ['RU', 'BY'] } });
  const start = run([...adopt(treaty), ...conditionalGrant('US-1', 'US', 'RU'), ...conditionalGrant('DE-1', 'DE', 'RU'), ...conditionalGrant('RU-1', 'RU', 'US')]);
  // East gives 2 and receives 1: a reciprocal, uneven exchange; east earns 1 credit.
  const first = proposal('US', 'A', [req('US-1'), req('DE-1'), req('RU-1')]);
  // East receives a pardoned prisoner and gives nothing: only against credit.
  const second = proposal('US', 'B', [vol('US', 'BY', 'p-pardoned')], 'exchange', day(6));

  it('a bloc receives without giving only against credit earned in an earlier trade', () => {
    assert.match(refused(start, second, 'TRADE_UNBALANCED').message, /bloc east receives 1 and has a credit of 0/);
    const afterFirst = run([first, ...signAndCommit('A', ['DE', 'RU', 'US'])], start);
    assert.deepEqual(afterFirst.trades.blocCredits, { east: 1, west: -1 });
    assert.deepEqual(afterFirst.trades.partyCredits, { DE: -1, RU: 1, US: 0 });
    const afterSecond = run([second, ...signAndCommit('B', ['BY', 'US'], day(6))], afterFirst);
    assert.deepEqual(afterSecond.trades.blocCredits, { east: 0, west: 0 });
    assert.deepEqual(afterSecond.trades.partyCredits, { BY: -1, DE: -1, RU: 1, US: 1 });
    refused(afterSecond, proposal('DE', 'C', [vol('DE', 'RU', 'p-other')], 'exchange', day(7)), 'TRADE_UNBALANCED');
  });

  it('credit spent by another commit in the meantime stops a second commit', () => {
    const both = run([first, ...signAndCommit('A', ['DE', 'RU', 'US']), second, proposal('DE', 'B2', [vol('DE', 'RU', 'p-other')], 'exchange', day(6))], start);
    const spent = run(signAndCommit('B', ['BY', 'US'], day(6)), both);
    const signed = run(signAndCommit('B2', ['DE', 'RU'], day(6)).slice(0, 2), spent);
    refused(signed, signAndCommit('B2', ['DE', 'RU'], day(6))[2] as AnyDomainEntry, 'TRADE_UNBALANCED');
  });

  it('a party outside every bloc cannot trade', () => {
    const withCh = tradeTreaty(['US', 'RU', 'CH'], { rule: 'bloc-credits', blocs: { west: ['US'], east: ['RU'] } });
    const state = run([...adopt(withCh), ...conditionalGrant('US-1', 'US', 'RU')]);
    assert.match(refused(state, proposal('US', 'X', [req('US-1'), vol('US', 'CH', 'p-x'), vol('CH', 'RU', 'p-y')]), 'TRADE_UNBALANCED').message, /CH belongs to none/);
  });
});

/**
 * Ankara, 1 August 2024 (reference/domain.md §6; trade-matching.md §3): 26 people held by
 * US, DE, PL, SI, NO, RU and BY. RU released 15 and BY 1; the West released 8 plus 2 minors.
 * 10 went to RU, 13 to DE, 3 to the US. Requests and pardons are modelled on the account:
 * RU's requests for the 8 it received, the 2 children travelling along with their parents,
 * US requests for the 3 it received, DE's for the one BY held, a PL request whose person
 * went to Germany, and 11 pardons by RU with Germany as destination.
 */
describe('the August 2024 exchange as a fixture', () => {
  const parties = ['US', 'DE', 'PL', 'SI', 'NO', 'RU', 'BY'];
  const westToRu: [string, string][] = [['RU-1', 'US'], ['RU-2', 'US'], ['RU-3', 'US'], ['RU-4', 'DE'], ['RU-5', 'PL'], ['RU-6', 'SI'], ['RU-7', 'SI'], ['RU-8', 'NO']];
  const grants: AnyDomainEntry[] = [
    ...westToRu.flatMap(([id, holder]) => conditionalGrant(id, 'RU', holder)),
    ...['US-1', 'US-2', 'US-3'].flatMap((id) => conditionalGrant(id, 'US', 'RU')),
    ...conditionalGrant('DE-1', 'DE', 'BY'),
    ...conditionalGrant('PL-1', 'PL', 'RU'),
  ];
  const legs: Leg[] = [
    ...westToRu.map(([id]) => req(id)),
    vol('SI', 'RU', 'p-child-1', 'family'),
    vol('SI', 'RU', 'p-child-2', 'family'),
    req('US-1'),
    req('US-2'),
    req('US-3'),
    req('DE-1'),
    req('PL-1', { destination: 'DE' }),
    ...Array.from({ length: 11 }, (_, index) => vol('RU', 'DE', `p-pardon-${index + 1}`, 'pardon')),
  ];
  const ankara = proposal('exchange', 'ankara-2024', legs);

  it('has the published shape: 26 people, 16 against 10, destinations 10/13/3', () => {
    const treaty = tradeTreaty(parties, { rule: 'bloc-credits', blocs: { west: ['US', 'DE', 'PL', 'SI', 'NO'], east: ['RU', 'BY'] } });
    const state = run([...adopt(treaty), ...grants, ankara]);
    const trade = getTrade(state.trades, 'ankara-2024')!;
    assert.equal(trade.legs.length, 26);
    const to = (party: string) => trade.legs.filter((leg) => leg.to === party).length;
    const from = (party: string) => trade.legs.filter((leg) => leg.from === party).length;
    assert.deepEqual([to('RU'), to('DE'), to('US')], [10, 13, 3]);
    assert.deepEqual([from('RU'), from('BY')], [15, 1]);
    assert.deepEqual(trade.parties, [...parties].sort());
  });

  it('per-state equal count refuses it', () => {
    const state = run([...adopt(tradeTreaty(parties)), ...grants]);
    const error = refused(state, ankara, 'TRADE_UNBALANCED');
    assert.match(error.message, /BY gives 1, receives 0; DE gives 1, receives 13; NO gives 1, receives 0; PL gives 1, receives 0/);
  });

  it('bloc accounts accept one trade of 10 against 16, and the states that gave without receiving accrue credit', () => {
    const treaty = tradeTreaty(parties, { rule: 'bloc-credits', blocs: { west: ['US', 'DE', 'PL', 'SI', 'NO'], east: ['RU', 'BY'] } });
    const state = run([...adopt(treaty), ...grants, ankara, ...signAndCommit('ankara-2024', parties), ...attestAll('ankara-2024', 26)]);
    assert.equal(getTrade(state.trades, 'ankara-2024')!.status, 'committed');
    assert.deepEqual(state.trades.blocCredits, { east: 6, west: -6 });
    const credits = state.trades.partyCredits;
    for (const party of ['PL', 'SI', 'NO', 'BY']) assert.ok((credits[party] ?? 0) > 0, `${party} gave without receiving: ${JSON.stringify(credits)}`);
    assert.deepEqual(credits, { BY: 1, DE: -12, NO: 1, PL: 1, RU: 5, SI: 4, US: 0 });
    assert.equal(Object.values(credits).reduce((sum, value) => sum + value, 0), 0);
  });
});
