import type { UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { UNDECIDED, type RequestRecord } from '../request/state.ts';
import type { IndexedObligation } from '../statistics/obligation-index.ts';
import { isEvidenceKind } from '../evidence/kinds.ts';
import { erasureDuties } from '../erasure/retention.ts';
import {
  acknowledgeClock,
  consultationClock,
  decisionClock,
  fileFullRequestClock,
  provideClock,
  infoReplyClock,
  isOverdue,
  prosecutionReportClock,
  releaseClock,
  surrenderClock,
  type Clock,
} from './clocks.ts';

/**
 * Every open obligation, derived from the log and a given instant (DESIGN.md: deadlines
 * are derived data, never stored truth). Each party computes the same list from the same
 * log, so "who owes what, since when" stops being a matter of claims.
 */
export type DeadlineKind =
  | 'acknowledge'
  | 'decide'
  | 'reply-to-info-request'
  | 'reply-to-consultation'
  | 'surrender'
  | 'file-full-request'
  | 'release-from-provisional-arrest'
  | 'prosecution-report'
  /** A granted request for data: deliver the data (issue 17). */
  | 'provide'
  /** An ended case whose retention period ran: each party erases its copy (erasure/retention.ts, issue 17). */
  | 'erase-personal-data';

export interface Deadline {
  readonly request: string;
  readonly requesting: string;
  readonly requested: string;
  /** The party that owes the act. */
  readonly party: string;
  readonly kind: DeadlineKind;
  /** The last on-time instant: an act at `due` is on time, one second later it is not. */
  readonly due: UnixSeconds;
  /** The entry time the period runs from. */
  readonly since: UnixSeconds;
  readonly overdue: boolean;
  readonly article: string;
  /** The clock is stopped since this instant (an open request for information); `due` moves with time until it runs again. */
  readonly pausedSince?: UnixSeconds | undefined;
}

/** Soonest first; at one instant by request, then kind, in UTF-16 code units (obligation-index.ts `obligationKey`); otherwise stable. */
export function byDue(a: Deadline, b: Deadline): number {
  return a.due - b.due || compareUnits(a.request, b.request) || compareUnits(a.kind, b.kind);
}

/** Strings in UTF-16 code units: the same order on every runtime, unlike a locale's collation. */
export function compareUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * An indexed obligation as it stands at `now`. One whose clock an open request for information
 * stops (`pausedSince`) is kept as due at the question; at `now` it is due the time it had left
 * then after the later of the question and `now`, as deadlines/clocks.ts `withInfoPauses`
 * moves it, and it is never overdue while stopped.
 */
export function judged(item: IndexedObligation, now: UnixSeconds): Deadline {
  if (item.pausedSince === undefined) return { ...item, overdue: isOverdue(item as Clock, now) };
  return { ...item, due: Math.max(now, item.pausedSince) + item.due - item.pausedSince, overdue: false };
}

/**
 * One obligation of `record`, judged at `now` (with `overdue`), or as the figure index keeps
 * it when `now` is undefined (without). Not a closure inside `openObligations`: under tsx each
 * closure made cost a naming call, a tenth of the index's share of `apply` (issue 14).
 */
function obligation(record: RequestRecord, now: UnixSeconds | undefined, kind: DeadlineKind, party: string, clock: Clock): IndexedObligation {
  const { requesting, requested } = record.view;
  const paused = clock.pausedSince === undefined ? {} : { pausedSince: clock.pausedSince };
  if (now === undefined) return { request: record.id, requesting, requested, party, kind, due: clock.due, since: clock.since, article: clock.article, ...paused };
  const judged: Deadline = { request: record.id, requesting, requested, party, kind, due: clock.due, since: clock.since, overdue: clock.pausedSince === undefined && isOverdue(clock, now), article: clock.article, ...paused };
  return judged;
}

/**
 * The open obligations of one request as the figure index keeps them: without `overdue`,
 * which depends on the instant they are read at (figure-index.ts), and a stopped clock due as
 * at its question (`judged` moves it to a reading).
 */
export function indexableObligations(treaty: Treaty, record: RequestRecord): IndexedObligation[] {
  return obligationsOf(treaty, record, undefined);
}

/** The open obligations of one request at `now`. */
export function openObligations(treaty: Treaty, record: RequestRecord, now: UnixSeconds): Deadline[] {
  return obligationsOf(treaty, record, now) as Deadline[];
}

/** The open obligations of one request, judged at `now` unless it is undefined (`obligation`). */
function obligationsOf(treaty: Treaty, record: RequestRecord, judgedAt: UnixSeconds | undefined): IndexedObligation[] {
  const { requesting, requested } = record.view;
  // A clock a question stops runs to the instant. The index reads it at the filing, before any
  // question, so that a stopped one is due as at its question (clocks.ts withInfoPauses).
  const now = judgedAt ?? record.view.filedAt;
  const out: IndexedObligation[] = [];

  if (record.status === 'filed') out.push(obligation(record, judgedAt, 'acknowledge', requested, acknowledgeClock(treaty, record)));
  // Whatever the kind: an ended case's personal data is erased by each party once retention runs out.
  for (const duty of erasureDuties(treaty, record)) out.push(obligation(record, judgedAt, 'erase-personal-data', duty.party, duty));

  if (isEvidenceKind(record.view.kind)) {
    // A request for data: decided (in hours), then preserved or delivered. Nothing is owed on
    // a preservation once granted: the requesting party may follow it with a request for the
    // data until `preservedUntil`, and need not.
    if (UNDECIDED.has(record.status)) {
      out.push(obligation(record, judgedAt, 'decide', requested, decisionClock(treaty, record, now)));
      if (record.status === 'info-requested' && record.infoAskedAt !== undefined) out.push(obligation(record, judgedAt, 'reply-to-info-request', requesting, infoReplyClock(treaty, record, record.infoAskedAt)));
    }
    const delivery = record.status === 'granted' && record.readyAt !== undefined ? provideClock(treaty, record, record.readyAt) : undefined;
    if (delivery) out.push(obligation(record, judgedAt, 'provide', requested, delivery));
    return out;
  }

  if (record.view.kind === 'provisional-arrest') {
    // ECE art. 16(4): once the person is held, the requesting party has 18 days to file the
    // full request, and the requested party must release by day 40 at the latest. Both
    // end when the full request is filed (the record is then superseded) or withdrawn.
    if (record.arrestedAt !== undefined && (record.status === 'filed' || record.status === 'acknowledged')) {
      out.push(obligation(record, judgedAt, 'file-full-request', requesting, fileFullRequestClock(treaty, record.arrestedAt)));
      out.push(obligation(record, judgedAt, 'release-from-provisional-arrest', requested, releaseClock(treaty, record.arrestedAt)));
    }
    return out;
  }

  if (UNDECIDED.has(record.status)) {
    out.push(obligation(record, judgedAt, 'decide', requested, decisionClock(treaty, record, now)));
    if (record.status === 'info-requested' && record.infoAskedAt !== undefined) out.push(obligation(record, judgedAt, 'reply-to-info-request', requesting, infoReplyClock(treaty, record, record.infoAskedAt)));
    for (const consultation of record.consultations) {
      if (consultation.repliedAt !== undefined) continue;
      const clock = consultationClock(treaty, consultation);
      if (clock) out.push(obligation(record, judgedAt, 'reply-to-consultation', requesting, clock));
    }
  }
  if ((record.status === 'granted' || record.status === 'surrender-scheduled') && record.readyAt !== undefined) {
    out.push(obligation(record, judgedAt, 'surrender', requested, surrenderClock(treaty, record.readyAt)));
  }
  if (record.status === 'refused-prosecute-instead' && record.prosecution) {
    out.push(obligation(record, judgedAt, 'prosecution-report', requested, prosecutionReportClock(treaty, record.prosecution.lastReportAt)));
  }
  return out;
}
