/**
 * The Ankara exchange of 1 August 2024 as a fixture (reference/domain.md §6,
 * trade-matching.md §3): 26 people held by 7 states. West → East: US 3, DE 1, PL 1, SI 2
 * adults + 2 children, NO 1, all to RU (10). East → West: RU 3 to the US and 12 to DE, BY 1
 * to DE (16). `from` is the destination state, which here stands in for the requester.
 *
 * The weights are the treaty's per-person weights (issue 6: "weights per person"); the
 * figures are ours, not facts: they make the two blocs' totals equal (32 each) while no
 * subset of any one state's legs matches what it receives.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Highs } from 'highs';
import { clearWith, loadHighs, type BalanceRule, type ClearingPlan, type ClearingRequest } from '../src/trade/clearing/index.ts';
import { planProblems } from './clearing-support.ts';

function leg(id: string, holder: string, destination: string, weight: number): ClearingRequest {
  return { id, from: destination, to: holder, weight };
}

const ANKARA_2024: readonly ClearingRequest[] = [
  leg('seleznev', 'US', 'RU', 3),
  leg('klyushin', 'US', 'RU', 5),
  leg('konoshchenok', 'US', 'RU', 7),
  leg('krasikov', 'DE', 'RU', 9),
  leg('rubtsov', 'PL', 'RU', 2),
  leg('dultsev', 'SI', 'RU', 1),
  leg('dultseva', 'SI', 'RU', 1),
  leg('dultsev-child-1', 'SI', 'RU', 1),
  leg('dultsev-child-2', 'SI', 'RU', 1),
  leg('mikushin', 'NO', 'RU', 2),
  ...Array.from({ length: 3 }, (_, i) => leg(`ru-to-us-${i + 1}`, 'RU', 'US', 2)),
  ...Array.from({ length: 12 }, (_, i) => leg(`ru-to-de-${String(i + 1).padStart(2, '0')}`, 'RU', 'DE', 2)),
  leg('krieger', 'BY', 'DE', 2),
];

const BLOCS = { US: 'West', DE: 'West', PL: 'West', SI: 'West', NO: 'West', RU: 'East', BY: 'East' };

let highs: Highs;
function solve(balance: BalanceRule): ClearingPlan {
  const result = clearWith(highs, ANKARA_2024, { maxLength: 3, balance, epsilon: 0 });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('clearing: the Ankara exchange, 1 August 2024', () => {
  before(async () => {
    highs = await loadHighs();
  });

  it('is the fixture the sources describe: 26 people, 7 states, 10 to RU, 13 to DE, 3 to the US', () => {
    assert.equal(ANKARA_2024.length, 26);
    assert.equal(new Set(ANKARA_2024.flatMap((r) => [r.from, r.to])).size, 7);
    const to = (state: string): number => ANKARA_2024.filter((r) => r.from === state).length;
    assert.deepEqual([to('RU'), to('DE'), to('US')], [10, 13, 3]);
  });

  it('per-state balance with per-person weights gives no trade, and the bound proves none exists', () => {
    const plan = solve({ measure: 'weight' });
    assert.deepEqual(plan.trades, []);
    assert.equal(plan.objective, 0);
    assert.equal(plan.bound, 0);
  });

  it('bloc accounts give one trade of 10 against 16', () => {
    const plan = solve({ measure: 'weight', blocs: BLOCS });
    assert.deepEqual(planProblems(ANKARA_2024, plan, 3, (s) => BLOCS[s as keyof typeof BLOCS], (r) => r.weight), []);
    assert.equal(plan.trades.length, 1);
    const trade = plan.trades[0] as { legs: readonly string[]; parties: readonly string[] };
    assert.deepEqual(trade.parties, ['East', 'West']);
    const toEast = trade.legs.filter((id) => ANKARA_2024.find((r) => r.id === id)?.from === 'RU');
    assert.equal(toEast.length, 10);
    assert.equal(trade.legs.length - toEast.length, 16);
    assert.equal(plan.objective, 64);
    assert.equal(plan.gap, 0);
  });

  it('states that gave without receiving accrue credit; credits sum to zero', () => {
    const plan = solve({ measure: 'weight', blocs: BLOCS });
    for (const state of ['PL', 'SI', 'NO', 'BY']) {
      assert.equal(plan.received[state], 0, state);
      assert.ok((plan.credits[state] as number) > 0, `${state} accrues credit`);
    }
    assert.deepEqual(plan.credits, { BY: 2, DE: -17, NO: 2, PL: 2, RU: -2, SI: 4, US: 9 });
    assert.equal(Object.values(plan.credits).reduce((a, b) => a + b, 0), 0);
  });

  it('per-state count balance only finds 1-for-1 swaps, never the givers PL, SI, NO or BY', () => {
    const plan = solve({ measure: 'count' });
    assert.ok(plan.trades.every((trade) => trade.legs.length === 2));
    for (const state of ['PL', 'SI', 'NO', 'BY']) assert.equal(plan.given[state], 0, state);
  });
});
