import { fail } from './apply-error.ts';
import type { ProsecutionMilestone, ProsecutionRecord } from './state.ts';
import { change, requireStatus, type Step, type StepResult } from './step.ts';

/**
 * Extradite or prosecute (Budapest art. 24(6); ECE art. 6(2)): after a refusal that
 * opens a domestic prosecution, the requested party reports its milestones in order
 * (opened, charged, tried, verdict, sentence; "progress" reports in between) and finally
 * the outcome. Every report restarts the reporting period.
 */

const ORDER: Readonly<Record<Exclude<ProsecutionMilestone, 'progress'>, number>> = { opened: 0, charged: 1, tried: 2, verdict: 3, sentence: 4 };

function lastRank(prosecution: ProsecutionRecord): number {
  let rank = -1;
  for (const { milestone } of prosecution.milestones) if (milestone !== 'progress') rank = Math.max(rank, ORDER[milestone]);
  return rank;
}

export function milestone(step: Step<'prosecution.milestone'>): StepResult {
  const { record, body, time } = step;
  const status = requireStatus(record, ['refused-prosecute-instead'], 'report a prosecution milestone for');
  if (!status.ok) return status;
  const prosecution = record.prosecution ?? { milestones: [], lastReportAt: time };
  const rank = lastRank(prosecution);
  if (body.milestone === 'progress') {
    if (rank < 0) return fail('ILLEGAL_TRANSITION', `body.milestone: the prosecution of request ${record.id} must be opened before progress is reported`, 'body.milestone');
  } else if (ORDER[body.milestone] <= rank) {
    const reached = Object.entries(ORDER).find(([, value]) => value === rank)?.[0];
    return fail('ILLEGAL_TRANSITION', `body.milestone: ${body.milestone} cannot follow ${reached}; milestones run opened, charged, tried, verdict, sentence`, 'body.milestone');
  } else if (rank < 0 && body.milestone !== 'opened') {
    return fail('ILLEGAL_TRANSITION', `body.milestone: the first milestone of the prosecution of request ${record.id} is opened, found ${body.milestone}`, 'body.milestone');
  }
  return change({ prosecution: { ...prosecution, milestones: [...prosecution.milestones, { milestone: body.milestone, at: time }], lastReportAt: time } });
}

export function outcome(step: Step<'prosecution.outcome'>): StepResult {
  const { record, body, time } = step;
  const status = requireStatus(record, ['refused-prosecute-instead'], 'report the prosecution outcome for');
  if (!status.ok) return status;
  const prosecution = record.prosecution ?? { milestones: [], lastReportAt: time };
  if (lastRank(prosecution) < 0) return fail('ILLEGAL_TRANSITION', `body.outcome: the prosecution of request ${record.id} was never opened`, 'body.outcome');
  if (body.sentenceMonths !== undefined && body.outcome !== 'convicted') {
    return fail('BODY_INVALID', `body.sentenceMonths: only a conviction carries a sentence, found outcome ${body.outcome}`, 'body.sentenceMonths');
  }
  return change({
    status: 'outcome-reported',
    prosecution: { ...prosecution, lastReportAt: time, outcome: { outcome: body.outcome, sentenceMonths: body.sentenceMonths, at: time } },
  });
}
