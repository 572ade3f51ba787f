import { decisionClock } from '../deadlines/clocks.ts';
import { isoTime } from '../time.ts';
import { fail } from './apply-error.ts';
import { PERSON_KINDS, UNDECIDED, WITHDRAWABLE, type RequestRecord } from './state.ts';
import { change, requireKind, requireStatus, type Step, type StepResult } from './step.ts';
import { reasonsGiven } from './sealed-members.ts';
import { keptWord, treatyWords } from './kept-words.ts';

/**
 * Transitions of the review phase (reference/domain.md (c) 2-4): acknowledgement, arrest,
 * requests for information, consent, extension, consultation, and withdrawal.
 */

export function acknowledge(step: Step<'request.acknowledge'>): StepResult {
  const status = requireStatus(step.record, ['filed'], 'acknowledge');
  if (!status.ok) return status;
  return change({ status: 'acknowledged', acknowledgedAt: step.time });
}

/** The requested party arrests the person: starts the ECE art. 16 clocks, or the FD art. 17(3) one. */
export function arrest(step: Step<'request.arrest'>): StepResult {
  const { record } = step;
  const kind = requireKind(record, PERSON_KINDS, 'record an arrest for', 'a request for data names no one to arrest');
  if (!kind.ok) return kind;
  if (record.arrestedAt !== undefined) return fail('ALREADY_DONE', `body.request: the person of request ${record.id} was already arrested at ${isoTime(record.arrestedAt)}`, 'body.request');
  const status = requireStatus(record, WITHDRAWABLE, 'record an arrest for');
  if (!status.ok) return status;
  return change({ arrestedAt: step.time });
}

/** ECE art. 13: the requested party may ask for supplementary information. */
export function askInfo(step: Step<'request.ask-info'>): StepResult {
  const status = requireStatus(step.record, ['acknowledged', 'info-supplied'], 'ask for information on');
  if (!status.ok) return status;
  return change({ status: 'info-requested', infoAskedAt: step.time });
}

export function supplyInfo(step: Step<'request.supply-info'>): StepResult {
  const status = requireStatus(step.record, ['info-requested'], 'supply information for');
  if (!status.ok) return status;
  return change({ status: 'info-supplied', ...endInfoPause(step.record, step.time) });
}

/** Closes the open request for information at `time`, keeping its span for the decision clock. */
export function endInfoPause(record: RequestRecord, time: number): Pick<RequestRecord, 'infoAskedAt' | 'infoPauses'> {
  if (record.status !== 'info-requested' || record.infoAskedAt === undefined) return { infoAskedAt: record.infoAskedAt, infoPauses: record.infoPauses };
  return { infoAskedAt: undefined, infoPauses: [...record.infoPauses, { from: record.infoAskedAt, to: time }] };
}

/**
 * FD 2002/584 arts. 13 and 17(2): the arrested person consents to surrender before the
 * executing authority, and the decision is then due within 10 days. Consent is given once,
 * by a person in custody, before the decision.
 */
export function consent(step: Step<'request.consent'>): StepResult {
  const { record } = step;
  const kind = requireKind(record, ['extradition'], 'record consent for', 'FD 2002/584 art. 13');
  if (!kind.ok) return kind;
  if (record.consentAt !== undefined) return fail('ALREADY_DONE', `body.request: consent to request ${record.id} was already recorded at ${isoTime(record.consentAt)}`, 'body.request');
  const status = requireStatus(record, UNDECIDED, 'record consent for');
  if (!status.ok) return status;
  if (record.arrestedAt === undefined) {
    return fail('ILLEGAL_TRANSITION', `body.request: the person of request ${record.id} must be arrested (request.arrest) before consenting (FD 2002/584 art. 13)`, 'body.request');
  }
  return change({ consentAt: step.time });
}

/** FD 2002/584 art. 17(4): the decision period may be extended once, with reasons, before it ends. */
export function extend(step: Step<'request.extend'>): StepResult {
  const { record, treaty, time } = step;
  const kind = requireKind(record, ['extradition'], 'extend the decision period of', 'FD 2002/584 art. 17(4)');
  if (!kind.ok) return kind;
  const status = requireStatus(record, UNDECIDED, 'extend the decision period of');
  if (!status.ok) return status;
  if (record.extendedAt !== undefined) {
    return fail('ALREADY_DONE', `body.request: the decision period of request ${record.id} was already extended at ${isoTime(record.extendedAt)}; it may be extended once (FD 2002/584 art. 17(4))`, 'body.request');
  }
  if (!reasonsGiven(step.body.sealed)) return fail('REASONS_REQUIRED', 'body.sealed.reasons: an extension must give reasons (FD 2002/584 art. 17(4))', 'body.sealed.reasons');
  const clock = decisionClock(treaty, record, time);
  if (time > clock.due) {
    return fail('DEADLINE_PASSED', `time: the decision on request ${record.id} was due at ${isoTime(clock.due)} (${clock.article}); a period that has ended cannot be extended`, 'time');
  }
  return change({ extendedAt: time });
}

/** UNTOC art. 16(16): before refusing on certain grounds, the requested party consults. */
export function consult(step: Step<'request.consult'>): StepResult {
  const { record, treaty, body } = step;
  // Consultation before refusing (UNTOC art. 16(16)) is a clause of extradition: a request for
  // data runs in hours, and its refusal needs none (docs/evidence-requests.md).
  const kind = requireKind(record, PERSON_KINDS, 'consult on', 'UNTOC art. 16(16): consultation before refusing a person');
  if (!kind.ok) return kind;
  const status = requireStatus(record, UNDECIDED, 'consult on');
  if (!status.ok) return status;
  if (!treaty.grounds.some((ground) => ground.id === body.ground)) {
    return fail('GROUND_UNKNOWN', `body.ground: "${body.ground}" is not a ground of the treaty (${treaty.grounds.map((ground) => ground.id).join(', ')})`, 'body.ground');
  }
  // The ground as the treaty's word: one copy for all the records (kept-words.ts).
  return change({ consultations: [...record.consultations, { ground: keptWord(body.ground, treatyWords(treaty)), at: step.time }] });
}

/** The requesting party's reply answers every consultation still open on the request. */
export function consultReply(step: Step<'request.consult-reply'>): StepResult {
  const { record, time } = step;
  if (!record.consultations.some((entry) => entry.repliedAt === undefined)) {
    return fail('NO_OPEN_CONSULTATION', `body.request: request ${record.id} has no open consultation to reply to`, 'body.request');
  }
  const status = requireStatus(record, UNDECIDED, 'reply to a consultation on');
  if (!status.ok) return status;
  return change({ consultations: record.consultations.map((entry) => (entry.repliedAt === undefined ? { ...entry, repliedAt: time } : entry)) });
}

/** Withdrawal by the requesting party from any state before surrender (reference/domain.md (c) 8). */
export function withdraw(step: Step<'request.withdraw'>): StepResult {
  const status = requireStatus(step.record, WITHDRAWABLE, 'withdraw');
  if (!status.ok) return status;
  return change({ status: 'withdrawn', withdrawnAt: step.time, ...endInfoPause(step.record, step.time) });
}

/**
 * The record that a decision proposal inside the requested party's gateway ended without a
 * decision (withdrawn, rejected, overtaken). It changes nothing but the history: a proposal
 * is the gateway's two-person process, never a decision, so it neither starts nor stops a
 * clock, and it may be recorded whatever the request's status (a withdrawal by the requesting
 * party is what overtakes a proposal most often).
 */
export function closeProposal(_step: Step<'request.proposal-closed'>): StepResult {
  return change({});
}
