/**
 * The per-pair figures of core's `statistics` as the services serve them (/v1/statistics on
 * the exchange, /api/statistics on a gateway). Declared here rather than imported so the
 * pages depend on the wire format only.
 */
export interface PairStatistics {
  readonly requesting: string;
  readonly requested: string;
  readonly filed: number;
  readonly provisionalArrests: number;
  readonly acknowledged: number;
  readonly acknowledgedOnTime: number;
  readonly decided: number;
  readonly decidedOnTime: number;
  readonly granted: number;
  readonly grantedConditional: number;
  readonly refused: number;
  readonly refusedByGround: Readonly<Record<string, number>>;
  readonly withdrawn: number;
  readonly pending: number;
  readonly surrendered: number;
  readonly prosecutionsOwed: number;
  readonly prosecutionsOpened: number;
  readonly prosecutionsReported: number;
  readonly prosecutionReportsOverdue: number;
  readonly medianDaysToDecision: number | null;
  readonly unansweredPastDeadline: number;
  readonly unacknowledgedPastDeadline: number;
}

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
