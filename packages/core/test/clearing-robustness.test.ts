/**
 * What clearing must do under pressure (reference/trade-matching.md §6(c), "Robustness"):
 * a time limit returns the incumbent with its gap instead of throwing, a capped cycle
 * enumeration still returns a sound plan, and the weight and bloc rules keep their
 * balance on random pools.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Highs } from 'highs';
import { clearWith, loadHighs, type BalanceRule, type ClearingRequest } from '../src/trade/clearing/index.ts';
import { generatePool, planProblems, seededRandom } from './clearing-support.ts';

let highs: Highs;

describe('clearing: robustness', () => {
  before(async () => {
    highs = await loadHighs();
  });

  it('a tight time limit returns the incumbent and its certified gap', () => {
    const pool = generatePool(1, 100, 5000);
    const result = clearWith(highs, pool, { maxLength: 3, epsilon: 0, timeLimitSeconds: 0.3 });
    assert.ok(result.ok);
    const plan = result.value;
    assert.deepEqual(planProblems(pool, plan, 3), []);
    assert.ok(plan.objective > 0);
    assert.ok(plan.gap > 0 && plan.gap < 0.2, `gap ${plan.gap}`);
    assert.equal(plan.optimal, false);
  });

  it('a cycle cap keeps the plan sound and the bound valid', () => {
    const pool = generatePool(2, 12, 300);
    const capped = clearWith(highs, pool, { maxLength: 3, epsilon: 0, maxCycles: 20 });
    const full = clearWith(highs, pool, { maxLength: 3, epsilon: 0 });
    assert.ok(capped.ok && full.ok);
    assert.deepEqual(planProblems(pool, capped.value, 3), []);
    assert.equal(capped.value.stats.cycles, 20);
    assert.ok(capped.value.objective <= full.value.objective);
    assert.ok(capped.value.bound >= full.value.objective);
  });

  it('weight and bloc rules: every trade balances in its measure, per account, with ≤ L accounts', () => {
    const states = ['A', 'B', 'C', 'D', 'E'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.boolean(), fc.constantFrom<'count' | 'weight'>('count', 'weight'), (seed, useBlocs, measure) => {
        const random = seededRandom(seed);
        const pool: ClearingRequest[] = Array.from({ length: 14 }, (_, i) => {
          const from = Math.floor(random() * 5);
          const to = (from + 1 + Math.floor(random() * 4)) % 5;
          return { id: `r${i}`, from: states[from] as string, to: states[to] as string, weight: 1 + Math.floor(random() * 4) };
        });
        const blocs: Record<string, string> = { A: 'X', B: 'X', C: 'Y', D: 'Y', E: 'Z' };
        const balance: BalanceRule = useBlocs ? { measure, blocs } : { measure };
        const result = clearWith(highs, pool, { maxLength: 3, epsilon: 0, balance });
        assert.ok(result.ok);
        const accountOf = (state: string): string => (useBlocs ? (blocs[state] as string) : state);
        const weigh = (request: ClearingRequest): number => (measure === 'count' ? 1 : request.weight);
        assert.deepEqual(planProblems(pool, result.value, 3, accountOf, weigh), []);
        assert.ok(Math.abs(Object.values(result.value.credits).reduce((a, c) => a + c, 0)) < 1e-9);
      }),
      { seed: 6, numRuns: 60 },
    );
  });
});
