/**
 * Greedy incumbent G of §5: repeatedly run one copy of the heaviest state cycle, where a
 * cycle's weight is the sum of the heaviest unused request on each of its arcs. Keys only
 * fall as requests are used, so a lazy max-heap is exact: a popped cycle whose fresh
 * weight still equals its key is the heaviest one. §5 measured 95–99% of the bound in
 * under 0.3 s on dense pools.
 */
import type { PoolGraph } from './graph.ts';
import { MaxHeap } from './max-heap.ts';

export interface CycleSolution {
  /** Copies run of each cycle. */
  readonly copies: Int32Array;
  readonly objective: number;
}

/** Weight of one more copy of `cycle` given the requests used so far, or -1 if impossible. */
function nextCopyWeight(graph: PoolGraph, cycle: readonly number[], used: Int32Array): number {
  let weight = 0;
  for (const arcIndex of cycle) {
    const arc = graph.arcs[arcIndex];
    const next = arc?.requests[used[arcIndex] as number];
    if (next === undefined) return -1;
    weight += (graph.requests[next] as { weight: number }).weight;
  }
  return weight;
}

export function greedyCycles(graph: PoolGraph, cycles: readonly (readonly number[])[]): CycleSolution {
  const used = new Int32Array(graph.arcs.length);
  const copies = new Int32Array(cycles.length);
  const heap = new MaxHeap();
  cycles.forEach((cycle, index) => {
    const weight = nextCopyWeight(graph, cycle, used);
    if (weight >= 0) heap.push(weight, index);
  });
  let objective = 0;
  // Each pop takes a copy (≤ R/2 times), drops a dead cycle, or re-queues one whose key
  // fell, which happens at most once per request used on one of its arcs.
  const guard = cycles.length * (graph.requests.length + 2) + graph.requests.length + 1;
  for (let step = 0; heap.size > 0; step += 1) {
    if (step > guard) throw new Error('greedyCycles: loop bound exceeded (bug)');
    const top = heap.pop() as { key: number; id: number };
    const cycle = cycles[top.id] as readonly number[];
    const weight = nextCopyWeight(graph, cycle, used);
    if (weight < 0) continue;
    if (weight !== top.key) {
      heap.push(weight, top.id);
      continue;
    }
    for (const arcIndex of cycle) used[arcIndex] = (used[arcIndex] as number) + 1;
    copies[top.id] = (copies[top.id] as number) + 1;
    objective += weight;
    const again = nextCopyWeight(graph, cycle, used);
    if (again >= 0) heap.push(again, top.id);
  }
  return { copies, objective };
}
