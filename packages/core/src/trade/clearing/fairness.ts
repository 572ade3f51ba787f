/**
 * Fairness across rounds with credits, as run in international kidney exchange
 * (reference/trade-matching.md §2 and §6(a)6; Benedek, Biró et al., arXiv 2109.06788):
 * 1. fair share s_p = round total × p's share of the contributions, where a contribution
 *    is min(matchable weight held, matchable weight filed);
 * 2. target_p = s_p + c_p;
 * 3. among plans keeping ≥ (1 − δ)·W*, minimise the largest |x_p − target_p|, then the
 *    sum, where x_p is the weight p receives;
 * 4. c_p ← c_p + s_p − x_p, so the credits keep summing to zero.
 */
import type { PoolGraph } from './graph.ts';

/** min(matchable weight held, matchable weight filed), per node, over usable arcs. */
export function contributions(graph: PoolGraph, usable: Uint8Array): Float64Array {
  const held = new Float64Array(graph.nodes.length);
  const filed = new Float64Array(graph.nodes.length);
  graph.arcs.forEach((arc, arcIndex) => {
    if (usable[arcIndex] !== 1) return;
    for (const requestIndex of arc.requests) {
      const weight = (graph.requests[requestIndex] as { weight: number }).weight;
      held[arc.tail] = (held[arc.tail] as number) + weight;
      filed[arc.head] = (filed[arc.head] as number) + weight;
    }
  });
  return held.map((value, node) => Math.min(value, filed[node] as number));
}

/** s_p = total × contribution_p / Σ contributions; all zero when nobody contributes. */
export function fairShares(total: number, contribution: Float64Array): Float64Array {
  let sum = 0;
  for (const value of contribution) sum += value;
  return contribution.map((value) => (sum > 0 ? (total * value) / sum : 0));
}

/** Credits are kept in millionths so that their sum is exactly zero in floating point. */
const CREDIT_SCALE = 1e6;

/**
 * c_p ← c_p + s_p − x_p for every state named in any of the three maps. Σs = Σx in a
 * round (both equal the plan's total), so Σc stays 0; the rounding residue of the
 * fixed-point step goes to the first state in code order, so that it also holds exactly.
 */
export function nextCredits(
  credits: Readonly<Record<string, number>>,
  shares: Readonly<Record<string, number>>,
  received: Readonly<Record<string, number>>,
): Record<string, number> {
  const states = [...new Set([...Object.keys(credits), ...Object.keys(shares), ...Object.keys(received)])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const units = states.map((state) =>
    Math.round(((credits[state] ?? 0) + (shares[state] ?? 0) - (received[state] ?? 0)) * CREDIT_SCALE),
  );
  const residue = units.reduce((sum, value) => sum + value, 0);
  // Only rounding noise is absorbed; credits that did not sum to zero stay as they were.
  if (units.length > 0 && Math.abs(residue) <= units.length) units[0] = (units[0] as number) - residue;
  const next: Record<string, number> = {};
  states.forEach((state, index) => {
    next[state] = (units[index] as number) / CREDIT_SCALE;
  });
  return next;
}
