/**
 * The audit of a clearing round's figures (issue 13; core trade/clearing/round-audit.ts): an
 * honest round passes for any pool, and each wrong figure fails with its own field and rule.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Highs } from 'highs';
import {
  auditRound, clearingOptionsOf, clearingPoolDigest, clearWith, encodeClearingPool, gapMillionths, loadHighs, planProblems, planValue, roundFigures,
  type ClearingPool, type ClearingRequest, type RoundFigures,
} from '../src/trade/clearing/index.ts';
import { apply } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, run } from './request-helpers.ts';

const STATES = ['A', 'B', 'C', 'D', 'E'];
const sha256 = (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
let highs: Highs;

function poolOf(requests: readonly ClearingRequest[], overrides: Partial<ClearingPool> = {}): ClearingPool {
  return { requests, maxLength: 3, epsilon: 0.005, maxCycles: 500_000, balance: { measure: 'count' }, credits: {}, ...overrides };
}

/** What the exchange records for a pool (clearing-routes.ts): the plan's figures, its trades as proposals. */
function honestRound(pool: ClearingPool) {
  const solved = clearWith(highs, pool.requests, clearingOptionsOf(pool, 20));
  if (!solved.ok) throw new Error(JSON.stringify(solved.error));
  const trades = solved.value.trades.map((trade, i) => ({ id: `t${i + 1}`, legs: trade.legs }));
  return { trades, figures: roundFigures(solved.value, planValue(pool, trades)) };
}

function audit(pool: ClearingPool, figures: RoundFigures, trades: readonly { id: string; legs: readonly string[] }[]) {
  return auditRound(highs, { pool, recorded: { ...figures, pool: pool.requests.length }, trades, timeLimitSeconds: 20 });
}

const fields = (result: ReturnType<typeof audit>) => [...new Set(result.findings.map((finding) => finding.field))].sort();

/** The toy trade of reference/trade-matching.md §5: the 3-cycle worth 7, or the 2-cycle worth 4 at L = 2. */
const TOY: ClearingRequest[] = [
  { id: 'r1', from: 'B', to: 'A', weight: 3 },
  { id: 'r2', from: 'A', to: 'B', weight: 1 },
  { id: 'r3', from: 'C', to: 'B', weight: 2 },
  { id: 'r4', from: 'A', to: 'C', weight: 2 },
];

