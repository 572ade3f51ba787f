/**
 * Upper bound C of §5: the max-weight circulation with no length cap. Every balanced
 * trade is a circulation (in count, or in weight when the measure is weight), and so is
 * any union of trades, so the LP optimum bounds every plan. The count version is totally
 * unimodular and solves in milliseconds (§0). Requests on arcs that lie on no cycle of
 * length ≤ L can never be traded and are left out, which only tightens the bound.
 */
import type { Highs } from 'highs';
import type { PoolGraph } from './graph.ts';
import { ColumnModel, solveModel } from './highs-runtime.ts';
import type { PoolStructure } from './pool-structure.ts';

export interface BoundResult {
  readonly bound: number;
  readonly seconds: number;
}

/** Rounds a solver's bound to a certified value: down to an integer when weights are. */
export function certifiedBound(value: number, integralWeights: boolean): number {
  const padded = value + 1e-7 * Math.max(1, Math.abs(value));
  return integralWeights ? Math.floor(padded) : padded;
}

/**
 * `usable[a]` marks arcs on some cycle of length ≤ L; `measure(e)` is what request e
 * weighs in the balance (1 for count). Returns undefined when HiGHS could not prove it.
 */
export function circulationBound(
  highs: Highs,
  graph: PoolGraph,
  usable: Uint8Array,
  measure: (requestIndex: number) => number,
  integralWeights: boolean,
  timeLimitSeconds: number,
): BoundResult | undefined {
  const model = new ColumnModel();
  for (let node = 0; node < graph.nodes.length; node += 1) model.addRow(0, 0);
  graph.arcs.forEach((arc, arcIndex) => {
    if (usable[arcIndex] !== 1) return;
    for (const requestIndex of arc.requests) {
      const m = measure(requestIndex);
      const weight = (graph.requests[requestIndex] as { weight: number }).weight;
      model.addColumn(weight, 0, 1, false, [arc.tail, arc.head], [m, -m]);
    }
  });
  if (model.columnCount === 0) return { bound: 0, seconds: 0 };
  const outcome = solveModel(highs, model.toModelData(highs, true), { timeLimitSeconds });
  if (outcome.status !== 'optimal' || outcome.objective === undefined) return undefined;
  return { bound: certifiedBound(outcome.objective, integralWeights), seconds: outcome.seconds };
}

/**
 * The bound C a round records (solver.circulationBound) for a pool's structure: the LP above
 * or, should HiGHS not prove it in time, the total weight on usable arcs, which bounds every
 * plan too, only more loosely. `proven` says which; an audit recomputes only a proven one.
 */
export function poolCirculationBound(highs: Highs, structure: PoolStructure, integralWeights: boolean, timeLimitSeconds: number): BoundResult & { readonly proven: boolean } {
  const { graph, usable, measure } = structure;
  const lp = circulationBound(highs, graph, usable, measure, integralWeights, timeLimitSeconds);
  if (lp !== undefined) return { ...lp, proven: true };
  let trivial = 0;
  graph.arcs.forEach((arc, arcIndex) => {
    if (usable[arcIndex] === 1) for (const r of arc.requests) trivial += (graph.requests[r] as { weight: number }).weight;
  });
  return { bound: trivial, seconds: 0, proven: false };
}
