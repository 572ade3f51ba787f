import { evaluateRequest, isoTime, listRequests, listTrades, type Deadline, type PairStatistics, type State, type UnixSeconds } from '@evenhand/core';

const DAY = 86_400;

/** "in 3 days" / "12 days ago": how far an instant is from now, in whole days. */
export function relativeDays(at: UnixSeconds, now: UnixSeconds): string {
  const days = Math.floor(Math.abs(at - now) / DAY);
  // Under a day, in hours: a request for data runs in hours (issue 17).
  const hours = Math.floor(Math.abs(at - now) / 3_600);
  const span = days > 0 ? `${days} ${days === 1 ? 'day' : 'days'}` : hours > 0 ? `${hours} ${hours === 1 ? 'hour' : 'hours'}` : 'less than an hour';
  return at >= now ? `in ${span}` : `${span} ago`;
}

export function renderRequests(state: State, now: UnixSeconds): string[] {
  const lines: string[] = [];
  for (const record of listRequests(state)) {
    const { view } = record;
    const decision = record.decision;
    const ground = decision?.ground ? ` on ${decision.ground}` : '';
    const reciprocity = decision?.onReciprocity ? ', conditional on reciprocity' : '';
    lines.push(`  ${record.id}  ${view.requesting} -> ${view.requested}  ${view.kind}, ${view.offences.join(', ')}`);
    lines.push(`      subject ${record.pseudonym} (national of ${view.subject.nationalities.join(', ') || 'none'}), filed ${isoTime(view.filedAt).slice(0, 10)} (${relativeDays(view.filedAt, now)})`);
    lines.push(`      status: ${record.status}${ground}${reciprocity}`);
    const evaluation = evaluateRequest(state, record);
    if (evaluation) {
      const grounds = [...evaluation.mandatoryRefusals.map((id) => `${id} (mandatory)`), ...evaluation.availableGrounds.map((id) => (evaluation.mirroredGrounds.includes(id) ? `${id} (mirrored)` : id))];
      lines.push(`      treaty: ${evaluation.extraditable ? 'extraditable' : 'not extraditable'}; grounds open to ${view.requested}: ${grounds.join(', ') || 'none'}`);
    }
  }
  return lines;
}

/** What the owing party must do, for each kind of obligation. */
const OBLIGATIONS: Record<Deadline['kind'], string> = {
  acknowledge: 'acknowledge the request',
  decide: 'decide',
  'reply-to-info-request': 'answer the request for information',
  'reply-to-consultation': 'reply to the consultation',
  surrender: 'surrender the person',
  'file-full-request': 'file the full request',
  'release-from-provisional-arrest': 'release the person from provisional arrest',
  'prosecution-report': 'report on the prosecution',
  provide: 'deliver the data',
  'erase-personal-data': 'erase the personal data',
};

export function renderDeadlines(open: readonly Deadline[], now: UnixSeconds): string[] {
  const sorted = [...open].sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due - b.due || a.request.localeCompare(b.request));
  return sorted.map((deadline) => {
    const when = deadline.overdue ? `OVERDUE since ${isoTime(deadline.due).slice(0, 10)} (${relativeDays(deadline.due, now)})` : `due ${isoTime(deadline.due).slice(0, 10)} (${relativeDays(deadline.due, now)})`;
    return `  ${deadline.overdue ? '!' : ' '} ${deadline.request}  ${deadline.party} must ${OBLIGATIONS[deadline.kind]}: ${when}  [${deadline.article}]`;
  });
}

export function renderStatistics(pairs: readonly PairStatistics[]): string[] {
  const lines: string[] = [];
  for (const pair of pairs) {
    const refusals = Object.entries(pair.refusedByGround).map(([ground, count]) => `${ground} ${count}`);
    const median = pair.medianDaysToDecision === null ? 'no decision yet' : `${pair.medianDaysToDecision.toFixed(1)} days`;
    lines.push(`  ${pair.requesting} -> ${pair.requested}: ${pair.filed} filed${pair.provisionalArrests ? ` (and ${pair.provisionalArrests} provisional arrest${pair.provisionalArrests === 1 ? '' : 's'})` : ''}, ${pair.acknowledgedOnTime} acknowledged on time, ${pair.decided} decided (${pair.decidedOnTime} on time), median ${median} to decision`);
    lines.push(`      granted ${pair.granted} (${pair.grantedConditional} conditional), refused ${pair.refused}${refusals.length ? ` (${refusals.join(', ')})` : ''}, withdrawn ${pair.withdrawn}, pending ${pair.pending}`);
    lines.push(`      unanswered past the deadline: ${pair.unansweredPastDeadline}; unacknowledged past the deadline: ${pair.unacknowledgedPastDeadline}`);
    lines.push(`      prosecutions instead of extradition: ${pair.prosecutionsOwed} owed, ${pair.prosecutionsOpened} opened, ${pair.prosecutionsReported} outcome reported, ${pair.prosecutionReportsOverdue} report overdue`);
    const data = pair.dataRequests;
    if (data.filed > 0) {
      const kinds = Object.entries(data.byKind).map(([kind, count]) => `${kind} ${count}`).join(', ');
      lines.push(`      requests for data: ${data.filed} filed (${kinds}), ${data.decidedOnTime} decided on time, granted ${data.granted}, refused ${data.refused}, delivered ${data.provided} (${data.providedOnTime} on time), pending ${data.pending}, overdue ${data.unansweredPastDeadline + data.undeliveredPastDeadline}`);
    }
  }
  return lines;
}

/** Trades with their legs and who has signed: the reciprocity the log records. */
export function renderTrades(state: State, now: UnixSeconds): string[] {
  return listTrades(state.trades).flatMap((trade) => [
    `  ${trade.id}  ${trade.status}, signed by ${trade.signedBy.join(', ') || 'nobody'} of ${trade.parties.join(', ')}; deadline ${isoTime(trade.deadline).slice(0, 10)} (${relativeDays(trade.deadline, now)})`,
    ...trade.legs.map((leg) => `      ${leg.from} -> ${leg.to}: ${leg.request ? `request ${leg.request}` : `${leg.subject} (${leg.reason})`}`),
  ]);
}
