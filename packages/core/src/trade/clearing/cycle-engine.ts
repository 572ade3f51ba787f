/**
 * The clearing pipeline of §6(a)3 for the count rule with per-state balance:
 * 1. the circulation bound C;  2. the greedy incumbent G;
 * 3. stop if G ≥ (1 − ε)·C;    4. otherwise model B with G as warm start, mip_rel_gap ε
 *    and the remaining time;   5. the fairness stage when credits are given.
 * Every step that can run out of time leaves the best plan so far in place, so a plan
 * with its certified gap always comes back.
 */
import type { Highs } from 'highs';
import { certifiedBound, poolCirculationBound } from './circulation-bound.ts';
import { buildCycleModel, decodeCopies, startVector } from './cycle-model.ts';
import { decompose } from './decompose.ts';
import { fairStage } from './fair-stage.ts';
import { contributions, fairShares } from './fairness.ts';
import { greedyCycles, type CycleSolution } from './greedy.ts';
import { Budget } from './budget.ts';
import { solveModel } from './highs-runtime.ts';
import { poolStructure } from './pool-structure.ts';
import type { ClearingRequest, ClearingStage, FairnessInput, PlannedTrade } from './types.ts';

export interface EngineSettings {
  readonly maxLength: number;
  readonly epsilon: number;
  readonly timeLimitSeconds: number;
  readonly maxCycles: number;
  readonly fairness: FairnessInput | undefined;
  readonly integralWeights: boolean;
  readonly clock: (() => number) | undefined;
}

export interface EngineResult {
  readonly trades: readonly PlannedTrade[];
  readonly objective: number;
  readonly bound: number;
  readonly stage: ClearingStage;
  readonly timedOut: boolean;
  readonly cycles: number;
  readonly greedyObjective: number;
  readonly circulationBound: number;
  readonly solverSeconds: number;
  /** Fair share per state for the plan's total. */
  readonly shares: ReadonlyMap<string, number>;
}

export function runCycleEngine(highs: Highs, requests: readonly ClearingRequest[], settings: EngineSettings): EngineResult {
  const budget = new Budget(settings.timeLimitSeconds, settings.clock);
  const structure = poolStructure(requests, { measure: 'count' }, settings.maxLength, settings.maxCycles);
  const { graph, cycles, truncated, usable } = structure;
  // Should the LP fail, the total usable weight is still a valid (loose) bound.
  const lp = poolCirculationBound(highs, structure, settings.integralWeights, Math.max(budget.remaining(), 1));
  const circulation = lp.bound;
  budget.spend(lp.seconds);

  const greedy = greedyCycles(graph, cycles);
  let best: CycleSolution = greedy;
  let bestPlan = decompose(graph, cycles, greedy.copies);
  let bound = circulation;
  let stage: ClearingStage = bestPlan.trades.length === 0 ? 'empty' : 'greedy';
  let timedOut = false;
  const within = (objective: number): boolean => objective >= (1 - settings.epsilon) * bound - 1e-9 * Math.max(1, bound);

  if (!within(bestPlan.objective) && !truncated && cycles.length > 0 && budget.remaining() > 0) {
    const built = buildCycleModel(graph, cycles);
    const data = built.model.toModelData(highs, true);
    const start = startVector(graph, cycles, built, greedy, built.model.columnCount);
    const outcome = solveModel(highs, data, { timeLimitSeconds: budget.remaining(), mipRelGap: settings.epsilon, start });
    budget.spend(outcome.seconds);
    timedOut = outcome.status === 'time-limit';
    if (outcome.dualBound !== undefined) bound = Math.min(bound, certifiedBound(outcome.dualBound, settings.integralWeights));
    if (outcome.values !== undefined) {
      const copies = decodeCopies(built, outcome.values);
      const plan = decompose(graph, cycles, copies);
      if (plan.objective > bestPlan.objective) {
        best = { copies, objective: plan.objective };
        bestPlan = plan;
        stage = 'mip';
      }
    }
  }

  const contribution = contributions(graph, usable);
  let shares = fairShares(bestPlan.objective, contribution);
  if (settings.fairness !== undefined && bestPlan.objective > 0 && !truncated && budget.remaining() > 0) {
    const total = bestPlan.objective;
    const delta = settings.fairness.priceOfFairness ?? 0;
    const floor = (1 - delta) * total - 1e-7 * Math.max(1, total);
    // Contribution shares may be out of reach (a state on every optimal cycle always
    // receives); credits chasing them would grow without bound. So the share used is the
    // point of the fractional optimal face closest to them: integer plans can average to
    // it over rounds, which is what lets credits shrink the deviation.
    const achievable = fairStage(highs, { graph, cycles, targets: shares, floor, start: best, timeLimitSeconds: budget.remaining(), relaxed: true });
    budget.spend(achievable.seconds);
    if (achievable.received !== undefined) shares = scaledTo(achievable.received, total);
    const targets = shares.map((share, node) => share + (settings.fairness?.credits[graph.nodes[node] as string] ?? 0));
    const fair = budget.remaining() > 0 ? fairStage(highs, { graph, cycles, targets, floor, start: best, timeLimitSeconds: budget.remaining() }) : undefined;
    budget.spend(fair?.seconds ?? 0);
    timedOut ||= fair === undefined || fair.timedOut;
    if (fair?.copies !== undefined) {
      const plan = decompose(graph, cycles, fair.copies);
      if (plan.objective >= floor) {
        bestPlan = plan;
        stage = 'fair';
        shares = scaledTo(shares, plan.objective);
      }
    }
  }
  return {
    trades: bestPlan.trades,
    objective: bestPlan.objective,
    bound: Math.max(bound, bestPlan.objective),
    stage,
    timedOut,
    cycles: cycles.length,
    greedyObjective: greedy.objective,
    circulationBound: circulation,
    solverSeconds: budget.spentInSolver,
    shares: new Map(graph.nodes.map((node, index) => [node, shares[index] as number])),
  };
}

/** Rescales shares to sum to `total`, so that Σ shares = Σ received and Σ credits stays 0. */
function scaledTo(values: Float64Array, total: number): Float64Array {
  let sum = 0;
  for (const value of values) sum += value;
  return sum > 0 ? values.map((value) => (value * total) / sum) : values.map(() => 0);
}
