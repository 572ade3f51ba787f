import { addDays, isoTime, type UnixSeconds } from '../time.ts';
import { REQUEST_KINDS, type Treaty } from '../treaty/schema.ts';
import { isEvidenceKind } from '../evidence/kinds.ts';
import { evaluate, type Evaluation } from '../treaty/evaluate.ts';
import { ok, type Result } from '../result.ts';
import { consultationDays } from '../deadlines/clocks.ts';
import { fail, type ApplyError } from './apply-error.ts';
import { keptList, mergeFindings, type RequestRecord } from './state.ts';
import { change, requireDistinctApprovers, requireKind, requireStatus, type Step, type StepResult } from './step.ts';
import { endInfoPause } from './review.ts';
import { reasonsGiven } from './sealed-members.ts';
import { keptWord, treatyWords } from './kept-words.ts';

/**
 * The requested party's decision (DESIGN.md "Request lifecycle", "Evaluation explains
 * itself"). The decision must be consistent with `evaluate` on the request, with the
 * requested party's findings added to the filing's facts, in the state before the entry:
 * no grant while a mandatory refusal applies, a refusal cites a ground that is available
 * (mirrored ones included), conditions match the assurances required.
 */
export function decide(step: Step<'request.decide'>): StepResult {
  const { record, treaty, state, body, time } = step;
  const kind = requireKind(record, DECIDED_KINDS, 'decide', 'ECE art. 16(4): a provisional arrest is followed by a full request, which is decided');
  if (!kind.ok) return kind;
  const forData = checkDataDecision(step);
  if (!forData.ok) return forData;
  const status = requireStatus(record, ['acknowledged', 'info-requested', 'info-supplied'], 'decide');
  if (!status.ok) return status;
  const distinct = requireDistinctApprovers(body.approvers);
  if (!distinct.ok) return distinct;

  const view = { ...record.view, facts: mergeFindings(record.view.facts, body.findings) };
  const evaluation = evaluate(treaty, view, state);
  // The decision and its grounds as words of the treaty: one copy of each for all the records (kept-words.ts).
  const words = treatyWords(treaty);
  const stated = body.ground === undefined ? undefined : keptWord(body.ground, words);
  const assurances = keptList(body.assurances.map((assurance) => keptWord(assurance, words)));
  const decision = { kind: keptWord(body.decision, words), at: time, ground: stated, assurances, onReciprocity: body.onReciprocity, approvers: body.approvers };
  // A decision made while a question is open ends that pause of the decision clock.
  const pause = endInfoPause(record, time);

  if (body.decision === 'grant' || body.decision === 'grant-conditional') {
    const checked = checkGrant(step, evaluation);
    if (!checked.ok) return checked;
    // A granted preservation keeps the data for the treaty's period (Budapest art. 29(7)).
    if (record.view.kind === 'preservation') return change({ status: 'preserved', view, decision, preservedUntil: addDays(time, treaty.evidence?.preservationDays ?? 0), ...pause });
    if (body.decision === 'grant') return change({ status: 'granted', view, decision, readyAt: time, ...pause });
    return change({ status: 'granted-conditional', view, decision, ...pause });
  }

  const checked = checkRefusal(step, evaluation);
  if (!checked.ok) return checked;
  const ground = keptWord(checked.value, words);
  const invocation = { by: record.view.requested, against: record.view.requesting, ground };
  if (body.decision === 'refuse') return change({ status: 'refused', view, decision, ...pause }, invocation);
  return change({ status: 'refused-prosecute-instead', view, decision, prosecution: { milestones: [], lastReportAt: time }, ...pause }, invocation);
}

/** Every kind that is decided: all but the provisional arrest, which a full request follows. */
const DECIDED_KINDS = REQUEST_KINDS.filter((kind) => kind !== 'provisional-arrest');

/**
 * A request for data is granted or refused, nothing in between: no grant conditional on
 * reciprocity, since trades exchange persons (issue 17: requests for data are never traded),
 * and no prosecution instead, which answers a refusal to extradite (Budapest art. 24(6)).
 */
function checkDataDecision(step: Step<'request.decide'>): Result<true, ApplyError> {
  const { record, body } = step;
  if (!isEvidenceKind(record.view.kind)) return ok(true);
  if (body.decision === 'grant' || body.decision === 'refuse') return ok(true);
  const why = body.decision === 'grant-conditional' ? 'it is granted or refused, never traded or conditioned' : 'prosecution instead answers a refusal to extradite (Budapest art. 24(6))';
  return fail('DECISION_INCONSISTENT', `body.decision: request ${record.id} is a ${record.view.kind} request: ${why}`, 'body.decision');
}

