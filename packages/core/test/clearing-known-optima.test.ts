/**
 * The known optima of reference/trade-matching.md §6(c) and §5 ("Toy MIPs"), and the
 * pipeline's robustness cases: empty and acyclic pools, bad input, a time limit.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clear, type ClearingPlan, type ClearingRequest } from '../src/trade/clearing/index.ts';
import { planProblems } from './clearing-support.ts';

function req(id: string, holder: string, requester: string, weight = 1): ClearingRequest {
  // Written holder → requester, the way the person moves; `from` is the requester.
  return { id, from: requester, to: holder, weight };
}

async function solve(pool: ClearingRequest[], maxLength: number): Promise<ClearingPlan> {
  const result = await clear(pool, { maxLength, epsilon: 0 });
  assert.ok(result.ok, JSON.stringify(result));
  assert.deepEqual(planProblems(pool, result.value, maxLength), []);
  return result.value;
}

const legSets = (plan: ClearingPlan): string[][] => plan.trades.map((trade) => [...trade.legs].sort());

describe('clearing: known optima (§6(c))', () => {
  // A→B w3 is shared: the 2-cycle A⇄B is worth 3+1 = 4, the 3-cycle A→B→C→A 3+2+2 = 7.
  const toy = [req('ab', 'A', 'B', 3), req('ba', 'B', 'A', 1), req('bc', 'B', 'C', 2), req('ca', 'C', 'A', 2)];

  it('toy trade: 7 with L = 3 (the 3-cycle)', async () => {
    const plan = await solve(toy, 3);
    assert.equal(plan.objective, 7);
    assert.equal(plan.bound, 7);
    assert.equal(plan.gap, 0);
    assert.deepEqual(legSets(plan), [['ab', 'bc', 'ca']]);
  });

  it('toy trade: 4 with L = 2 (the 2-cycle)', async () => {
    const plan = await solve(toy, 2);
    assert.equal(plan.objective, 4);
    assert.equal(plan.gap, 0);
    assert.deepEqual(legSets(plan), [['ab', 'ba']]);
  });

  const square = [req('ab', 'A', 'B'), req('bc', 'B', 'C'), req('cd', 'C', 'D'), req('da', 'D', 'A')];

  it('lone 4-cycle: 0 with L = 3, and the bound proves it', async () => {
    const plan = await solve(square, 3);
    assert.equal(plan.objective, 0);
    assert.equal(plan.bound, 0);
    assert.equal(plan.trades.length, 0);
  });

  it('lone 4-cycle: 4 with L = 4', async () => {
    const plan = await solve(square, 4);
    assert.equal(plan.objective, 4);
    assert.deepEqual(plan.trades.map((t) => t.parties), [['A', 'B', 'C', 'D']]);
  });

  it('A→B ×3 with B→A ×2: two 2-cycles on the heaviest A→B requests', async () => {
    const pool = [req('ab1', 'A', 'B', 1), req('ab5', 'A', 'B', 5), req('ab3', 'A', 'B', 3), req('ba2', 'B', 'A', 2), req('ba4', 'B', 'A', 4)];
    const plan = await solve(pool, 3);
    assert.equal(plan.objective, 5 + 3 + 2 + 4);
    assert.equal(plan.trades.length, 2);
    const used = plan.trades.flatMap((t) => t.legs).sort();
    assert.deepEqual(used, ['ab3', 'ab5', 'ba2', 'ba4']);
  });

  it('hub: A↔B and A↔C are both chosen, A is in two trades', async () => {
    const pool = [req('ab', 'A', 'B'), req('ba', 'B', 'A'), req('ac', 'A', 'C'), req('ca', 'C', 'A')];
    const plan = await solve(pool, 3);
    assert.equal(plan.objective, 4);
    assert.deepEqual(legSets(plan).sort(), [['ab', 'ba'], ['ac', 'ca']]);
    assert.equal(plan.trades.filter((t) => t.parties.includes('A')).length, 2);
    assert.deepEqual(plan.received, { A: 2, B: 1, C: 1 });
    assert.deepEqual(plan.given, { A: 2, B: 1, C: 1 });
  });
});

describe('clearing: robustness', () => {
  it('an empty pool gives an empty plan with bound 0', async () => {
    const plan = await solve([], 3);
    assert.deepEqual({ objective: plan.objective, bound: plan.bound, gap: plan.gap, trades: plan.trades }, { objective: 0, bound: 0, gap: 0, trades: [] });
  });

  it('an acyclic pool gives an empty plan', async () => {
    const plan = await solve([req('ab', 'A', 'B'), req('bc', 'B', 'C'), req('ac', 'A', 'C')], 3);
    assert.equal(plan.trades.length, 0);
    assert.equal(plan.bound, 0);
  });

  it('bad input is a typed error naming each field', async () => {
    const pool = [
      req('r1', 'A', 'B'),
      { id: 'r1', from: '', to: 'B', weight: 1 },
      { id: 'r3', from: 'A', to: 'A', weight: -2 },
    ] as ClearingRequest[];
    const result = await clear(pool, { maxLength: 1 });
    assert.ok(!result.ok);
    assert.equal(result.error.code, 'CLEARING_INPUT_INVALID');
    assert.deepEqual(result.error.problems, [
      'requests[1].id: duplicate of requests[0].id "r1"',
      'requests[1].from: expected a state code, found an empty string',
      'requests[2].to: a state cannot request a person it holds itself (from = to = "A")',
      'requests[2].weight: expected a finite number ≥ 0, found number -2',
      'options.maxLength: expected an integer from 2 to 8, found number 1',
    ]);
  });
});
