/**
 * Turns cycle copies into trades (§6(a)4): each copy of a cycle is one simultaneous
 * trade of at most L handovers. Each arc hands out its requests heaviest first, and
 * cycles are served in their canonical order, so the same copies always give the same
 * trades.
 */
import type { PoolGraph } from './graph.ts';
import type { PlannedTrade } from './types.ts';

export interface DecomposedPlan {
  readonly trades: readonly PlannedTrade[];
  readonly objective: number;
  /** Request indexes used, per arc, in canonical order. */
  readonly usedPerArc: Int32Array;
}

export function decompose(graph: PoolGraph, cycles: readonly (readonly number[])[], copies: Int32Array): DecomposedPlan {
  const usedPerArc = new Int32Array(graph.arcs.length);
  const trades: PlannedTrade[] = [];
  copies.forEach((count, cycleIndex) => {
    const cycle = cycles[cycleIndex] as readonly number[];
    for (let copy = 0; copy < count; copy += 1) {
      const legs: string[] = [];
      const parties: string[] = [];
      for (const arcIndex of cycle) {
        const arc = graph.arcs[arcIndex];
        const requestIndex = arc?.requests[usedPerArc[arcIndex] as number];
        if (arc === undefined || requestIndex === undefined) {
          throw new Error('decompose: more copies than requests on an arc (bug)');
        }
        usedPerArc[arcIndex] = (usedPerArc[arcIndex] as number) + 1;
        legs.push((graph.requests[requestIndex] as { id: string }).id);
        parties.push(graph.nodes[arc.tail] as string);
      }
      trades.push({ legs, parties });
    }
  });
  // Summing arc by arc in canonical order makes the objective bit-identical whatever
  // order the input came in.
  let objective = 0;
  graph.arcs.forEach((arc, arcIndex) => {
    for (let k = 0; k < (usedPerArc[arcIndex] as number); k += 1) {
      objective += (graph.requests[arc.requests[k] as number] as { weight: number }).weight;
    }
  });
  return { trades, objective, usedPerArc };
}
