/**
 * Fairness credits across rounds (reference/trade-matching.md §2 and §6(a)6): with tied
 * optima the beneficiary alternates, the credits always sum to zero, and the deviation
 * from the fair shares shrinks relative to what was traded.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Highs } from 'highs';
import { clearWith, loadHighs, nextCredits, type ClearingPlan, type ClearingRequest } from '../src/trade/clearing/index.ts';
import { generatePool, planProblems } from './clearing-support.ts';


let highs: Highs;

function round(pool: readonly ClearingRequest[], credits: Record<string, number> | undefined, maxLength = 3): ClearingPlan {
  const result = clearWith(highs, pool, { maxLength, epsilon: 0, ...(credits === undefined ? {} : { fairness: { credits } }) });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  assert.deepEqual(planProblems(pool, result.value, maxLength), []);
  return result.value;
}

const sum = (values: Record<string, number>): number => Object.values(values).reduce((a, b) => a + b, 0);

// Two 3-cycles share the single A→B request: A→B→C→A or A→B→D→A, each worth 3.
// Every state contributes 1, but C and D cannot both be served: they must take turns.
const TIED: ClearingRequest[] = [
  { id: 'ab', from: 'B', to: 'A', weight: 1 },
  { id: 'bc', from: 'C', to: 'B', weight: 1 },
  { id: 'ca', from: 'A', to: 'C', weight: 1 },
  { id: 'bd', from: 'D', to: 'B', weight: 1 },
  { id: 'da', from: 'A', to: 'D', weight: 1 },
];

function beneficiary(plan: ClearingPlan): string {
  const served = ['C', 'D'].filter((state) => (plan.received[state] as number) > 0);
  assert.equal(served.length, 1);
  return served[0] as string;
}

describe('clearing: fairness credits across rounds', () => {
  before(async () => {
    highs = await loadHighs();
  });

  it('alternates the beneficiary between tied optima, keeping the optimum and Σc = 0', () => {
    let credits: Record<string, number> = {};
    const served: string[] = [];
    for (let r = 0; r < 8; r += 1) {
      const plan = round(TIED, credits);
      assert.equal(plan.objective, 3);
      // A and B are on both optimal cycles; C and D can only take turns, so their
      // achievable share is half of one handover each.
      assert.deepEqual(rounded(plan.shares), { A: 1, B: 1, C: 0.5, D: 0.5 });
      served.push(beneficiary(plan));
      credits = { ...plan.credits };
      assert.ok(Math.abs(sum(credits)) < 1e-9);
      assert.ok(Object.values(credits).every((c) => Math.abs(c) <= 0.5 + 1e-9), JSON.stringify(credits));
    }
    for (let r = 1; r < served.length; r += 1) assert.notEqual(served[r], served[r - 1], served.join(''));
  });

  it('without credits the same state wins every round and the other falls behind', () => {
    let carried: Record<string, number> = {};
    const served = new Set<string>();
    for (let r = 0; r < 8; r += 1) {
      const plan = round(TIED, {});
      served.add(beneficiary(plan));
      carried = nextCredits(carried, plan.shares, plan.received);
    }
    assert.equal(served.size, 1);
    assert.ok(Math.max(...Object.values(carried).map(Math.abs)) >= 0.5 * 8 - 1e-6, JSON.stringify(carried));
  });

  it('on a pool with many tied optima, credits shrink the relative deviation; without them it stays', () => {
    // 10 states, 30 requests of weight 1 (seed 5): several optimal plans serve different states.
    const pool = generatePool(5, 10, 30, 0, 1);
    const run = (withCredits: boolean): number[] => {
      let credits: Record<string, number> = {};
      let carried: Record<string, number> = {};
      let traded = 0;
      const relative: number[] = [];
      for (let r = 0; r < 10; r += 1) {
        const plan = round(pool, withCredits ? credits : {});
        credits = { ...plan.credits };
        carried = nextCredits(carried, plan.shares, plan.received);
        assert.ok(Math.abs(sum(carried)) < 1e-9);
        traded += plan.objective;
        // Σ|c_p| is the cumulative distance between what each state received and its shares.
        relative.push(Object.values(carried).reduce((a, c) => a + Math.abs(c), 0) / traded);
      }
      return relative;
    };
    const withCredits = run(true);
    const without = run(false);
    const show = (xs: number[]): string => xs.map((x) => x.toFixed(3)).join(' ');
    assert.ok((without[0] as number) > 0.02, `the pool has a deviation to fix: ${show(without)}`);
    assert.ok((withCredits[9] as number) < (withCredits[0] as number) / 4, show(withCredits));
    assert.ok((without[9] as number) > (without[0] as number) * 0.9, show(without));
  });

  it('credits update as c + s − x, and their millionths sum to exactly zero', () => {
    const next = nextCredits({ A: 0.1, B: -0.1 }, { A: 1 / 3, B: 1 / 3, C: 1 / 3 }, { A: 1, B: 0, C: 0 });
    assert.deepEqual(next, { A: -0.566666, B: 0.233333, C: 0.333333 });
    assert.equal(Object.values(next).reduce((a, c) => a + Math.round(c * 1e6), 0), 0);
  });
});

function rounded(values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 1e6) / 1e6]));
}
