import type { PairMonths } from '@evenhand/core/rules';
import type { PairStatistics, StatisticsView } from '../shared/statistics.ts';

/** Figures for the reciprocity dashboard, from what the gateway counts (GET /api/dashboard and /api/statistics). */

/** The dashboard's months, as GET /api/dashboard answers them (core `monthlySeries`). */
export interface DashboardMonths {
  readonly size: number;
  readonly at: number;
  readonly counterparts: readonly PairMonths[];
}

/**
 * The balance of handovers: persons this state received minus persons it surrendered, as a
 * running total by month, from the handovers before the first month shown. A handover is the
 * requested party's `request.surrender` entry or the coordinator's attestation of a trade leg:
 * both set the request's surrenderedAt, which the gateway counts in its month.
 */
export function balance(pair: PairMonths): { received: number[]; surrendered: number[]; net: number[] } {
  const received: number[] = [];
  const surrendered: number[] = [];
  const net: number[] = [];
  let inCount = pair.before.received;
  let outCount = pair.before.surrendered;
  pair.months.forEach((_, month) => {
    inCount += pair.received[month] ?? 0;
    outCount += pair.surrendered[month] ?? 0;
    received.push(inCount);
    surrendered.push(outCount);
    net.push(inCount - outCount);
  });
  return { received, surrendered, net };
}

/** The statistics of the two ordered pairs between `party` and `counterpart`: the counterpart's requests to it (incoming) and its own (outgoing). */
export function pairsBetween(statistics: StatisticsView, party: string, counterpart: string): { incoming?: PairStatistics | undefined; outgoing?: PairStatistics | undefined } {
  const find = (requesting: string, requested: string) => statistics.pairs.find((pair) => pair.requesting === requesting && pair.requested === requested);
  return { incoming: find(counterpart, party), outgoing: find(party, counterpart) };
}
