import { change, requireStatus, type Step, type StepResult } from '../request/step.ts';
import { fail } from '../request/apply-error.ts';
import { isEvidenceKind } from './kinds.ts';

/**
 * `request.provide`: the requested party delivers the data it granted a request for (Budapest
 * art. 31; Second Additional Protocol art. 9 for emergencies). The files went through the
 * sealed evidence store and the entry names them by hash, so the delivery, its time and its
 * size in files are public while the data stays sealed to the parties. A preservation grants
 * no delivery: the data is kept for the request that follows it (art. 29(7)).
 */
export function provide(step: Step<'request.provide'>): StepResult {
  const { record, time, body } = step;
  if (!isEvidenceKind(record.view.kind)) {
    return fail('ILLEGAL_TRANSITION', `body.request: request ${record.id} is a ${record.view.kind} request; only a request for data is answered with data`, 'body.request');
  }
  if (record.view.kind === 'preservation') {
    return fail('ILLEGAL_TRANSITION', `body.request: request ${record.id} asks for preservation, which delivers nothing; the requesting party files a request for the preserved data (Budapest art. 29(7))`, 'body.request');
  }
  const status = requireStatus(record, ['granted'], 'deliver the data of');
  if (!status.ok) return status;
  return change({ status: 'provided', providedAt: time, provided: body.evidence });
}
