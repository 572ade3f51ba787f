import { addDays, type UnixSeconds } from '../time.ts';
import { addMonths } from '../treaty/denunciation.ts';
import type { Treaty } from '../treaty/schema.ts';
import { ENDED, getRequest, type RequestRecord, type State } from '../request/state.ts';

/**
 * Retention of a case's personal data (issue 17, "personal data kept for ever"). The treaty's
 * `retention` section states how long after a case ends its sealed fields may be kept; the
 * Second Additional Protocol to the Budapest Convention (CETS 224) art. 14(4) asks each party
 * to keep personal data only as long as necessary and appropriate for the purposes of the
 * transfer, with specific retention periods or a periodic review. Every instant here comes
 * from the log, so every party computes the same end of retention (DESIGN.md "deadlines that
 * every party computes identically").
 */

/**
 * When the case ended: the entry that brought the request into an ended status (`ENDED`,
 * request/state.ts). A provisional-arrest request superseded by the full request (ECE art.
 * 16(4)) is the same case, which goes on in the full request: it ends when that one ends, so
 * its end is known only with the `state` that holds the full request.
 */
export function caseEndedAt(record: RequestRecord, state?: State): UnixSeconds | undefined {
  // A granted preservation (Budapest art. 29(7)) ends when the data stops being kept, unless a
  // request for the data follows first (the preservation is then superseded, below).
  if (record.status === 'preserved') return record.preservedUntil;
  if (!ENDED.has(record.status)) return undefined;
  if (record.status === 'superseded') {
    const full = state && record.supersededBy !== undefined ? getRequest(state, record.supersededBy) : undefined;
    return full && full.id !== record.id ? caseEndedAt(full, state) : undefined;
  }
  return record.endedAt ?? record.history[record.history.length - 1]?.time;
}

/**
 * The first instant at which the case's personal data may be erased: `yearsAfterEnd` calendar
 * years after the end, counted as months so that 29 February maps to 28 February
 * (Regulation 1182/71 art. 3(2)(c), as for a denunciation's notice, treaty/denunciation.ts).
 */
export function retentionEndsAt(treaty: Treaty, record: RequestRecord, state?: State): UnixSeconds | undefined {
  const ended = caseEndedAt(record, state);
  if (ended === undefined || treaty.retention === undefined) return undefined;
  return addMonths(ended, treaty.retention.yearsAfterEnd * 12);
}

/** A party's duty to erase the case's personal data: owed from the end of retention, due `eraseWithinDays` later. */
export interface ErasureDuty {
  readonly party: string;
  readonly since: UnixSeconds;
  readonly due: UnixSeconds;
  readonly article: string;
}

/**
 * Who still owes the erasure of an ended case: each party of the request that has not entered
 * `request.erase`, the same rule for the requesting and the requested party (DESIGN.md
 * "Symmetry is a checked property"). None while the case is open or the treaty states no
 * retention, nor on a superseded request, whose end is the full request's (it is erased with
 * it: the gateway schedules both).
 */
export function erasureDuties(treaty: Treaty, record: RequestRecord): ErasureDuty[] {
  const since = retentionEndsAt(treaty, record);
  if (since === undefined || treaty.retention === undefined) return [];
  const erased = record.erasedBy ?? [];
  const due = addDays(since, treaty.retention.eraseWithinDays);
  return [record.view.requesting, record.view.requested]
    .filter((party) => !erased.includes(party))
    .map((party) => ({ party, since, due, article: treaty.retention!.article }));
}

/** The record after a transition: an entry that brings it into an ended status fixes when the case ended, once. */
export function notingEnd(before: RequestRecord, after: RequestRecord, time: UnixSeconds): RequestRecord {
  if (before.endedAt !== undefined || ENDED.has(before.status) || !ENDED.has(after.status)) return after;
  return { ...after, endedAt: time };
}
