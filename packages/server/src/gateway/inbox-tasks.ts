import { mapGet, requestAt, runsInHours, sideEmergencies, sideObligations, type AnyDeadline, type State } from '@evenhand/core';

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

/** Whether the obligation runs in an emergency's hours (core `runsInHours`). */
export function isEmergency(state: State, item: AnyDeadline): boolean {
  return 'request' in item && runsInHours(item.kind, mapGet(state.requests, item.request)?.view.kind);
}

/**
 * What `party` owes (`ours`) or is owed (theirs), the most urgent first: every emergency (issue
 * 17: they reach the 24/7 contact point and run in hours), then the soonest due, at most
 * TASKS_LISTED. Read from the core's index of each state's side of the open obligations (issue
 * 14: this listed every open obligation, and the erasures a five-year retention keeps open made
 * that list grow with history): the emergencies from their own bag, the rest from the head of
 * the state's side, so that neither another state's backlog nor an overdue one of its own can
 * push an obligation of this state off its inbox.
 */
export function mostUrgent(state: State, now: number, party: string, ours: boolean): AnyDeadline[] {
  const side = ours ? 'owes' : 'owed';
  const emergencies = sideEmergencies(state, now, party, side);
  const rest: AnyDeadline[] = [];
  for (const item of sideObligations(state, now, party, side)) {
    if (emergencies.length + rest.length >= TASKS_LISTED) break;
    if (!isEmergency(state, item)) rest.push(item);
  }
  return [...emergencies, ...rest].slice(0, TASKS_LISTED);
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
    const record = requestAt(state, position);
    if (!record) continue;
    if (record.view.filedAt <= since - skew) break;
    if (examined === NEW_SCAN_BUDGET) return { count, ids, atLeast: true };
    if (record.view.filedAt <= since || record.view.requested !== party) continue;
    count += 1;
    if (ids.length < NEW_LISTED) ids.push(record.id);
  }
  return { count, ids };
}
