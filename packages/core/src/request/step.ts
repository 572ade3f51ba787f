import { ok, type Result } from '../result.ts';
import type { RequestKind, Treaty } from '../treaty/schema.ts';
import type { GroundInvocation } from '../treaty/request-view.ts';
import { fail, type ApplyError } from './apply-error.ts';
import type { EntryBody, EntryType } from './entries.ts';
import type { RequestRecord, RequestStatus, State } from './state.ts';

/** What a transition handler sees: the state before, the treaty in force, the request and the entry. */
export interface Step<T extends EntryType> {
  readonly state: State;
  readonly treaty: Treaty;
  readonly record: RequestRecord;
  readonly author: string;
  readonly time: number;
  readonly body: EntryBody<T>;
}

/** What a transition changes: fields of the request record, and possibly a ground invocation. */
export interface Change {
  readonly patch: Partial<RequestRecord>;
  readonly invocation?: GroundInvocation | undefined;
}

export type StepResult = Result<Change, ApplyError>;

export function change(patch: Partial<RequestRecord>, invocation?: GroundInvocation): StepResult {
  return ok(invocation === undefined ? { patch } : { patch, invocation });
}

/** Refuses a transition from a status it does not start from, naming the legal ones. */
export function requireStatus(record: RequestRecord, allowed: ReadonlySet<RequestStatus> | readonly RequestStatus[], action: string): Result<true, ApplyError> {
  const list = [...allowed];
  if (list.includes(record.status)) return ok(true);
  return fail('ILLEGAL_TRANSITION', `body.request: cannot ${action} request ${record.id} in status ${record.status}; allowed from ${list.join(', ')}`, 'body.request');
}

/** Refuses an act on a kind of request it does not belong to, naming the kinds it does. */
export function requireKind(record: RequestRecord, kinds: readonly RequestKind[], action: string, article: string): Result<true, ApplyError> {
  if (kinds.includes(record.view.kind)) return ok(true);
  return fail('ILLEGAL_TRANSITION', `body.request: cannot ${action} request ${record.id}: it is a ${record.view.kind} request, and only a ${kinds.join(' or ')} request can (${article})`, 'body.request');
}

/** The two-person rule (DESIGN.md "Decisions need two approvers"): two different officials. */
export function requireDistinctApprovers(approvers: readonly string[]): Result<true, ApplyError> {
  const [first, second] = approvers;
  if (first !== second) return ok(true);
  return fail('APPROVERS_NOT_DISTINCT', `body.approvers: the two approvers must be different officials, found "${first}" twice (two-person rule)`, 'body.approvers');
}
