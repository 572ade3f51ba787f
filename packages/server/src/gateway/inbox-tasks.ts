import { DEADLINE_SCAN_BUDGET, deadlinesPage, involves, mapGet, notOverdueFrom, obligationsFrom, requestAt, skewOf, type AnyDeadline, type State } from '@evenhand/core';

/*
 * What a state's inbox lists (GET /api/tasks, issue 15): the most urgent of what it owes and is
 * owed, and the incoming requests new since the official's last visit. Each is read a bounded
 * part at a time (issue 14), whatever the log holds.
 */

/** New incoming requests listed with their count at most this many. */
export const NEW_LISTED = 20;
/**
 * Each side of the inbox lists at most this many obligations, the most urgent, with the count
 * of all; the requests list, filtered by who owes, pages through the rest. A page of the inbox
 * then stays the same size however many requests the state has.
 */
export const TASKS_LISTED = 50;

/** The obligations of an emergency that run in its hours; its later duties (erasure, years on) are ordinary. */
const EMERGENCY_OBLIGATIONS: ReadonlySet<string> = new Set(['acknowledge', 'decide', 'reply-to-info-request', 'provide']);

export function isEmergency(state: State, item: AnyDeadline): boolean {
  return 'request' in item && EMERGENCY_OBLIGATIONS.has(item.kind) && mapGet(state.requests, item.request)?.view.kind === 'emergency-disclosure';
}

/**
 * How far past `now` an emergency's obligation not yet overdue can fall due: the longest period
 * of the emergency terms in force (hours: acknowledge, decide, deliver; a question stops the
 * decision's clock with its time left, never more), plus the skew an entry may be dated ahead.
 * A treaty in force with no emergency terms (an amendment dropped them; a pending request keeps
 * the terms it was filed under) is given a week.
 */
function emergencyHorizon(state: State, now: number): number {
  const terms = state.treaty?.evidence?.kinds['emergency-disclosure'];
  const hours = terms ? Math.max(terms.acknowledgeHours, terms.decideHours, terms.provideHours ?? 0) : 7 * 24;
  return now + hours * 3_600 + skewOf(state.treaty);
}

/**
 * What `party` owes (`ours`) or is owed (theirs), the most urgent first: emergencies (issue 17:
 * they reach the 24/7 contact point and run in hours), then the soonest due, at most
 * TASKS_LISTED. Read as a page of the core's list of open obligations (issue 14: this listed
 * every open obligation, and the erasures a five-year retention keeps open made that list grow
 * with history), examining at most the core's scan budget; overdue obligations come first in
 * it. So that a long overdue backlog cannot hide an emergency due in hours, the list is also
 * walked from where the obligations not yet overdue begin up to the emergency horizon, within
 * the same budget.
 */
export function mostUrgent(state: State, now: number, party: string, ours: boolean): AnyDeadline[] {
  const passes = ours ? (item: AnyDeadline) => item.party === party : (item: AnyDeadline) => item.party !== party && involves(state, item, party);
  const head = deadlinesPage(state, now, ours ? { owedBy: party } : { party }, 0, TASKS_LISTED, passes).items;
  const horizon = emergencyHorizon(state, now);
  const upcoming: AnyDeadline[] = [];
  let examined = 0;
  for (const item of obligationsFrom(state, now, notOverdueFrom(state, now))) {
    if (item.due > horizon || ++examined > DEADLINE_SCAN_BUDGET) break;
    if (isEmergency(state, item) && passes(item)) upcoming.push(item);
  }
  const key = (item: AnyDeadline) => ('request' in item ? `r ${item.request} ${item.kind}` : `t ${item.trade} ${item.kind} ${item.leg ?? ''}`);
  const emergencies = new Map([...head, ...upcoming].filter((item) => isEmergency(state, item)).map((item) => [key(item), item]));
  const rest = head.filter((item) => !isEmergency(state, item));
  return [...[...emergencies.values()].sort((a, b) => a.due - b.due), ...rest].slice(0, TASKS_LISTED);
}

/** Requests examined for the new incoming ones at most: a `since` long ago answers a lower bound, not a walk of every request. */
export const NEW_SCAN_BUDGET = 2_000;

/**
 * Incoming requests filed after `since`, newest first: requests are kept in filing order and
 * entry times never go back beyond the treaty's skew (log time-rules.ts), so the walk stops at
 * the first older one and costs the new ones, not the whole log; and at NEW_SCAN_BUDGET
 * requests, when `since` is long ago, the count is then at least what it says (`atLeast`).
 */
export function newIncoming(state: State, party: string, since: number, skew: number): { count: number; ids: string[]; atLeast?: true } {
  const ids: string[] = [];
  let count = 0;
  for (let position = state.requestIds.size - 1, examined = 0; position >= 0; position--, examined++) {
    if (examined === NEW_SCAN_BUDGET) return { count, ids, atLeast: true };
    const record = requestAt(state, position);
    if (!record) continue;
    if (record.view.filedAt <= since - skew) break;
    if (record.view.filedAt <= since || record.view.requested !== party) continue;
    count += 1;
    if (ids.length < NEW_LISTED) ids.push(record.id);
  }
  return { count, ids };
}
