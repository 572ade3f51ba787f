/**
 * The pool as a graph of states (reference/trade-matching.md §6(a)1): states are nodes,
 * arc holder → requester carries the requests on it, sorted by weight (descending) then
 * id, so that ties break the same way whatever order the input came in.
 */
import type { ClearingRequest } from './types.ts';

export interface Arc {
  /** The giving node (holder). */
  readonly tail: number;
  /** The receiving node (requester). */
  readonly head: number;
  /** Indexes into `PoolGraph.requests`, heaviest first. */
  readonly requests: readonly number[];
}

export interface PoolGraph {
  /** Node names, sorted: states, or accounts under bloc accounts. */
  readonly nodes: readonly string[];
  /** The requests in canonical order (by holder, requester, weight desc, id). */
  readonly requests: readonly ClearingRequest[];
  /** Arcs sorted by (tail, head). */
  readonly arcs: readonly Arc[];
  /** For each node, its outgoing arcs sorted by head. */
  readonly out: readonly (readonly number[])[];
}

/** Code-unit order: independent of the host's locale, so every party sorts alike. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Heaviest first, then id: the deterministic tie-break of §6(a)1 (we have no filing date). */
export function compareRequests(a: ClearingRequest, b: ClearingRequest): number {
  return b.weight - a.weight || compareText(a.id, b.id);
}

/**
 * Builds the graph. `nodeOf` maps a state to its node (the identity, or its bloc account);
 * legs inside one node (a transfer within a bloc) cannot be part of a balanced trade
 * between accounts and are left out.
 */
export function buildGraph(requests: readonly ClearingRequest[], nodeOf: (state: string) => string = (s) => s): PoolGraph {
  const names = new Set<string>();
  for (const request of requests) {
    names.add(nodeOf(request.to));
    names.add(nodeOf(request.from));
  }
  const nodes = [...names].sort(compareText);
  const position = new Map(nodes.map((name, index) => [name, index]));
  const nodeIndex = (state: string): number => position.get(nodeOf(state)) as number;
  const canonical = [...requests].sort(
    (a, b) => nodeIndex(a.to) - nodeIndex(b.to) || nodeIndex(a.from) - nodeIndex(b.from) || compareRequests(a, b),
  );
  const arcs: Arc[] = [];
  const out: number[][] = nodes.map(() => []);
  let current: { tail: number; head: number; requests: number[] } | undefined;
  canonical.forEach((request, index) => {
    const tail = nodeIndex(request.to);
    const head = nodeIndex(request.from);
    if (tail === head) return;
    if (current === undefined || current.tail !== tail || current.head !== head) {
      current = { tail, head, requests: [] };
      out[tail]?.push(arcs.length);
      arcs.push(current);
    }
    current.requests.push(index);
  });
  return { nodes, requests: canonical, arcs, out };
}
