/**
 * The fairness stage (§6(a)5 step 2, §6(a)6): the same cycle model, with the total weight
 * held at ≥ (1 − δ)·W*, first minimising the largest deviation T = max_p |x_p − target_p|
 * and then, with T fixed, the sum of deviations. Each solve starts from the best plan so
 * far and may stop on the time limit; a stage that finds nothing keeps the earlier plan.
 */
import type { Highs } from 'highs';
import type { PoolGraph } from './graph.ts';
import { buildCycleModel, decodeCopies, startVector } from './cycle-model.ts';
import type { CycleSolution } from './greedy.ts';
import { solveModel } from './highs-runtime.ts';

export interface FairStageInput {
  readonly graph: PoolGraph;
  readonly cycles: readonly (readonly number[])[];
  /** Target weight received, per node. */
  readonly targets: Float64Array;
  /** Minimum total weight the fair plan must keep. */
  readonly floor: number;
  readonly start: CycleSolution;
  readonly timeLimitSeconds: number;
  /** Solve the LP relaxation: copies may be fractional (used to find achievable shares). */
  readonly relaxed?: boolean;
}

export interface FairStageResult {
  readonly copies: Int32Array | undefined;
  /** Weight received per node in the solver's solution (fractional when relaxed). */
  readonly received: Float64Array | undefined;
  readonly seconds: number;
  readonly timedOut: boolean;
}

export function fairStage(highs: Highs, input: FairStageInput): FairStageResult {
  const { graph, cycles, targets } = input;
  const nodes = graph.nodes.length;
  const head = headsOf(graph);
  let floorRow = -1;
  let firstNodeRow = -1;
  const built = buildCycleModel(graph, cycles, {
    addRows(model) {
      floorRow = model.addRow(input.floor, Number.POSITIVE_INFINITY);
      for (let p = 0; p < nodes; p += 1) {
        const row = model.addRow(Number.NEGATIVE_INFINITY, targets[p] as number); // x_p − d_p ≤ t_p
        if (p === 0) firstNodeRow = row;
        model.addRow(targets[p] as number, Number.POSITIVE_INFINITY); // x_p + d_p ≥ t_p
        model.addRow(Number.NEGATIVE_INFINITY, 0); // d_p − T ≤ 0
      }
    },
    yEntries(requestIndex) {
      const weight = (graph.requests[requestIndex] as { weight: number }).weight;
      const base = firstNodeRow + 3 * (head[requestIndex] as number);
      return { rows: [floorRow, base, base + 1], values: [weight, weight, weight] };
    },
  });
  const { model } = built;
  const dColumn: number[] = [];
  for (let p = 0; p < nodes; p += 1) {
    const base = firstNodeRow + 3 * p;
    dColumn.push(model.addColumn(0, 0, Number.POSITIVE_INFINITY, false, [base, base + 1, base + 2], [-1, 1, 1]));
  }
  const tRows = Array.from({ length: nodes }, (_, p) => firstNodeRow + 3 * p + 2);
  const tColumn = model.addColumn(0, 0, Number.POSITIVE_INFINITY, false, tRows, tRows.map(() => -1));

  const start = startVector(graph, cycles, built, input.start, model.columnCount);
  fillDeviations(graph, head, built.yColumn, targets, start, dColumn, tColumn);

  let seconds = 0;
  let remaining = input.timeLimitSeconds;
  // Stage a: minimise the largest deviation.
  const maxCosts = new Float64Array(model.columnCount);
  maxCosts[tColumn] = 1;
  const relax = input.relaxed ?? false;
  const first = solveModel(highs, model.toModelData(highs, false, maxCosts, relax), { timeLimitSeconds: remaining, start });
  seconds += first.seconds;
  remaining -= first.seconds;
  if (first.values === undefined) return { copies: undefined, received: undefined, seconds, timedOut: first.status === 'time-limit' };
  const largest = first.values[tColumn] as number;
  // Stage b: with the largest deviation held, minimise their sum.
  const sumCosts = new Float64Array(model.columnCount);
  for (const column of dColumn) sumCosts[column] = 1;
  model.setColumnUpper(tColumn, largest + 1e-6 * Math.max(1, largest));
  const second = remaining > 0
    ? solveModel(highs, model.toModelData(highs, false, sumCosts, relax), { timeLimitSeconds: remaining, start: first.values })
    : undefined;
  seconds += second?.seconds ?? 0;
  const best = second?.values ?? first.values;
  const timedOut = first.status === 'time-limit' || second === undefined || second.status === 'time-limit';
  const received = new Float64Array(nodes);
  built.yColumn.forEach((column, requestIndex) => {
    if (column < 0) return;
    const weight = (graph.requests[requestIndex] as { weight: number }).weight;
    received[head[requestIndex] as number] = (received[head[requestIndex] as number] as number) + weight * (best[column] as number);
  });
  return { copies: decodeCopies(built, best), received, seconds, timedOut };
}

/** The receiving node of each request. */
function headsOf(graph: PoolGraph): Int32Array {
  const head = new Int32Array(graph.requests.length);
  for (const arc of graph.arcs) for (const requestIndex of arc.requests) head[requestIndex] = arc.head;
  return head;
}

/** Completes a start vector with d_p = |x_p − t_p| and T = max d_p, so it is feasible. */
function fillDeviations(graph: PoolGraph, head: Int32Array, yColumn: Int32Array, targets: Float64Array, start: Float64Array, dColumn: number[], tColumn: number): void {
  const received = new Float64Array(graph.nodes.length);
  yColumn.forEach((column, requestIndex) => {
    if (column < 0) return;
    const weight = (graph.requests[requestIndex] as { weight: number }).weight;
    received[head[requestIndex] as number] = (received[head[requestIndex] as number] as number) + weight * (start[column] as number);
  });
  let largest = 0;
  dColumn.forEach((column, p) => {
    const deviation = Math.abs((received[p] as number) - (targets[p] as number));
    start[column] = deviation;
    largest = Math.max(largest, deviation);
  });
  start[tColumn] = largest;
}
