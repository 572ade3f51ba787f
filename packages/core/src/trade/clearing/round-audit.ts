/**
 * The audit of a clearing round's figures against the pool it solved (issue 13, "clearing
 * rounds anyone can re-check"), given the pool rebuilt from the log and the trades the round
 * proposed. Three things are checked (reference/trade-matching.md §6(a)3: "return the best
 * plan together with its certified gap"):
 * 1. the trades are feasible in the pool (plan-feasibility.ts);
 * 2. the stated objective is their value;
 * 3. the bound holds. The circulation bound C (§5, model C) is an LP and is recomputed exactly;
 *    the stated bound is min(C, the MIP's dual bound), so it may not exceed C. A dual bound
 *    below C cannot be recomputed without the solver's whole search, so it is checked for
 *    feasibility: objective ≤ bound, the gap is what they give, and re-solving the pool finds
 *    no plan above it.
 * The solver's other deterministic figures (states, legs, cycles, greedy) are recomputed too;
 * its stage, time-out flag and time depend on the machine and are not checked.
 */
import type { Highs } from 'highs';
import { clearWith } from './clear.ts';
import { planProblems, planValue, type ProposedTrade } from './plan-feasibility.ts';
import { recomputePoolFigures, type PoolFigures } from './pool-figures.ts';
import { gapMillionths, type RoundFigures } from './round-figures.ts';
import { clearingOptionsOf, type ClearingPool } from './round-pool.ts';

export interface AuditFinding {
  /** The recorded field found wrong: `objective`, `bound`, `gap`, `trades`, `solver.cycles`… */
  readonly field: string;
  readonly message: string;
}

export interface RoundAuditInput {
  readonly pool: ClearingPool;
  /** The figures the round records, and its `pool` (the number of legs). */
  readonly recorded: RoundFigures & { readonly pool: number };
  readonly trades: readonly ProposedTrade[];
  /** Budget of the re-solve and of the LP; the CLI's clock makes it a wall-clock bound. */
  readonly timeLimitSeconds: number;
  readonly clock?: () => number;
}

export interface RoundAudit {
  readonly findings: readonly AuditFinding[];
  /** What was found to hold, in plain words, for the report. */
  readonly held: readonly string[];
  /** The figures recomputed from the pool, when they could be. */
  readonly recomputed?: PoolFigures;
  /** The re-solve's plan figures, when it ran. */
  readonly resolved?: { readonly objective: number; readonly bound: number; readonly optimal: boolean };
}

export function auditRound(highs: Highs, input: RoundAuditInput): RoundAudit {
  const { pool, recorded, trades } = input;
  const findings: AuditFinding[] = [];
  const held: string[] = [];
  const fail = (field: string, message: string) => findings.push({ field, message });

  if (recorded.pool !== pool.requests.length) fail('pool', `the round says it solved ${recorded.pool} legs; the pool rebuilt from the log has ${pool.requests.length}`);

  const problems = planProblems(pool, trades);
  for (const problem of problems) fail('trades', `${problem} (rule: every proposed trade is feasible in the pool)`);
  if (problems.length === 0 && trades.length === 0) held.push('the round proposed no trade, which is feasible in any pool');
  else if (problems.length === 0) held.push(`the ${trades.length === 1 ? 'proposed trade is' : `${trades.length} proposed trades are`} feasible in the pool: legs of the pool, each used once, simple balanced cycles of at most ${pool.maxLength} accounts`);

  const value = planValue(pool, trades);
  if (recorded.objective !== value) fail('objective', `stated ${recorded.objective}, but the proposed trades are worth ${value} (rule: the objective is the total weight of the trades proposed)`);
  else held.push(`the objective ${value} is the total weight of the proposed trades`);

  const figures = recomputePoolFigures(highs, pool, Math.max(input.timeLimitSeconds, 1));
  if (!figures.ok) fail('solver.circulationBound', `cannot be recomputed: ${figures.error.message}`);
  else {
    const solver = recorded.solver;
    for (const key of ['states', 'requests', 'cycles', 'greedyObjective', 'circulationBound'] as const) {
      if (solver[key] !== figures.value[key]) fail(`solver.${key}`, `stated ${solver[key]}, recomputed from the pool ${figures.value[key]} (rule: the solver's figures are those of the pool it solved)`);
    }
    const c = figures.value.circulationBound;
    if (recorded.bound > c) fail('bound', `stated ${recorded.bound}, above the circulation bound C = ${c} recomputed from the pool (rule: the bound is min(C, the solver's dual bound))`);
    else if (recorded.bound === c) held.push(`the bound ${c} is the circulation bound C, recomputed exactly from the pool`);
  }

  if (recorded.objective > recorded.bound) fail('bound', `stated ${recorded.bound}, below the stated objective ${recorded.objective} (rule: objective ≤ bound)`);
  const gap = gapMillionths(recorded.objective, recorded.bound);
  if (recorded.gap !== gap) fail('gap', `stated ${recorded.gap} millionths, but (bound − objective) / bound = (${recorded.bound} − ${recorded.objective}) / ${recorded.bound} is ${gap} millionths, rounded up (rule: the gap is what the objective and bound give)`);
  else held.push(`the gap ${formatGap(gap)} is (bound − objective) / bound`);

  const options = { ...clearingOptionsOf(pool, input.timeLimitSeconds), ...(input.clock ? { clock: input.clock } : {}) };
  const solved = clearWith(highs, pool.requests, options);
  if (!solved.ok) {
    fail('bound', `the pool could not be re-solved to check it (${solved.error.code}: ${solved.error.problems.join('; ')})`);
    return { findings, held, ...(figures.ok ? { recomputed: figures.value } : {}) };
  }
  const plan = solved.value;
  if (plan.objective > recorded.bound) fail('bound', `stated ${recorded.bound}, but re-solving the pool found a plan worth ${plan.objective} (rule: no plan is worth more than the bound)`);
  else if (figures.ok && recorded.bound < figures.value.circulationBound) {
    held.push(`the bound ${recorded.bound} is below C = ${figures.value.circulationBound}, so it is the solver's dual bound: re-solving found no plan above it (best ${plan.objective}${plan.optimal ? ', proven optimal' : ''})`);
  }
  return {
    findings,
    held,
    ...(figures.ok ? { recomputed: figures.value } : {}),
    resolved: { objective: plan.objective, bound: plan.bound, optimal: plan.optimal },
  };
}

function formatGap(millionths: number): string {
  return `${Number((millionths / 10_000).toFixed(4))}%`;
}
