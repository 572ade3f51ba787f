/**
 * The figures of a pool that do not depend on the solver's luck or clock (issue 13): how many
 * states, legs and cycles it has, the greedy incumbent G and the circulation bound C of
 * reference/trade-matching.md §5. A round records them as computed by the engine (clear.ts);
 * an auditor recomputes them here with the same functions (pool-structure.ts, greedy.ts,
 * circulation-bound.ts) and must find the same numbers.
 */
import type { Highs } from 'highs';
import { err, ok, type Result } from '../../result.ts';
import { poolCirculationBound } from './circulation-bound.ts';
import { greedyCycles } from './greedy.ts';
import type { ClearingPool } from './round-pool.ts';
import { poolStructure } from './pool-structure.ts';

export interface PoolFigures {
  readonly states: number;
  readonly requests: number;
  readonly cycles: number;
  readonly greedyObjective: number;
  readonly circulationBound: number;
}

/**
 * As `clear` computes them: zero-weight legs left out of the graph (clearWith), the greedy
 * only on the per-state count rule (the cycle engine; the account engine has none, and
 * reports 0). Fails when HiGHS cannot prove the LP within `timeLimitSeconds`.
 */
export function recomputePoolFigures(highs: Highs, pool: ClearingPool, timeLimitSeconds: number): Result<PoolFigures, { readonly code: 'CIRCULATION_UNPROVEN'; readonly message: string }> {
  const weighted = pool.requests.filter((request) => request.weight > 0);
  const structure = poolStructure(weighted, pool.balance, pool.maxLength, pool.maxCycles);
  const integral = weighted.every((request) => Number.isInteger(request.weight));
  const bound = poolCirculationBound(highs, structure, integral, timeLimitSeconds);
  if (!bound.proven) return err({ code: 'CIRCULATION_UNPROVEN', message: `the circulation LP was not solved to optimality within ${timeLimitSeconds} s` });
  const perState = pool.balance.measure === 'count' && pool.balance.blocs === undefined;
  return ok({
    states: new Set(pool.requests.flatMap((request) => [request.from, request.to])).size,
    requests: pool.requests.length,
    cycles: structure.cycles.length,
    greedyObjective: perState ? greedyCycles(structure.graph, structure.cycles).objective : 0,
    circulationBound: bound.bound,
  });
}
