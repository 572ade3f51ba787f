import { SECONDS_PER_DAY, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { acknowledgeClock, decisionClock, isOverdue, prosecutionReportClock, provideClock, type Clock } from '../deadlines/clocks.ts';
import { isEvidenceKind } from '../evidence/kinds.ts';
import { UNDECIDED, type RequestRecord } from '../request/state.ts';
import { bagCensoredMedian, bagMedian } from './median.ts';
import { bagCountBelow, bagOf, bagSize, type PersistentBag } from './persistent-bag.ts';
import { daysWaited, sortedTimes, type CensoredTimes } from './censored-times.ts';

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

/** The figures of a finished tally: the counts with the medians and buckets of its days. */
export function finishTally(tally: FigureTally): RequestFigures {
  return finishFigures(tally.counts, bagOf(tally.days), sortedTimes(tally.waiting));
}

/**
 * The figures from counts, the days each decided request took (a bag, so that a median is
 * two lookups: figure-index.ts keeps one per pair), and the days each pending one has waited.
 */
export function finishFigures(counts: FigureCounts, decided: PersistentBag, waiting: CensoredTimes): RequestFigures {
  const withPending = bagCensoredMedian(decided, waiting);
  let below = 0;
  const decidedBuckets = DAY_BUCKETS.map((edge) => {
    const upTo = edge === Infinity ? bagSize(decided) : bagCountBelow(decided, edge);
    const inBucket = upTo - below;
    below = upTo;
    return inBucket;
  });
  let waitedLess = 0;
  const pendingBuckets = DAY_BUCKETS.map((edge) => {
    const upTo = edge === Infinity ? waiting.count : waiting.countBelow(edge);
    const inBucket = upTo - waitedLess;
    waitedLess = upTo;
    return inBucket;
  });
  return { ...counts, medianDaysToDecision: bagMedian(decided), medianDaysToDecisionWithPending: withPending === null ? null : Math.round(withPending), decisionDays: { decided: decidedBuckets, pending: pendingBuckets } };
}

/** The figures of some requests at `now`. */
export function requestFigures(treaty: Treaty, records: Iterable<RequestRecord>, now: UnixSeconds): RequestFigures {
  const tally = emptyTally();
  for (const record of records) countRequest(treaty, record, now, tally);
  return finishTally(tally);
}

/**
 * The counts that turn on the instant they are read at: each counts the requests whose
 * deadline of some kind has run out by then (deadlines/clocks.ts `isOverdue`). The last two
 * are `dataRequests`'s.
 */
export const OVERDUE_COUNTS = ['unacknowledgedPastDeadline', 'unansweredPastDeadline', 'prosecutionReportsOverdue', 'dataUnansweredPastDeadline', 'dataUndeliveredPastDeadline'] as const;
export type OverdueCount = (typeof OVERDUE_COUNTS)[number];

/**
 * How a count reads time. Read at an instant, a deadline has run out once the instant is past
 * it, and a pending request has waited since its filing. Counted for the index
 * (figure-index.ts), a request is counted once for every instant: each deadline and the
 * filing of a pending request are noted instead, and counted at each reading.
 */
interface Reading {
  /**
   * The instant a decision clock is read at. Only an open request for information makes it
   * matter: the clock it stops moves its due instant with the reading, and is never run out
   * while stopped (deadlines/clocks.ts `withInfoPauses`). Whether it stops is fixed by the
   * record, so the index reads it at the filing and finds no deadline to note.
   */
  readonly now: UnixSeconds;
  pastDeadline(count: OverdueCount, clock: Clock): boolean;
  pending(filedAt: UnixSeconds): void;
}

/** A reading at an instant. A class, not closures: the index counts each request an entry touches, and closures made per count showed in the profile of `apply` (issue 14). */
class AtInstant implements Reading {
  constructor(
    readonly now: UnixSeconds,
    private readonly tally: FigureTally,
  ) {}
  pastDeadline(_count: OverdueCount, clock: Clock): boolean {
    return isOverdue(clock, this.now);
  }
  pending(filedAt: UnixSeconds): void {
    this.tally.waiting.push(daysWaited(filedAt, this.now));
  }
}

/** A count for the index: each deadline and the filing of a pending request noted, none judged. */
class Timeless implements Reading {
  readonly deadlines: Partial<Record<OverdueCount, UnixSeconds>> = {};
  pendingSince: UnixSeconds | undefined = undefined;
  constructor(readonly now: UnixSeconds) {}
  pastDeadline(count: OverdueCount, clock: Clock): boolean {
    this.deadlines[count] = clock.due;
    return false;
  }
  pending(filedAt: UnixSeconds): void {
    this.pendingSince = filedAt;
  }
}

/** Counts one request into a tally, as it stands at `now`. */
export function countRequest(treaty: Treaty, record: RequestRecord, now: UnixSeconds, tally: FigureTally): void {
  countWith(treaty, record, new AtInstant(now, tally), tally);
}

/** A request's figures whatever the instant: counts with no deadline run out, and what turns on the instant noted apart. */
export interface TimelessFigures {
  /** Its counts as if no deadline had run out, and its decision's days; `waiting` is empty. */
  readonly tally: FigureTally;
  /** When each count it joins once its deadline has run out stops being on time. */
  readonly deadlines: Readonly<Partial<Record<OverdueCount, UnixSeconds>>>;
  /** Its filing, while it is pending: its wait grows with the instant. */
  readonly pendingSince: UnixSeconds | undefined;
}

/**
 * A request's `TimelessFigures`. A request waiting on an answer to a request for information is
 * one too: its stopped decision clock runs out at no instant (`Reading.now`), and its wait is
 * read from its filing like any pending request's.
 */
export function timelessFigures(treaty: Treaty, record: RequestRecord): TimelessFigures {
  const tally = emptyTally();
  const reading = new Timeless(record.view.filedAt);
  countWith(treaty, record, reading, tally);
  return { tally, deadlines: reading.deadlines, pendingSince: reading.pendingSince };
}

/** Adds to `counts` the deadlines of each kind (figure-index.ts, by due instant) that have run out at `now`. */
export function withDeadlinesRunOut(counts: FigureCounts, deadlines: Readonly<Record<OverdueCount, PersistentBag>>, now: UnixSeconds): FigureCounts {
  // isOverdue: `now` past the due instant, so dues strictly below `now`.
  const past = (count: OverdueCount) => bagCountBelow(deadlines[count], now);
  const data = counts.dataRequests;
  return {
    ...counts,
    unacknowledgedPastDeadline: counts.unacknowledgedPastDeadline + past('unacknowledgedPastDeadline'),
    unansweredPastDeadline: counts.unansweredPastDeadline + past('unansweredPastDeadline'),
    prosecutionReportsOverdue: counts.prosecutionReportsOverdue + past('prosecutionReportsOverdue'),
    dataRequests: { ...data, unansweredPastDeadline: data.unansweredPastDeadline + past('dataUnansweredPastDeadline'), undeliveredPastDeadline: data.undeliveredPastDeadline + past('dataUndeliveredPastDeadline') },
  };
}

function countWith(treaty: Treaty, record: RequestRecord, reading: Reading, tally: FigureTally): void {
  const stats = tally.counts;
  if (isEvidenceKind(record.view.kind)) {
    stats.dataRequests = countDataRequest(treaty, record, reading, stats.dataRequests);
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
  } else if (record.status !== 'withdrawn' && reading.pastDeadline('unacknowledgedPastDeadline', acknowledge)) {
    stats.unacknowledgedPastDeadline += 1;
  }
  if (record.status === 'withdrawn') stats.withdrawn += 1;
  if (record.surrenderedAt !== undefined) stats.surrendered += 1;

  const decision = record.decision;
  if (!decision) {
    if (UNDECIDED.has(record.status)) {
      stats.pending += 1;
      reading.pending(record.view.filedAt);
      const clock = decisionClock(treaty, record, reading.now);
      if (clock.pausedSince === undefined && reading.pastDeadline('unansweredPastDeadline', clock)) stats.unansweredPastDeadline += 1;
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
      if (decision.kind === 'refuse-prosecute') countProsecution(treaty, record, reading, stats);
      return;
    }
  }
}

/** Counts one request for data; the counts are replaced, not edited, since a tally's nested records are shared until then. */
function countDataRequest(treaty: Treaty, record: RequestRecord, reading: Reading, counts: DataRequestFigures): DataRequestFigures {
  const next: Mutable<DataRequestFigures> = { ...counts, filed: counts.filed + 1, byKind: { ...counts.byKind, [record.view.kind]: (counts.byKind[record.view.kind] ?? 0) + 1 } };
  if (record.acknowledgedAt !== undefined && record.acknowledgedAt <= acknowledgeClock(treaty, record).due) next.acknowledgedOnTime += 1;
  if (record.status === 'withdrawn') next.withdrawn += 1;
  const decision = record.decision;
  if (!decision) {
    if (UNDECIDED.has(record.status)) {
      next.pending += 1;
      const clock = decisionClock(treaty, record, reading.now);
      if (clock.pausedSince === undefined && reading.pastDeadline('dataUnansweredPastDeadline', clock)) next.unansweredPastDeadline += 1;
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
  } else if (record.status === 'granted' && delivery !== undefined && reading.pastDeadline('dataUndeliveredPastDeadline', delivery)) {
    next.undeliveredPastDeadline += 1;
  }
  return next;
}

function countProsecution(treaty: Treaty, record: RequestRecord, reading: Reading, stats: Mutable<RequestFigures>): void {
  stats.prosecutionsOwed += 1;
  const prosecution = record.prosecution;
  if (!prosecution) return;
  if (prosecution.milestones.some((step) => step.milestone === 'opened')) stats.prosecutionsOpened += 1;
  if (prosecution.outcome) stats.prosecutionsReported += 1;
  else if (reading.pastDeadline('prosecutionReportsOverdue', prosecutionReportClock(treaty, prosecution.lastReportAt))) stats.prosecutionReportsOverdue += 1;
}
