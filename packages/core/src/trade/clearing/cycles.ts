/**
 * Enumerates the simple cycles of length 2..L of a node graph, each exactly once, by a
 * depth-first search from its smallest node through larger nodes only (§6(a)2). A trade
 * that balances is a circulation and splits into such cycles (§0), so optimising over
 * them is exact for the count rule.
 */
import type { PoolGraph } from './graph.ts';

export interface CycleSet {
  /** Each cycle as its arcs in order, starting from the arc leaving its smallest node. */
  readonly cycles: readonly (readonly number[])[];
  /** True when enumeration stopped at the cap: the set is then incomplete. */
  readonly truncated: boolean;
}

export function enumerateCycles(graph: PoolGraph, maxLength: number, maxCycles: number): CycleSet {
  const cycles: number[][] = [];
  const onPath = new Uint8Array(graph.nodes.length);
  const path: number[] = [];
  let truncated = false;

  // Recursion depth is at most maxLength (≤ MAX_TRADE_LENGTH), so the stack stays small.
  const extend = (start: number, node: number): void => {
    for (const arcIndex of graph.out[node] ?? []) {
      if (truncated) return;
      const head = (graph.arcs[arcIndex] as { head: number }).head;
      if (head === start) {
        if (path.length + 1 >= 2) {
          if (cycles.length >= maxCycles) {
            truncated = true;
            return;
          }
          cycles.push([...path, arcIndex]);
        }
      } else if (head > start && onPath[head] === 0 && path.length + 1 < maxLength) {
        onPath[head] = 1;
        path.push(arcIndex);
        extend(start, head);
        path.pop();
        onPath[head] = 0;
      }
    }
  };

  for (let start = 0; start < graph.nodes.length && !truncated; start += 1) {
    onPath[start] = 1;
    extend(start, start);
    onPath[start] = 0;
  }
  return { cycles, truncated };
}
