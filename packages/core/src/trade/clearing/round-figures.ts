/**
 * The figures a `clearing.round` entry records (issue 13): the value of the trades proposed,
 * the certified bound, the gap between them, and the solver's own figures. Log entries hold
 * safe integers only (log entry.ts, RFC 8785 as used there), so the gap is in millionths,
 * rounded up: a recorded gap never claims more than the solver proved. Weights are whole
 * (every leg of the exchange's pool weighs 1), so objective and bounds are whole too.
 */
import type { ClearingPlan, ClearingStage } from './types.ts';

export interface SolverFigures {
  readonly stage: ClearingStage;
  readonly timedOut: boolean;
  readonly states: number;
  readonly requests: number;
  readonly cycles: number;
  readonly greedyObjective: number;
  readonly circulationBound: number;
  /** Time spent in HiGHS: recorded for the reader, never checked (it depends on the machine). */
  readonly milliseconds: number;
}

export interface RoundFigures {
  readonly objective: number;
  readonly bound: number;
  /** ⌈10^6 · (bound − objective) / bound⌉; 0 when the bound is 0. */
  readonly gap: number;
  readonly solver: SolverFigures;
}

/** The gap in millionths, rounded up, computed in integers so that every reader gets the same number. */
export function gapMillionths(objective: number, bound: number): number {
  if (!(bound > 0) || !Number.isSafeInteger(objective) || !Number.isSafeInteger(bound)) return bound > 0 ? Math.ceil(((bound - objective) / bound) * 1e6) : 0;
  const numerator = BigInt(bound - objective) * 1_000_000n;
  const denominator = BigInt(bound);
  const quotient = numerator / denominator;
  return Number(numerator % denominator > 0n ? quotient + 1n : quotient);
}

/**
 * The figures of a round whose proposed trades are worth `objective`: the plan's, unless a
 * proposal was refused when it was submitted (a leg withdrawn while the solver ran), in
 * which case the round states what it actually proposed against the same bound.
 */
export function roundFigures(plan: ClearingPlan, objective: number): RoundFigures {
  const { stats } = plan;
  return {
    objective,
    bound: plan.bound,
    gap: gapMillionths(objective, plan.bound),
    solver: {
      stage: plan.stage,
      timedOut: plan.timedOut,
      states: stats.states,
      requests: stats.requests,
      cycles: stats.cycles,
      greedyObjective: stats.greedyObjective,
      circulationBound: stats.circulationBound,
      milliseconds: Math.round(stats.solverSeconds * 1000),
    },
  };
}
