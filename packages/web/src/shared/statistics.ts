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