describe('clearing round audit', () => {
  before(async () => {
    highs = await loadHighs();
  });

  it('law: the audit of an honest round passes, for any pool, balance rule, L and credits carried in', () => {
    const leg = fc
      .record({ from: fc.integer({ min: 0, max: 4 }), shift: fc.integer({ min: 1, max: 4 }), weight: fc.integer({ min: 0, max: 4 }) })
      .map(({ from, shift, weight }) => ({ from: STATES[from]!, to: STATES[(from + shift) % 5]!, weight }));
    const balance = fc.constantFrom<ClearingPool['balance']>({ measure: 'count' }, { measure: 'weight' }, { measure: 'count', blocs: { A: 'west', B: 'west' } });
    const credits = fc.integer({ min: -2_000_000, max: 2_000_000 }).map((c) => ({ A: c, C: -c }));
    fc.assert(
      fc.property(fc.array(leg, { maxLength: 16 }), fc.integer({ min: 2, max: 4 }), balance, credits, (legs, maxLength, rule, carried) => {
        const pool = poolOf(legs.map((l, i) => ({ id: `r${i}`, ...l })), { maxLength, balance: rule, credits: carried });
        const { trades, figures } = honestRound(pool);
        const result = audit(pool, figures, trades);
        assert.deepEqual(result.findings, []);
      }),
      { seed: 20240801, numRuns: 60 },
    );
  });

  it('an honest round of the toy pool: every check held, the bound is C recomputed exactly', () => {
    const pool = poolOf(TOY);
    const { trades, figures } = honestRound(pool);
    assert.deepEqual([figures.objective, figures.bound, figures.gap], [7, 7, 0]);
    const result = audit(pool, figures, trades);
    assert.deepEqual(result.findings, []);
    assert.ok(result.held.some((line) => /the bound 7 is the circulation bound C, recomputed exactly/.test(line)), result.held.join('\n'));
    assert.deepEqual(result.resolved, { objective: 7, bound: 7, optimal: true });
  });

  it('fails a stated objective that is not the value of the proposed trades', () => {
    const pool = poolOf(TOY);
    const { trades, figures } = honestRound(pool);
    const result = audit(pool, { ...figures, objective: 6, gap: gapMillionths(6, 7) }, trades);
    assert.deepEqual(fields(result), ['objective']);
    assert.match(result.findings[0]!.message, /stated 6, but the proposed trades are worth 7/);
  });

  it('fails a bound above the circulation bound, a bound below the objective, and a wrong gap', () => {
    const pool = poolOf(TOY);
    const { trades, figures } = honestRound(pool);
    const above = audit(pool, { ...figures, bound: 9, gap: gapMillionths(7, 9) }, trades);
    assert.deepEqual(fields(above), ['bound']);
    assert.match(above.findings[0]!.message, /stated 9, above the circulation bound C = 7 recomputed from the pool/);
    const below = audit(pool, { ...figures, bound: 6, gap: 0 }, trades);
    assert.ok(below.findings.some((finding) => finding.field === 'bound' && /below the stated objective 7 \(rule: objective ≤ bound\)/.test(finding.message)));
    const gap = audit(pool, { ...figures, gap: 1 }, trades);
    assert.deepEqual(fields(gap), ['gap']);
  });

  it('checks a dual bound below C by re-solving: a round that claims nothing better existed fails', () => {
    const pool = poolOf(TOY);
    const { figures } = honestRound(pool);
    const result = audit(pool, { ...figures, objective: 0, bound: 0, gap: 0 }, []);
    assert.deepEqual(fields(result), ['bound']);
    assert.match(result.findings[0]!.message, /stated 0, but re-solving the pool found a plan worth 7 \(rule: no plan is worth more than the bound\)/);
  });

  it('fails solver figures that are not the pool\'s', () => {
    const pool = poolOf(TOY);
    const { trades, figures } = honestRound(pool);
    const result = audit(pool, { ...figures, solver: { ...figures.solver, cycles: figures.solver.cycles + 1, circulationBound: 8 } }, trades);
    assert.deepEqual(fields(result), ['solver.circulationBound', 'solver.cycles']);
  });

  it('names the rule each infeasible trade breaks', () => {
    const pool = poolOf([...TOY, { id: 'r5', from: 'D', to: 'C', weight: 1 }, { id: 'r6', from: 'C', to: 'D', weight: 1 }], { maxLength: 2 });
    const problems = (legs: string[][]) => planProblems(pool, legs.map((l, i) => ({ id: `t${i + 1}`, legs: l })));
    assert.match(problems([['r1', 'x9']])[0]!, /trade t1: leg 1 \(request x9\) is not in the pool the round solved/);
    assert.match(problems([['r1', 'r2'], ['r2', 'r1']])[0]!, /trade t2: leg 0 \(request r2\) is also a leg of trade t1; a request is used at most once/);
    assert.match(problems([['r1']])[0]!, /trade t1: account A gives 1 more than it receives \(count\); in a trade every account gives as much as it receives/);
    assert.match(problems([['r1', 'r3', 'r4']])[0]!, /spans 3 accounts \(A, B, C\), more than the maximum trade length 2/);
    assert.match(longerTradeProblem(['r1', 'r2', 'r5', 'r6'])!, /several cycles, not one/);
    assert.deepEqual(problems([['r1', 'r2'], ['r5', 'r6']]), []);

    function longerTradeProblem(legs: string[]) {
      return planProblems({ ...pool, maxLength: 4 }, [{ id: 't1', legs }])[0];
    }
  });

  it('digests the pool as a set: the order of legs and credits does not matter, a zero credit is no credit, an option does', () => {
    const pool = poolOf(TOY, { credits: { B: -5, A: 5, C: 0 } });
    const same = poolOf([...TOY].reverse(), { credits: { A: 5, B: -5 } });
    assert.equal(clearingPoolDigest(pool, sha256), clearingPoolDigest(same, sha256));
    assert.match(clearingPoolDigest(pool, sha256), /^[0-9a-f]{64}$/);
    assert.notEqual(clearingPoolDigest(poolOf(TOY, { maxLength: 2 }), sha256), clearingPoolDigest(poolOf(TOY), sha256));
    assert.equal(
      encodeClearingPool(poolOf(TOY.slice(0, 1))),
      '{"format":"evenhand.org/clearing-pool@v1","maxLength":3,"epsilon":0.005,"maxCycles":500000,"balance":{"measure":"count"},"credits":[],"requests":[["r1","B","A",3]]}',
    );
  });

  it('rounds the gap up, in whole millionths', () => {
    assert.equal(gapMillionths(2, 3), 333_334);
    assert.equal(gapMillionths(7, 7), 0);
    assert.equal(gapMillionths(0, 0), 0);
    assert.equal(gapMillionths(99, 100), 10_000);
  });
});

describe('clearing.round figures in apply', () => {
  const adopted = run(adoption(treaty2021(), day(-1)));
  const base = { round: 'round-1', pool: 0, trades: [], credits: {} };
  const figures = {
    poolAt: 1, poolDigest: 'a'.repeat(64), objective: 0, bound: 0, gap: 0,
    solver: { stage: 'empty', timedOut: false, states: 0, requests: 0, cycles: 0, greedyObjective: 0, circulationBound: 0, milliseconds: 3 },
  };
  const round = (body: Record<string, unknown>) => apply(adopted, entry('exchange', day(0), 'clearing.round', body));

  it('takes a round with all its figures, and an old round with none', () => {
    assert.ok(round({ ...base, ...figures }).ok);
    assert.ok(round(base).ok);
  });

  it('refuses half a certificate, naming the missing field, and a pool from beyond the log', () => {
    const { bound: _bound, ...partial } = figures;
    const half = round({ ...base, ...partial });
    assert.equal(half.ok ? '' : half.error.field, 'body.bound');
    assert.match(half.ok ? '' : half.error.message, /records all of poolAt, poolDigest, objective, bound, gap, solver; missing bound/);
    const future = round({ ...base, ...figures, poolAt: adopted.size + 1 });
    assert.equal(future.ok ? '' : future.error.field, 'body.poolAt');
  });
});