function checkGrant(step: Step<'request.decide'>, evaluation: Evaluation): Result<true, ApplyError> {
  const { body, treaty } = step;
  if (body.ground !== undefined) return fail('DECISION_INCONSISTENT', `body.ground: a grant cites no refusal ground, found "${body.ground}"`, 'body.ground');
  if (evaluation.mandatoryRefusals.length > 0) {
    const rules = evaluation.rules.filter((rule) => !rule.passed && evaluation.mandatoryRefusals.some((ground) => rule.rule === `ground:${ground}` || rule.rule === 'extraditable'));
    const why = rules.map((rule) => `${rule.rule} (${rule.article}): ${rule.detail}`).join('; ');
    return fail('MANDATORY_REFUSAL_APPLIES', `body.decision: no grant while a mandatory refusal applies: ${evaluation.mandatoryRefusals.join(', ')}${why ? ` — ${why}` : ''}`, 'body.decision');
  }
  const required = evaluation.assurancesRequired;
  if (body.decision === 'grant') {
    if (required.length > 0) {
      return fail('ASSURANCES_REQUIRED', `body.decision: a grant must be conditional on the assurances ${required.join(', ')} (ECE art. 11); use grant-conditional`, 'body.decision');
    }
    if (body.assurances.length > 0 || body.onReciprocity) {
      return fail('DECISION_INCONSISTENT', 'body.decision: a plain grant carries no conditions; conditions need grant-conditional', 'body.decision');
    }
    return ok(true);
  }
  if (body.onReciprocity && !treaty.reciprocity.conditionalGrants) {
    return fail('RECIPROCITY_NOT_ALLOWED', 'body.onReciprocity: the treaty does not allow grants conditional on reciprocity (reciprocity.conditionalGrants is false)', 'body.onReciprocity');
  }
  if (!body.onReciprocity && body.assurances.length === 0) {
    return fail('CONDITIONS_MISSING', 'body.assurances: a conditional grant needs assurances or onReciprocity', 'body.assurances');
  }
  const given = new Set(body.assurances);
  const missing = required.filter((assurance) => !given.has(assurance));
  const extra = body.assurances.filter((assurance) => !required.includes(assurance));
  if (missing.length > 0 || extra.length > 0 || given.size !== body.assurances.length) {
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `not required ${extra.join(', ')}` : '', given.size !== body.assurances.length ? 'listed twice' : ''].filter(Boolean);
    return fail('ASSURANCES_MISMATCH', `body.assurances: the conditions must equal the assurances required (${required.join(', ') || 'none'}): ${parts.join('; ')}`, 'body.assurances');
  }
  return ok(true);
}

/** Returns the ground a valid refusal cites. */
function checkRefusal(step: Step<'request.decide'>, evaluation: Evaluation): Result<string, ApplyError> {
  const { body, record, treaty, time } = step;
  const ground = body.ground;
  if (ground === undefined) return fail('DECISION_INCONSISTENT', 'body.ground: a refusal must cite a ground', 'body.ground');
  if (body.assurances.length > 0 || body.onReciprocity) {
    const field = body.assurances.length > 0 ? 'body.assurances' : 'body.onReciprocity';
    return fail('DECISION_INCONSISTENT', `${field}: a refusal carries no conditions`, field);
  }
  // FD 2002/584 art. 17(6); ECE art. 18(1): every refusal is reasoned.
  if (!reasonsGiven(body.sealed)) return fail('REASONS_REQUIRED', 'body.sealed.reasons: a refusal must give reasons (FD 2002/584 art. 17(6))', 'body.sealed.reasons');
  const citable = [...evaluation.mandatoryRefusals, ...evaluation.availableGrounds];
  if (!citable.includes(ground)) {
    const rule = evaluation.rules.find((candidate) => candidate.rule === `ground:${ground}`);
    const why = rule ? ` — ${rule.rule} (${rule.article}): ${rule.detail}` : treaty.grounds.some((candidate) => candidate.id === ground) ? '' : ' — it is not a ground of the treaty';
    return fail('GROUND_NOT_AVAILABLE', `body.ground: "${ground}" is not available for request ${record.id}; available: ${citable.join(', ') || 'none'}${why}`, 'body.ground');
  }
  const prosecute = evaluation.prosecuteInsteadGrounds.includes(ground);
  if (prosecute && body.decision === 'refuse') {
    return fail('PROSECUTION_REQUIRED', `body.decision: a refusal on ${ground} must be refuse-prosecute (${treaty.extraditeOrProsecute.article})`, 'body.decision');
  }
  if (!prosecute && body.decision === 'refuse-prosecute') {
    return fail('PROSECUTION_NOT_APPLICABLE', `body.decision: refuse-prosecute applies to ${evaluation.prosecuteInsteadGrounds.join(', ') || 'no ground available here'}, not ${ground} (${treaty.extraditeOrProsecute.article})`, 'body.decision');
  }
  if (evaluation.consultation.some((entry) => entry.ground === ground)) {
    const period = consultationDays(treaty, ground);
    const days = period?.days ?? 0;
    const consultations = record.consultations.filter((entry) => entry.ground === ground);
    if (consultations.length === 0) {
      return fail('CONSULTATION_REQUIRED', `body.ground: before refusing on ${ground}, consult the requesting party (request.consult citing ${ground}) and allow ${days} days (${period?.article ?? 'treaty consultation'})`, 'body.ground');
    }
    const settled = consultations.some((entry) => entry.repliedAt !== undefined || time >= addDays(entry.at, days));
    if (!settled) {
      const earliest = Math.min(...consultations.map((entry) => addDays(entry.at, days)));
      // A waiting period, not a bar: the same refusal applies from `earliest` (decisionWaitEnds).
      return fail('CONSULTATION_PENDING', `body.ground: the consultation on ${ground} has neither a reply nor ${days} elapsed days; refusal possible from ${isoTime(earliest)} (${period?.article ?? 'treaty consultation'})`, 'body.ground');
    }
  }
  return ok(ground);
}

/**
 * When a decision refused only for a waiting period (CONSULTATION_PENDING) could be made: the
 * earliest end of a consultation period on its ground, unless the requesting party replies
 * first. Undefined when the decision waits for nothing.
 */
export function decisionWaitEnds(treaty: Treaty, record: RequestRecord, ground: string | undefined): UnixSeconds | undefined {
  if (ground === undefined) return undefined;
  const period = consultationDays(treaty, ground);
  const open = record.consultations.filter((entry) => entry.ground === ground && entry.repliedAt === undefined);
  if (open.length === 0) return undefined;
  return Math.min(...open.map((entry) => addDays(entry.at, period?.days ?? 0)));
}
