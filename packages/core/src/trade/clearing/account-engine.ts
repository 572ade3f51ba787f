/**
 * Clearing when the balance is kept in weight, or per bloc account (§3, §6(a)7): a trade
 * is a simple cycle of at most L accounts in which every account gives as much as it
 * receives, in the rule's measure (count or weight). Several legs may run along one arc
 * of the cycle, so a bloc-level 2-cycle can carry Ankara's 10 against 16 people.
 * - y_{e,C} ∈ {0,1}: request e travels in the trade on account cycle C;
 * - t_C ≥ 0: the measure that flows around C;
 * - per arc i of C: Σ_{e ∈ arc i} m_e·y_{e,C} = t_C;  per request: Σ_C y_{e,C} ≤ 1;
 * - maximise Σ w_e·y_{e,C}.
 * Grouping legs by account cycle is a restriction (a weighted circulation need not split
 * into per-cycle trades), so every plan is sound but the bound comes from the measure-
 * conserving circulation LP, which also covers what the restriction leaves out.
 * This engine has no greedy: the empty plan is its incumbent. It serves treaty rules with
 * few accounts; the count rule per state runs on the faster cycle engine.
 */
import type { Highs } from 'highs';
import { certifiedBound, poolCirculationBound } from './circulation-bound.ts';
import type { EngineResult, EngineSettings } from './cycle-engine.ts';
import { contributions, fairShares } from './fairness.ts';
import type { PoolGraph } from './graph.ts';
import { Budget } from './budget.ts';
import { ColumnModel, solveModel } from './highs-runtime.ts';
import { poolStructure } from './pool-structure.ts';
import type { BalanceRule, ClearingRequest, ClearingStage, PlannedTrade } from './types.ts';

/** Above this many y columns the MIP is not built; the plan stays empty with its bound. */
const MAX_ACCOUNT_COLUMNS = 200_000;

export function runAccountEngine(
  highs: Highs,
  requests: readonly ClearingRequest[],
  balance: BalanceRule,
  settings: EngineSettings,
): EngineResult {
  const blocs = balance.blocs;
  const structure = poolStructure(requests, balance, settings.maxLength, settings.maxCycles);
  const { graph, cycles, truncated, usable, measure } = structure;

  const budget = new Budget(settings.timeLimitSeconds, settings.clock);
  const lp = poolCirculationBound(highs, structure, settings.integralWeights, Math.max(budget.remaining(), 1));
  const circulation = lp.bound;
  budget.spend(lp.seconds);

  let bound = circulation;
  let trades: PlannedTrade[] = [];
  let objective = 0;
  let stage: ClearingStage = 'empty';
  let timedOut = false;
  let columns = 0;
  for (const cycle of cycles) for (const arcIndex of cycle) columns += graph.arcs[arcIndex]?.requests.length ?? 0;

  if (bound > 0 && !truncated && columns <= MAX_ACCOUNT_COLUMNS && budget.remaining() > 0) {
    const model = new ColumnModel();
    const requestRow = graph.requests.map(() => model.addRow(Number.NEGATIVE_INFINITY, 1));
    const placements: { cycle: number; request: number }[] = [];
    cycles.forEach((cycle, cycleIndex) => {
      const arcRows = cycle.map(() => model.addRow(0, 0));
      cycle.forEach((arcIndex, position) => {
        for (const requestIndex of graph.arcs[arcIndex]?.requests ?? []) {
          const weight = (graph.requests[requestIndex] as { weight: number }).weight;
          model.addColumn(weight, 0, 1, true, [requestRow[requestIndex] as number, arcRows[position] as number], [1, measure(requestIndex)]);
          placements.push({ cycle: cycleIndex, request: requestIndex });
        }
      });
      model.addColumn(0, 0, Number.POSITIVE_INFINITY, false, arcRows, arcRows.map(() => -1));
    });
    const outcome = solveModel(highs, model.toModelData(highs, true), {
      timeLimitSeconds: budget.remaining(),
      mipRelGap: settings.epsilon,
      start: new Float64Array(model.columnCount),
    });
    budget.spend(outcome.seconds);
    timedOut = outcome.status === 'time-limit';
    if (outcome.dualBound !== undefined) bound = Math.min(bound, certifiedBound(outcome.dualBound, settings.integralWeights));
    if (outcome.values !== undefined) {
      ({ trades, objective } = decodeAccountTrades(graph, cycles, placements, outcome.values));
      if (trades.length > 0) stage = 'mip';
    }
  }
  // Under bloc accounts a state's fair share is what it gave: the bloc account credits
  // members who gave more than they received (§3: "the states that gave without receiving
  // accrue credit"). Otherwise shares follow contributions, as in §6(a)6.
  const shares = new Map<string, number>();
  if (blocs !== undefined) {
    const byId = new Map(graph.requests.map((request) => [request.id, request]));
    for (const trade of trades) {
      for (const leg of trade.legs) {
        const request = byId.get(leg) as ClearingRequest;
        shares.set(request.to, (shares.get(request.to) ?? 0) + request.weight);
      }
    }
  } else {
    const fair = fairShares(objective, contributions(graph, usable));
    graph.nodes.forEach((node, index) => shares.set(node, fair[index] as number));
  }
  return {
    trades,
    objective,
    bound: Math.max(bound, objective),
    stage,
    timedOut,
    cycles: cycles.length,
    greedyObjective: 0,
    circulationBound: circulation,
    solverSeconds: budget.spentInSolver,
    shares,
  };
}

function decodeAccountTrades(
  graph: PoolGraph,
  cycles: readonly (readonly number[])[],
  placements: readonly { cycle: number; request: number }[],
  values: Float64Array,
): { trades: PlannedTrade[]; objective: number } {
  // Columns were added cycle by cycle: the y columns of a cycle, then its t column.
  const legsOf = new Map<number, number[]>();
  let column = 0;
  let placement = 0;
  cycles.forEach((cycle, cycleIndex) => {
    for (const arcIndex of cycle) {
      for (let k = 0; k < (graph.arcs[arcIndex]?.requests.length ?? 0); k += 1) {
        const { request } = placements[placement] as { request: number };
        if ((values[column] as number) > 0.5) legsOf.set(cycleIndex, [...(legsOf.get(cycleIndex) ?? []), request]);
        column += 1;
        placement += 1;
      }
    }
    column += 1; // t_C
  });
  const trades: PlannedTrade[] = [];
  let objective = 0;
  for (const [cycleIndex, legs] of [...legsOf].sort((a, b) => a[0] - b[0])) {
    const cycle = cycles[cycleIndex] as readonly number[];
    trades.push({
      legs: legs.map((r) => (graph.requests[r] as { id: string }).id),
      parties: cycle.map((arcIndex) => graph.nodes[graph.arcs[arcIndex]?.tail as number] as string),
    });
    for (const r of legs) objective += (graph.requests[r] as { weight: number }).weight;
  }
  return { trades, objective };
}
