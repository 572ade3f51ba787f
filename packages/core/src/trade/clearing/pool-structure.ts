/**
 * What both engines build from a pool before any solve, and what an audit rebuilds (issue 13):
 * the node graph (states, or bloc accounts), its simple cycles of length ≤ L, the arcs that lie
 * on one, and each request's measure in the balance. One function, so that the figures a round
 * records (cycles, circulation bound) and the ones an auditor recomputes come from the same code.
 */
import { enumerateCycles } from './cycles.ts';
import { buildGraph, type PoolGraph } from './graph.ts';
import type { BalanceRule, ClearingRequest } from './types.ts';

export interface PoolStructure {
  readonly graph: PoolGraph;
  readonly cycles: readonly (readonly number[])[];
  /** True when enumeration stopped at maxCycles: the cycle set is then incomplete. */
  readonly truncated: boolean;
  /** usable[a] = 1 when arc a lies on a cycle of length ≤ L (every arc when truncated). */
  readonly usable: Uint8Array;
  /** What request i (graph order) weighs in the balance: 1 under count, its weight under weight. */
  readonly measure: (requestIndex: number) => number;
}

export function poolStructure(requests: readonly ClearingRequest[], balance: BalanceRule, maxLength: number, maxCycles: number): PoolStructure {
  const blocs = balance.blocs;
  const graph = buildGraph(requests, blocs === undefined ? undefined : (state) => blocs[state] ?? state);
  const { cycles, truncated } = enumerateCycles(graph, maxLength, maxCycles);
  const usable = new Uint8Array(graph.arcs.length);
  if (truncated) usable.fill(1);
  for (const cycle of cycles) for (const arcIndex of cycle) usable[arcIndex] = 1;
  const measure = balance.measure === 'count' ? () => 1 : (requestIndex: number) => (graph.requests[requestIndex] as { weight: number }).weight;
  return { graph, cycles, truncated, usable, measure };
}
