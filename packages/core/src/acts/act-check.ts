import { ok, type Result } from '../result.ts';
import type { UnixSeconds } from '../time.ts';
import { applyUnsigned } from '../request/apply.ts';
import type { ApplyError } from '../request/apply-error.ts';
import { decisionWaitEnds } from '../request/decision.ts';
import type { AnyDomainEntry, EntryType } from '../request/entries.ts';
import { getRequest, type State } from '../request/state.ts';
import { TWO_PERSON_ACTS } from './official-roles.ts';
import { SEALED_MEMBERS, SEALED_REQUIRED } from '../request/sealed-members.ts';

/**
 * The sealed member an official writes when acting, and whether `apply` always requires it
 * (request/sealed-members.ts). A check made before the official has written it puts a
 * stand-in there, since no rule reads sealed content (DESIGN.md "Confidentiality").
 */
export function sealedMemberOf(type: EntryType): { readonly name: string; readonly required: boolean } | undefined {
  const name = SEALED_MEMBERS[type]?.[0];
  return name === undefined ? undefined : { name, required: SEALED_REQUIRED.has(type) };
}

/** Two distinct stand-ins for the approvers of a two-person act, checked before both are known. */
export const STAND_IN_APPROVERS: readonly string[] = ['approver-first', 'approver-second'];

/**
 * The body an act would be signed with: the official's choices (`params`), the target, and
 * stand-ins where the official's own text or the second approver are not known yet.
 */
export function bodyFor(type: EntryType, target: Record<string, unknown>, params: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { ...params, ...target };
  const sealed = sealedMemberOf(type);
  if (sealed && body.sealed === undefined) body.sealed = { [sealed.name]: '(to be written by the official)' };
  if (TWO_PERSON_ACTS.has(type) && body.approvers === undefined) body.approvers = [...STAND_IN_APPROVERS];
  return body;
}

/** When an act that applies would apply: now, or at the end of a waiting period. */
export interface ActTiming {
  /** Set when the act applies only from this instant (a consultation period still running). */
  readonly from?: UnixSeconds | undefined;
}

/**
 * Whether `author` may write this entry at `now`, by the same `apply` every verifier runs.
 * Waiting periods are the one thing that may pass by themselves: a decision refused only
 * because a consultation period has not ended (CONSULTATION_PENDING) is checked again at the
 * instant that period ends, and answered with that instant. Anything else refused now is
 * refused. The approvers' signatures are not checked: the act is checked before they sign it.
 * The state is never changed.
 */
export function checkAct(state: State, entry: AnyDomainEntry): Result<ActTiming, ApplyError> {
  const now = applyUnsigned(state, entry);
  if (now.ok) return ok({});
  if (now.error.code !== 'CONSULTATION_PENDING' || entry.type !== 'request.decide') return now;
  const record = getRequest(state, entry.body.request);
  const from = record && state.treaty ? decisionWaitEnds(state.treaty, record, entry.body.ground) : undefined;
  if (from === undefined || from <= entry.time) return now;
  const later = applyUnsigned(state, { ...entry, time: from });
  return later.ok ? ok({ from }) : later;
}
