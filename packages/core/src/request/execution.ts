import { dateToUnix, SECONDS_PER_DAY } from '../time.ts';
import { fail } from './apply-error.ts';
import { change, requireKind, requireStatus, type Step, type StepResult } from './step.ts';
import { keptWord, treatyWords } from './kept-words.ts';

/**
 * After a grant: assurances (ECE art. 11; domain.md (c) 5 GRANTED_WITH_CONDITIONS →
 * ASSURANCES_RECEIVED), surrender scheduling and surrender (FD 2002/584 art. 23), and the
 * receiving party's confirmation (domain.md (c) 6).
 */

export function assure(step: Step<'request.assure'>): StepResult {
  const { record, body, time } = step;
  const status = requireStatus(record, ['granted-conditional'], 'give assurances for');
  if (!status.ok) return status;
  const required = record.decision?.assurances ?? [];
  const unknown = body.assurances.filter((assurance) => !required.includes(assurance));
  if (unknown.length > 0) {
    return fail('ASSURANCE_NOT_REQUIRED', `body.assurances: the grant of request ${record.id} requires ${required.join(', ') || 'no assurances'}, found ${unknown.join(', ')}`, 'body.assurances');
  }
  const fresh = body.assurances.filter((assurance) => !record.assurancesGiven.includes(assurance));
  if (fresh.length === 0) return fail('ALREADY_DONE', `body.assurances: ${body.assurances.join(', ')} already given for request ${record.id}`, 'body.assurances');
  // Each assurance as the treaty's word: one copy for all the records (kept-words.ts).
  const words = treatyWords(step.treaty);
  const assurancesGiven = [...record.assurancesGiven, ...new Set(fresh.map((assurance) => keptWord(assurance, words)))];
  const complete = required.every((assurance) => assurancesGiven.includes(assurance));
  // A grant on assurances only becomes an ordinary grant once every assurance is in; one
  // also conditional on reciprocity stays available as a trade leg (DESIGN.md "Trades").
  if (complete && record.decision?.onReciprocity !== true) return change({ assurancesGiven, status: 'granted', readyAt: time });
  return change({ assurancesGiven });
}

export function scheduleSurrender(step: Step<'request.schedule-surrender'>): StepResult {
  const { record, body, time } = step;
  const kind = requireKind(record, ['extradition'], 'schedule a surrender for', 'a request for data is answered with data (request.provide)');
  if (!kind.ok) return kind;
  const status = requireStatus(record, ['granted', 'surrender-scheduled'], 'schedule the surrender for');
  if (!status.ok) return status;
  const day = dateToUnix(body.date);
  if (day === undefined) return fail('DATE_INVALID', `body.date: "${body.date}" is not a calendar date`, 'body.date');
  if (day + SECONDS_PER_DAY <= time) return fail('DATE_INVALID', `body.date: ${body.date} is already past at the time of the entry`, 'body.date');
  return change({ status: 'surrender-scheduled', surrenderDate: body.date });
}

export function surrender(step: Step<'request.surrender'>): StepResult {
  const status = requireStatus(step.record, ['surrender-scheduled'], 'surrender the person of');
  if (!status.ok) return status;
  return change({ status: 'surrendered', surrenderedAt: step.time });
}

/** The receiving (requesting) party confirms receipt: the handover is complete. */
export function confirmReceipt(step: Step<'request.confirm-receipt'>): StepResult {
  const status = requireStatus(step.record, ['surrendered'], 'confirm receipt for');
  if (!status.ok) return status;
  return change({ status: 'received', receivedAt: step.time });
}
