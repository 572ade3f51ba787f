import { addDays, addHours, type UnixSeconds } from '../time.ts';
import { termsOf } from '../evidence/kinds.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { ConsultationRecord, RequestRecord } from '../request/state.ts';

/**
 * The treaty clocks, as pure functions of a request record. `apply` (which refuses an
 * extension after the limit) and `deadlines`/`statistics` share them, so every party
 * computes the same due instant from the same log. Periods are whole days of 86,400 s from
 * the triggering entry's time (time.ts). A due instant is the last second that is on time:
 * an act at `due` is on time, at `due + 1` it is late.
 */
export interface Clock {
  readonly due: UnixSeconds;
  /** The entry time the period runs from. */
  readonly since: UnixSeconds;
  readonly article: string;
  /** The clock is stopped (an open request for information) since this instant; `due` then moves with time. */
  readonly pausedSince?: UnixSeconds | undefined;
}

export function deadlineArticle(treaty: Treaty, name: string): string {
  return treaty.deadlines.articles[name] ?? `treaty deadlines (${name})`;
}

export function acknowledgeClock(treaty: Treaty, record: RequestRecord): Clock {
  const since = record.view.filedAt;
  const terms = termsOf(treaty, record.view);
  if (terms) return { since, due: addHours(since, terms.acknowledgeHours), article: terms.periodsArticle };
  return { since, due: addDays(since, treaty.deadlines.acknowledgeDays), article: deadlineArticle(treaty, 'acknowledge') };
}

/**
 * The decision period at `now`. FD 2002/584 art. 17(3) runs 60 days from the *arrest*; a treaty
 * request is often filed before anyone is arrested, and the requested party cannot
 * decide on a person it has not yet found, so the clock runs from the filing unless the
 * arrest comes later, in which case it runs from the arrest. A full request that follows a
 * provisional arrest inherits the earlier arrest, so its clock runs from its filing.
 *
 * Consent (FD art. 17(2)): the decision is due 10 days after the person consents. A consent
 * given after the ordinary limit has passed does not cure the breach: the ordinary limit
 * stays. An extension (FD art. 17(4), once, with reasons) adds its days to whichever limit
 * applies.
 *
 * Pauses: where the treaty says so (deadlines.infoRequestPausesDecision), a request for
 * information stops the clock until it is answered, and the decision is due that much later.
 * Like a late consent, a question asked after the limit has passed does not cure the breach,
 * and a pause before the period began (before the arrest that restarts it) does not count.
 * While a question is open the due instant moves with `now`, and `pausedSince` says so.
 */
export function decisionClock(treaty: Treaty, record: RequestRecord, now: UnixSeconds): Clock {
  const terms = termsOf(treaty, record.view);
  // A request for data has no arrest, consent or extension: its period runs in hours from the filing.
  if (terms) return withInfoPauses(treaty, record, now, { since: record.view.filedAt, due: addHours(record.view.filedAt, terms.decideHours), article: terms.periodsArticle });
  const { deadlines } = treaty;
  const filedAt = record.view.filedAt;
  // An arrest moves the clock only if it came while the period from filing was still
  // running, and before any decision. Like a late consent, an arrest recorded after the
  // period ran out does not cure the breach, and an arrest for surrender after the
  // decision does not turn a late decision into an on-time one.
  const fromFiling = addDays(filedAt, deadlines.decideDays);
  const arrestedAt = record.arrestedAt !== undefined && record.arrestedAt <= fromFiling && (record.decision === undefined || record.arrestedAt <= record.decision.at) ? record.arrestedAt : undefined;
  const since = arrestedAt !== undefined && arrestedAt > filedAt ? arrestedAt : filedAt;
  let clock: Clock = { since, due: addDays(since, deadlines.decideDays), article: deadlineArticle(treaty, 'decide') };
  if (record.consentAt !== undefined && record.consentAt <= clock.due) {
    clock = { since: record.consentAt, due: addDays(record.consentAt, deadlines.decideAfterConsentDays), article: deadlineArticle(treaty, 'consent') };
  }
  if (record.extendedAt !== undefined) {
    clock = { ...clock, due: addDays(clock.due, deadlines.extensionDays), article: `${clock.article}; ${deadlineArticle(treaty, 'extend')}` };
  }
  return withInfoPauses(treaty, record, now, clock);
}

