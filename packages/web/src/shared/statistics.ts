import type { PairStatistics } from '@evenhand/core/rules';

/** The per-pair figures of core's `statistics`, as /v1/statistics and /api/statistics serve them. */
export type { PairStatistics };

export interface StatisticsView {
  readonly at: number;
  readonly size: number;
  readonly pairs: readonly PairStatistics[];
}

export const pairName = (pair: PairStatistics) => `${pair.requesting} → ${pair.requested}`;

/** Every ground cited in any refusal, sorted, so charts of several pairs share one axis. */
export function groundsCited(pairs: readonly PairStatistics[]): string[] {
  return [...new Set(pairs.flatMap((pair) => Object.keys(pair.refusedByGround)))].sort();
}

/** The upper bounds of the day buckets of core `decisionDays` (core request-figures.ts DAY_BUCKETS); the last bucket is open. */
export const DAY_EDGES: readonly number[] = [30, 60, 90, 180];

/** The names of those buckets, in the reader's language: under each edge, then over the last. */
export function dayBucketNames(under: (days: number) => string, over: (days: number) => string): string[] {
  return [...DAY_EDGES.map(under), over(DAY_EDGES.at(-1)!)];
}
