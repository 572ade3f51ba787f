import { SECONDS_PER_DAY, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { acknowledgeClock, decisionClock, isOverdue, prosecutionReportClock, provideClock } from '../deadlines/clocks.ts';
import { isEvidenceKind } from '../evidence/kinds.ts';
import { UNDECIDED, type RequestRecord } from '../request/state.ts';
import { bagCensoredMedian, bagMedian } from './median.ts';
import { bagCountBelow, bagOf, bagSize, type PersistentBag } from './persistent-bag.ts';

/**
 * The figures of a set of requests at `now` (DESIGN.md "statistics anyone can recompute"): one
 * count per request, whichever set it is counted in. `statistics` counts each ordered pair of
 * parties' requests; the incident ledger counts each incident's and each group's (issue 17).
 * Counts are of full extradition requests; provisional-arrest requests are counted apart,
 * since each is followed by (or lapses without) a full request.
 */
export interface RequestFigures {
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
  /** Requests for data (issue 17), counted apart from those for persons: the figures above count persons only. */
  readonly dataRequests: DataRequestFigures;
}

/** The figures of requests for data: answered in hours, preserved or delivered (evidence/kinds.ts). */
export interface DataRequestFigures {
  readonly filed: number;
  /** Filed, by kind (preservation, traffic-disclosure, production, emergency-disclosure). */
  readonly byKind: Readonly<Record<string, number>>;
  readonly acknowledgedOnTime: number;
  readonly decided: number;
  readonly decidedOnTime: number;
  readonly granted: number;
  readonly refused: number;
  readonly refusedByGround: Readonly<Record<string, number>>;
  /** Granted requests whose data was delivered, and of those the ones delivered within the kind's hours. */
  readonly provided: number;
  readonly providedOnTime: number;
  readonly withdrawn: number;
  readonly pending: number;
  /** Undecided past the decision deadline at `now`, and granted but undelivered past the delivery deadline. */
  readonly unansweredPastDeadline: number;
  readonly undeliveredPastDeadline: number;
}

/** Upper bounds of the day buckets of `decisionDays` (the last one is open): under 30, 60, 90, 180 days, then longer. */
export const DAY_BUCKETS: readonly number[] = [30, 60, 90, 180, Infinity];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The counts of a tally; its medians and day buckets are filled in by `finishFigures`. */
export type FigureCounts = Mutable<RequestFigures>;

/** Figures being counted: the counts, and the days each decided (or pending) request took, for the medians. */
export interface FigureTally {
  readonly counts: FigureCounts;
  readonly days: number[];
  readonly waiting: number[];
}

export function emptyTally(): FigureTally {
  return {
    counts: {
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
      dataRequests: { filed: 0, byKind: {}, acknowledgedOnTime: 0, decided: 0, decidedOnTime: 0, granted: 0, refused: 0, refusedByGround: {}, provided: 0, providedOnTime: 0, withdrawn: 0, pending: 0, unansweredPastDeadline: 0, undeliveredPastDeadline: 0 },
    },
    days: [],
    waiting: [],
  };
}

function bucketOf(days: number): number {
  return DAY_BUCKETS.findIndex((edge) => days < edge);
}

/** The figures of a finished tally: the counts with the medians and buckets of its days. */
export function finishTally(tally: FigureTally): RequestFigures {
  return finishFigures(tally.counts, bagOf(tally.days), tally.waiting);
}

/**
 * The figures from counts, the days each decided request took (a bag, so that a median is
 * two lookups: figure-index.ts keeps one per pair), and the days each pending one has waited.
 */
export function finishFigures(counts: FigureCounts, decided: PersistentBag, waiting: readonly number[]): RequestFigures {
  const withPending = bagCensoredMedian(decided, waiting);
  let below = 0;
  const decidedBuckets = DAY_BUCKETS.map((edge) => {
    const upTo = edge === Infinity ? bagSize(decided) : bagCountBelow(decided, edge);
    const inBucket = upTo - below;
    below = upTo;
    return inBucket;
  });
  const pendingBuckets = DAY_BUCKETS.map(() => 0);
  for (const value of waiting) pendingBuckets[bucketOf(value)]! += 1;
  return { ...counts, medianDaysToDecision: bagMedian(decided), medianDaysToDecisionWithPending: withPending === null ? null : Math.round(withPending), decisionDays: { decided: decidedBuckets, pending: pendingBuckets } };
}

/**
 * `into` with every count of `change` added (sign 1) or taken out (−1), nested figures
 * included. A count by ground or by kind that falls to zero is dropped, as a tally counted
 * afresh would not have it; the fixed fields (those of `emptyTally`) stay, zeros included.
 */
export function addCounts(into: FigureCounts, change: FigureCounts, sign: 1 | -1): FigureCounts {
  return addNested(into as unknown as Counts, change as unknown as Counts, sign, emptyTally().counts as unknown as Counts) as unknown as FigureCounts;
}

interface Counts {
  [key: string]: unknown;
}

function addNested(into: Counts, change: Counts, sign: 1 | -1, fixed: Counts | undefined): Counts {
  const out: Counts = { ...into };
  for (const [key, value] of Object.entries(change)) {
    const kept = fixed !== undefined && Object.hasOwn(fixed, key);
    if (typeof value === 'number') {
      const sum = ((out[key] as number | undefined) ?? 0) + sign * value;
      if (sum === 0 && !kept) delete out[key];
      else out[key] = sum;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nestedFixed = kept ? (fixed[key] as Counts) : undefined;
      out[key] = addNested((out[key] as Counts | undefined) ?? {}, value as Counts, sign, nestedFixed);
    }
  }
  return out;
}

/** The figures of some requests at `now`. */
export function requestFigures(treaty: Treaty, records: Iterable<RequestRecord>, now: UnixSeconds): RequestFigures {
  const tally = emptyTally();
  for (const record of records) countRequest(treaty, record, now, tally);
  return finishTally(tally);
}

/** Counts one request into a tally. */
export function countRequest(treaty: Treaty, record: RequestRecord, now: UnixSeconds, tally: FigureTally): void {
  const stats = tally.counts;
  if (isEvidenceKind(record.view.kind)) {
    stats.dataRequests = countDataRequest(treaty, record, now, stats.dataRequests);
    return;
  }
  if (record.view.kind === 'provisional-arrest') {
    stats.provisionalArrests += 1;
    return;
  }
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
      tally.waiting.push(Math.max(0, now - record.view.filedAt) / SECONDS_PER_DAY);
      const clock = decisionClock(treaty, record, now);
      if (clock.pausedSince === undefined && isOverdue(clock, now)) stats.unansweredPastDeadline += 1;
    }
    return;
  }
  stats.decided += 1;
  if (decision.at <= decisionClock(treaty, record, decision.at).due) stats.decidedOnTime += 1;
  tally.days.push((decision.at - record.view.filedAt) / SECONDS_PER_DAY);
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

