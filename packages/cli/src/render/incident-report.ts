import { getRequest, incidentAt, incidentRequestIds, incidentStatistics, type State, type UnixSeconds } from '@evenhand/core';

/**
 * The incident ledger in plain text (issue 17): each registered incident with its requests'
 * status and the figures that show a state's refusals, silence and unreported prosecutions.
 */
export function renderIncidents(state: State, now: UnixSeconds): string[] {
  const lines: string[] = [];
  for (let position = 0; incidentAt(state.incidents, position); position++) {
    const incident = incidentAt(state.incidents, position)!;
    const group = incident.group ? `, group ${incident.group}` : '';
    lines.push(`  ${incident.id}  ${incident.name}, ${incident.date}, ${incident.sector}${group} (registered by ${incident.registeredBy})`);
    const requests = incidentRequestIds(state.incidents, incident.id).map((id) => `${id} ${getRequest(state, id)?.status ?? '?'}`);
    lines.push(`      requests: ${requests.join(', ') || 'none yet'}`);
    const figures = incidentStatistics(state, incident.id, now)?.figures;
    if (!figures) continue;
    const grounds = Object.entries(figures.refusedByGround).map(([ground, count]) => `${ground}: ${count}`).join(', ');
    lines.push(
      `      figures: ${figures.filed} filed, ${figures.decided} decided, ${figures.refused} refused${grounds ? ` (${grounds})` : ''}, ${figures.surrendered} handed over, ` +
        `${figures.unansweredPastDeadline} unanswered past the deadline, ${figures.prosecutionsOwed - figures.prosecutionsReported} prosecution(s) with no outcome reported (${figures.prosecutionReportsOverdue} report(s) overdue)`,
    );
  }
  return lines;
}
