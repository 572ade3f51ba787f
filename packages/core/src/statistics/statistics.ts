import { SECONDS_PER_DAY, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { acknowledgeClock, decisionClock, isOverdue, prosecutionReportClock } from '../deadlines/clocks.ts';
import { listRequests, UNDECIDED, type RequestRecord, type State } from '../request/state.ts';
import { censoredMedian, median } from './median.ts';
import { handedOverAt, listTrades, type TradeLeg } from '../trade/lifecycle/trade-state.ts';

/**
 * Figures anyone can recompute from the log (DESIGN.md "statistics anyone can recompute"),
 * per ordered pair of parties, requesting → requested. They settle claims such as "45
 * requests, no answer" against "10 answered" (reference/domain.md §0) by counting what
 * the log shows. Counts are of full extradition requests; provisional-arrest requests are
 * counted apart, since each is followed by (or lapses without) a full request.
 *
 * Every figure reads the state as of `now`; entries dated after `now` are assumed absent.
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
  /** Refusals (plain and with prosecution instead) by the ground cited. */
  readonly refusedByGround: Readonly<Record<string, number>>;
  readonly withdrawn: number;
  /** Undecided and not withdrawn. */
  readonly pending: number;
  readonly surrendered: number;
  /** Refusals that opened a duty to prosecute (Budapest art. 24(6)). */
  readonly prosecutionsOwed: number;
  /** Of those, the ones whose prosecution was reported opened. */
  readonly prosecutionsOpened: number;
  /** Of those, the ones whose final outcome was reported. */
  readonly prosecutionsReported: number;
  /** Prosecutions whose periodic report is overdue at `now`. */
  readonly prosecutionReportsOverdue: number;
  /** Median days from filing to decision over decided requests; null when none is decided. */
  readonly medianDaysToDecision: number | null;
  /**
   * Median whole days to a decision counting pending requests as still waiting (censored at
   * `now`, Kaplan–Meier): null while half of the requests have waited longer undecided.
   */
  readonly medianDaysToDecisionWithPending: number | null;
  /** Days from filing to decision, or waited so far undecided, counted in the buckets of DAY_BUCKETS. */
  readonly decisionDays: { readonly decided: readonly number[]; readonly pending: readonly number[] };
  /** Undecided requests whose decision deadline has passed at `now`: the "no answer" count. */
  readonly unansweredPastDeadline: number;
  /** Requests still unacknowledged after the acknowledgement deadline at `now`. */
  readonly unacknowledgedPastDeadline: number;
  /**
   * Trades aborted by `now` in which the requested party of this pair committed to hand a
   * person to the requesting party and did not (trade/lifecycle/abort.ts): the breaches on
   * the record, counted once per trade.
   */
  readonly tradeBreaches: number;
  /**
   * Trades called off by `now` with every leg handed over but a receipt never confirmed
   * (ending receipt-unconfirmed): the pair's requesting party is the receiver that did not
   * confirm, the requested party the giver. Counted once per trade.
   */
  readonly tradeReceiptsUnconfirmed: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function emptyPair(requesting: string, requested: string): Mutable<PairStatistics> {
  return {
    requesting,
    requested,
    filed: 0,
    provisionalArrests: 0,
    acknowledged: 0,
    acknowledgedOnTime: 0,
    decided: 0,
    decidedOnTime: 0,
    granted: 0,
    grantedConditional: 0,
    refused: 0,
    refusedByGround: {},
    withdrawn: 0,
    pending: 0,
    surrendered: 0,
    prosecutionsOwed: 0,
    prosecutionsOpened: 0,
    prosecutionsReported: 0,
    prosecutionReportsOverdue: 0,
    medianDaysToDecision: null,
    medianDaysToDecisionWithPending: null,
    decisionDays: { decided: DAY_BUCKETS.map(() => 0), pending: DAY_BUCKETS.map(() => 0) },
    unansweredPastDeadline: 0,
    unacknowledgedPastDeadline: 0,
    tradeBreaches: 0,
    tradeReceiptsUnconfirmed: 0,
  };
}

/** Upper bounds of the day buckets of `decisionDays` (the last one is open): under 30, 60, 90, 180 days, then longer. */
export const DAY_BUCKETS: readonly number[] = [30, 60, 90, 180, Infinity];

function bucketOf(days: number): number {
  return DAY_BUCKETS.findIndex((edge) => days < edge);
}

export function statistics(state: State, now: UnixSeconds): PairStatistics[] {
  const treaty = state.treaty;
  if (!treaty) return [];
  const pairs = new Map<string, { stats: Mutable<PairStatistics>; days: number[]; waiting: number[] }>();
  const pair = (requesting: string, requested: string) => {
    const key = `${requesting}>${requested}`;
    let found = pairs.get(key);
    if (!found) {
      found = { stats: emptyPair(requesting, requested), days: [], waiting: [] };
      pairs.set(key, found);
    }
    return found;
  };
  // Every ordered pair of parties appears, so a silent direction shows as zeros, not as absence.
  for (const a of treaty.parties) for (const b of treaty.parties) if (a.id !== b.id) pair(a.id, b.id);

  for (const record of listRequests(state)) {
    const entry = pair(record.view.requesting, record.view.requested);
    if (record.view.kind === 'provisional-arrest') entry.stats.provisionalArrests += 1;
    else count(treaty, record, now, entry.stats, entry.days, entry.waiting);
  }
  for (const trade of listTrades(state.trades)) {
    if (trade.abortedAt === undefined || trade.abortedAt > now) continue;
    if (trade.status === 'aborted') {
      // A breach is against the giver of a leg not handed over, towards that leg's receiver.
      const broken = trade.legs.filter((leg) => handedOverAt(leg) === undefined && trade.breaches.includes(leg.from));
      for (const key of pairKeys(broken)) pair(key.receiver, key.giver).stats.tradeBreaches += 1;
    } else if (trade.status === 'receipt-unconfirmed') {
      for (const key of pairKeys(trade.legs.filter((leg) => leg.receivedAt === undefined))) pair(key.receiver, key.giver).stats.tradeReceiptsUnconfirmed += 1;
    }
  }
  return [...pairs.values()].map(({ stats, days, waiting }) => {
    const withPending = censoredMedian(days, waiting);
    const decisionDays = { decided: DAY_BUCKETS.map(() => 0), pending: DAY_BUCKETS.map(() => 0) };
    for (const value of days) decisionDays.decided[bucketOf(value)]! += 1;
    for (const value of waiting) decisionDays.pending[bucketOf(value)]! += 1;
    return { ...stats, medianDaysToDecision: median(days), medianDaysToDecisionWithPending: withPending === null ? null : Math.round(withPending), decisionDays };
  });
}

/** The distinct (receiver, giver) pairs of some legs: each is counted once per trade. */
function pairKeys(legs: readonly TradeLeg[]): { receiver: string; giver: string }[] {
  const seen = new Map<string, { receiver: string; giver: string }>();
  for (const leg of legs) seen.set(`${leg.to}>${leg.from}`, { receiver: leg.to, giver: leg.from });
  return [...seen.values()];
}

function count(treaty: Treaty, record: RequestRecord, now: UnixSeconds, stats: Mutable<PairStatistics>, days: number[], waiting: number[]): void {
  stats.filed += 1;
  const acknowledge = acknowledgeClock(treaty, record);
  if (record.acknowledgedAt !== undefined) {
    stats.acknowledged += 1;
    if (record.acknowledgedAt <= acknowledge.due) stats.acknowledgedOnTime += 1;
  } else if (record.status !== 'withdrawn' && isOverdue(acknowledge, now)) {
    stats.unacknowledgedPastDeadline += 1;
  }
  if (record.status === 'withdrawn') stats.withdrawn += 1;
  if (record.surrenderedAt !== undefined) stats.surrendered += 1;

  const decision = record.decision;
  if (!decision) {
    if (UNDECIDED.has(record.status)) {
      stats.pending += 1;
      waiting.push(Math.max(0, now - record.view.filedAt) / SECONDS_PER_DAY);
      const clock = decisionClock(treaty, record, now);
      if (clock.pausedSince === undefined && isOverdue(clock, now)) stats.unansweredPastDeadline += 1;
    }
    return;
  }
  stats.decided += 1;
  if (decision.at <= decisionClock(treaty, record, decision.at).due) stats.decidedOnTime += 1;
  days.push((decision.at - record.view.filedAt) / SECONDS_PER_DAY);
  switch (decision.kind) {
    case 'grant':
      stats.granted += 1;
      return;
    case 'grant-conditional':
      stats.grantedConditional += 1;
      return;
    case 'refuse':
    case 'refuse-prosecute': {
      stats.refused += 1;
      const ground = decision.ground ?? 'unstated';
      stats.refusedByGround = { ...stats.refusedByGround, [ground]: (stats.refusedByGround[ground] ?? 0) + 1 };
      if (decision.kind === 'refuse-prosecute') countProsecution(treaty, record, now, stats);
      return;
    }
  }
}

function countProsecution(treaty: Treaty, record: RequestRecord, now: UnixSeconds, stats: Mutable<PairStatistics>): void {
  stats.prosecutionsOwed += 1;
  const prosecution = record.prosecution;
  if (!prosecution) return;
  if (prosecution.milestones.some((step) => step.milestone === 'opened')) stats.prosecutionsOpened += 1;
  if (prosecution.outcome) stats.prosecutionsReported += 1;
  else if (isOverdue(prosecutionReportClock(treaty, prosecution.lastReportAt), now)) stats.prosecutionReportsOverdue += 1;
}
