/**
 * Laws of clearing over seeded random pools (reference/trade-matching.md §6(c),
 * "Properties"): soundness of every plan, exactness against brute force, the bound, and
 * independence from input order. fast-check runs with a fixed seed so a failure replays.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Highs } from 'highs';
import { clearWith, loadHighs, solveRequestLevel, type ClearingPlan, type ClearingRequest } from '../src/trade/clearing/index.ts';
import { bruteForceOptimum, planProblems, shuffled } from './clearing-support.ts';

const STATES = ['A', 'B', 'C', 'D', 'E', 'F'];

/** Pools of up to `maxRequests` requests among the first `states` states, weights 1–5. */
function poolArbitrary(states: number, maxRequests: number): fc.Arbitrary<ClearingRequest[]> {
  const leg = fc
    .record({ from: fc.integer({ min: 0, max: states - 1 }), shift: fc.integer({ min: 1, max: states - 1 }), weight: fc.integer({ min: 1, max: 5 }) })
    .map(({ from, shift, weight }) => ({ from: STATES[from] as string, to: STATES[(from + shift) % states] as string, weight }));
  return fc.array(leg, { maxLength: maxRequests }).map((legs) => legs.map((l, i) => ({ id: `r${i}`, ...l })));
}

const settings = { seed: 20240801, numRuns: 120 };
let highs: Highs;

function solve(pool: readonly ClearingRequest[], maxLength: number): ClearingPlan {
  const result = clearWith(highs, pool, { maxLength, epsilon: 0, timeLimitSeconds: 20 });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

/** The CLI's view of a plan: what must not depend on input order. */
const visible = (plan: ClearingPlan): string =>
  JSON.stringify({ objective: plan.objective, bound: plan.bound, gap: plan.gap, trades: plan.trades, received: plan.received, credits: plan.credits });

describe('clearing: properties over seeded random pools', () => {
  before(async () => {
    highs = await loadHighs();
  });

  it('every plan is sound: trades balance, ≤ L states, each request once, objective ≤ bound', () => {
    fc.assert(
      fc.property(poolArbitrary(6, 30), fc.integer({ min: 2, max: 4 }), (pool, maxLength) => {
        assert.deepEqual(planProblems(pool, solve(pool, maxLength), maxLength), []);
      }),
      settings,
    );
  });

  it('equals brute force on up to 6 states and 12 requests', () => {
    fc.assert(
      fc.property(poolArbitrary(6, 12), fc.integer({ min: 2, max: 4 }), (pool, maxLength) => {
        const plan = solve(pool, maxLength);
        const best = bruteForceOptimum(pool, maxLength);
        assert.equal(plan.objective, best);
        assert.equal(plan.gap, 0);
      }),
      settings,
    );
  });

  it('reaches the circulation bound when L ≥ the number of states', () => {
    fc.assert(
      fc.property(poolArbitrary(4, 20), (pool) => {
        const plan = solve(pool, 4);
        assert.equal(plan.objective, plan.stats.circulationBound);
      }),
      settings,
    );
  });

  it('shuffling the input changes nothing', () => {
    fc.assert(
      fc.property(poolArbitrary(6, 30), fc.integer({ min: 2, max: 4 }), fc.integer(), (pool, maxLength, seed) => {
        assert.equal(visible(solve(shuffled(pool, seed), maxLength)), visible(solve(pool, maxLength)));
      }),
      settings,
    );
  });

  it('matches the request-level (kidney) model on small pools', () => {
    fc.assert(
      fc.property(poolArbitrary(5, 16), fc.integer({ min: 2, max: 3 }), (pool, maxLength) => {
        const kidney = solveRequestLevel(highs, pool, maxLength, 20, 50_000);
        assert.equal(kidney.status, 'optimal');
        assert.equal(solve(pool, maxLength).objective, Math.round(kidney.objective));
      }),
      { ...settings, numRuns: 60 },
    );
  });

  it('the property checks can fail: a plan with a reused leg is caught', () => {
    const pool: ClearingRequest[] = [
      { id: 'x', from: 'B', to: 'A', weight: 1 },
      { id: 'y', from: 'A', to: 'B', weight: 1 },
    ];
    const plan = solve(pool, 2);
    const broken = { ...plan, trades: [...plan.trades, { legs: ['x'], parties: ['A'] }], objective: plan.objective + 1 };
    assert.notDeepEqual(planProblems(pool, broken, 2), []);
  });
});