/** Moves a decision clock by the requests for information that stopped it, where the treaty says they do. */
function withInfoPauses(treaty: Treaty, record: RequestRecord, now: UnixSeconds, start: Clock): Clock {
  if (!treaty.deadlines.infoRequestPausesDecision) return start;
  let clock = start;
  const open = record.status === 'info-requested' && record.infoAskedAt !== undefined ? [{ from: record.infoAskedAt, to: Math.max(record.infoAskedAt, now) }] : [];
  let paused = false;
  for (const pause of [...record.infoPauses, ...open]) {
    if (pause.from < clock.since || pause.from > clock.due) continue;
    paused = true;
    clock = { ...clock, due: clock.due + (pause.to - pause.from), ...(open[0] === pause ? { pausedSince: pause.from } : {}) };
  }
  return paused ? { ...clock, article: `${clock.article}; ${deadlineArticle(treaty, 'pause')}` } : clock;
}

/** A granted request for data: the requested party delivers the data within the kind's hours from the grant (issue 17). */
export function provideClock(treaty: Treaty, record: RequestRecord, grantedAt: UnixSeconds): Clock | undefined {
  const terms = termsOf(treaty, record.view);
  if (terms?.provideHours === undefined) return undefined;
  return { since: grantedAt, due: addHours(grantedAt, terms.provideHours), article: terms.periodsArticle };
}

/**
 * ECE art. 13: the requesting party answers a request for information within the period. A
 * request for data runs in hours, and so does the answer to a question on it: within the
 * hours its decision takes, so that a question cannot stop an emergency's clock for a month.
 */
export function infoReplyClock(treaty: Treaty, record: RequestRecord, askedAt: UnixSeconds): Clock {
  const terms = termsOf(treaty, record.view);
  if (terms) return { since: askedAt, due: addHours(askedAt, terms.decideHours), article: terms.periodsArticle };
  return { since: askedAt, due: addDays(askedAt, treaty.deadlines.infoReplyDays), article: deadlineArticle(treaty, 'info') };
}

/** The days the treaty allows for consultation on a ground (UNTOC art. 16(16)), if any. */
export function consultationDays(treaty: Treaty, ground: string): { days: number; article: string } | undefined {
  const entry = treaty.consultation.find((candidate) => candidate.ground === ground);
  if (entry) return { days: entry.days, article: entry.article };
  const days = treaty.deadlines.consultationReplyDays;
  return days === undefined ? undefined : { days, article: deadlineArticle(treaty, 'consultation') };
}

export function consultationClock(treaty: Treaty, consultation: ConsultationRecord): Clock | undefined {
  const period = consultationDays(treaty, consultation.ground);
  if (!period) return undefined;
  return { since: consultation.at, due: addDays(consultation.at, period.days), article: period.article };
}

/** FD 2002/584 art. 23(2): surrender within 10 days of the final decision (or of the last assurance). */
export function surrenderClock(treaty: Treaty, readyAt: UnixSeconds): Clock {
  return { since: readyAt, due: addDays(readyAt, treaty.deadlines.surrenderDays), article: deadlineArticle(treaty, 'surrender') };
}

/** ECE art. 16(4): 18 days for the full request after a provisional arrest. */
export function fileFullRequestClock(treaty: Treaty, arrestedAt: UnixSeconds): Clock {
  return { since: arrestedAt, due: addDays(arrestedAt, treaty.deadlines.provisionalArrestFileDays), article: deadlineArticle(treaty, 'provisionalArrest') };
}

/** ECE art. 16(4): a provisional arrest may never exceed 40 days without the full request. */
export function releaseClock(treaty: Treaty, arrestedAt: UnixSeconds): Clock {
  return { since: arrestedAt, due: addDays(arrestedAt, treaty.deadlines.provisionalArrestMaxDays), article: deadlineArticle(treaty, 'provisionalArrest') };
}

/** Budapest art. 24(6): report on the domestic prosecution every period until its outcome. */
export function prosecutionReportClock(treaty: Treaty, lastReportAt: UnixSeconds): Clock {
  return { since: lastReportAt, due: addDays(lastReportAt, treaty.extraditeOrProsecute.reportEveryDays), article: treaty.extraditeOrProsecute.article };
}

export function isOverdue(clock: Clock, now: UnixSeconds): boolean {
  return now > clock.due;
}