/** Counts one request for data; the counts are replaced, not edited, since a tally's nested records are shared until then. */
function countDataRequest(treaty: Treaty, record: RequestRecord, now: UnixSeconds, counts: DataRequestFigures): DataRequestFigures {
  const next: Mutable<DataRequestFigures> = { ...counts, filed: counts.filed + 1, byKind: { ...counts.byKind, [record.view.kind]: (counts.byKind[record.view.kind] ?? 0) + 1 } };
  if (record.acknowledgedAt !== undefined && record.acknowledgedAt <= acknowledgeClock(treaty, record).due) next.acknowledgedOnTime += 1;
  if (record.status === 'withdrawn') next.withdrawn += 1;
  const decision = record.decision;
  if (!decision) {
    if (UNDECIDED.has(record.status)) {
      next.pending += 1;
      const clock = decisionClock(treaty, record, now);
      if (clock.pausedSince === undefined && isOverdue(clock, now)) next.unansweredPastDeadline += 1;
    }
    return next;
  }
  next.decided += 1;
  if (decision.at <= decisionClock(treaty, record, decision.at).due) next.decidedOnTime += 1;
  if (decision.kind === 'refuse' || decision.kind === 'refuse-prosecute') {
    next.refused += 1;
    const ground = decision.ground ?? 'unstated';
    next.refusedByGround = { ...counts.refusedByGround, [ground]: (counts.refusedByGround[ground] ?? 0) + 1 };
    return next;
  }
  next.granted += 1;
  const delivery = provideClock(treaty, record, decision.at);
  if (record.providedAt !== undefined) {
    next.provided += 1;
    if (delivery === undefined || record.providedAt <= delivery.due) next.providedOnTime += 1;
  } else if (record.status === 'granted' && delivery !== undefined && isOverdue(delivery, now)) {
    next.undeliveredPastDeadline += 1;
  }
  return next;
}

function countProsecution(treaty: Treaty, record: RequestRecord, now: UnixSeconds, stats: Mutable<RequestFigures>): void {
  stats.prosecutionsOwed += 1;
  const prosecution = record.prosecution;
  if (!prosecution) return;
  if (prosecution.milestones.some((step) => step.milestone === 'opened')) stats.prosecutionsOpened += 1;
  if (prosecution.outcome) stats.prosecutionsReported += 1;
  else if (isOverdue(prosecutionReportClock(treaty, prosecution.lastReportAt), now)) stats.prosecutionReportsOverdue += 1;
}
