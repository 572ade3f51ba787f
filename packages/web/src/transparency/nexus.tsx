import type { CaseFigures } from '@evenhand/core/rules';
import { useT } from '../i18n/i18n.tsx';
import type { Titles } from '../i18n/titles.ts';
import type { IncidentLedger } from './incidents.tsx';

/** What a state asked did on some requests, where protection would show. */
interface Conduct {
  readonly party: string;
  readonly requests: number;
  readonly refused: number;
  readonly grounds: Readonly<Record<string, number>>;
  /** Undecided past the decision deadline: the "no answer" of 2021. */
  readonly silent: number;
  /** Prosecutions owed instead of extradition (Budapest art. 24(6)) with no outcome reported. */
  readonly unreported: number;
  /** Of those, the ones whose periodic report is overdue. */
  readonly reportsOverdue: number;
}

/** The figures of an incident or group by the state asked, summed over the parties that asked it. */
function conductOf(statistics: CaseFigures): Conduct[] {
  const byParty = new Map<string, { party: string; requests: number; refused: number; grounds: Record<string, number>; silent: number; unreported: number; reportsOverdue: number }>();
  for (const pair of statistics.pairs) {
    let found = byParty.get(pair.requested);
    if (!found) byParty.set(pair.requested, (found = { party: pair.requested, requests: 0, refused: 0, grounds: {}, silent: 0, unreported: 0, reportsOverdue: 0 }));
    // Requests for data count as much as requests for persons: a refusal to give evidence, or
    // silence, shows the nexus as well (issue 17).
    const data = pair.dataRequests;
    found.requests += pair.filed + pair.provisionalArrests + (data?.filed ?? 0);
    found.refused += pair.refused + (data?.refused ?? 0);
    for (const counts of [pair.refusedByGround, data?.refusedByGround ?? {}]) for (const [ground, count] of Object.entries(counts)) found.grounds[ground] = (found.grounds[ground] ?? 0) + count;
    found.silent += pair.unansweredPastDeadline + (data ? data.unansweredPastDeadline + data.undeliveredPastDeadline : 0);
    found.unreported += pair.prosecutionsOwed - pair.prosecutionsReported;
    found.reportsOverdue += pair.prosecutionReportsOverdue;
  }
  return [...byParty.values()];
}

interface Row {
  readonly key: string;
  readonly group: string;
  readonly incident: string;
  readonly conduct: Conduct;
  /** What a sentence names: a group, or an incident no group is named for. */
  readonly subject: string | null;
}

/**
 * "The state–criminal nexus becomes visible where it shows" (issue 17): refusals, silence past
 * the decision deadline, and prosecutions owed instead of extradition that never reported an
 * outcome, by the group behind the attacks (over all its incidents, then incident by incident)
 * and by the state asked. In plain sentences where something shows, and in full in a table,
 * zeros included, since a state that answered is part of the record too.
 */
export function Nexus({ ledger, titles }: { readonly ledger: IncidentLedger; readonly titles: Titles }) {
  const t = useT();
  const rows: Row[] = [];
  const grouped = new Set<string>();
  for (const group of ledger.groups) {
    for (const conduct of conductOf(group.statistics)) rows.push({ key: `g-${group.group}-${conduct.party}`, group: group.group, incident: t.incidents.allIncidents, conduct, subject: t.incidents.groupSubject(group.group) });
    for (const member of group.incidents) {
      grouped.add(member.id);
      const incident = ledger.incidents.find((item) => item.id === member.id);
      if (incident) for (const conduct of conductOf(incident.statistics)) rows.push({ key: `i-${incident.id}-${conduct.party}`, group: group.group, incident: incident.name, conduct, subject: null });
    }
  }
  for (const incident of ledger.incidents.filter((item) => !grouped.has(item.id))) {
    for (const conduct of conductOf(incident.statistics)) rows.push({ key: `i-${incident.id}-${conduct.party}`, group: t.incidents.noGroup, incident: incident.name, conduct, subject: incident.name });
  }
  const grounds = (conduct: Conduct) => Object.entries(conduct.grounds).map(([ground, count]) => `${titles.ground(ground)}: ${count}`).join(', ');
  const sentences = rows
    .filter((row) => row.subject !== null && (row.conduct.refused > 0 || row.conduct.silent > 0 || row.conduct.unreported > 0))
    .map((row) => {
      const { conduct } = row;
      const parts = [
        ...(conduct.refused > 0 ? [t.incidents.nexusRefused(conduct.refused, grounds(conduct))] : []),
        ...(conduct.silent > 0 ? [t.incidents.nexusSilent(conduct.silent)] : []),
        ...(conduct.unreported > 0 ? [t.incidents.nexusUnreported(conduct.unreported, conduct.reportsOverdue)] : []),
      ];
      return { key: row.key, text: t.incidents.nexusSentence(conduct.party, row.subject!, parts.join('; ')) };
    });
  return (
    <section aria-labelledby="nexus-heading" data-testid="nexus">
      <h2 id="nexus-heading">{t.incidents.nexusHeading}</h2>
      <p>{t.incidents.nexusLede}</p>
      {sentences.length === 0 ? <p>{t.incidents.nexusNone}</p> : (
        <ul className="overdue-sentences" data-testid="nexus-sentences">
          {sentences.map((sentence) => <li key={sentence.key}>{sentence.text}</li>)}
        </ul>
      )}
      {rows.length > 0 ? (
        <div className="table-scroll">
          <table data-testid="nexus-table">
            <thead>
              <tr>
                <th scope="col">{t.incidents.colGroup}</th>
                <th scope="col">{t.incidents.colIncident}</th>
                <th scope="col">{t.incidents.colAsked}</th>
                <th scope="col">{t.incidents.colRequests}</th>
                <th scope="col">{t.incidents.colRefused}</th>
                <th scope="col">{t.incidents.colSilent}</th>
                <th scope="col">{t.incidents.colUnreported}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ key, group, incident, conduct }) => (
                <tr key={key}>
                  <td className="nowrap">{group}</td>
                  <td>{incident}</td>
                  <td>{conduct.party}</td>
                  <td>{conduct.requests}</td>
                  <td>{conduct.refused}{conduct.refused > 0 ? ` (${grounds(conduct)})` : ''}</td>
                  <td className={conduct.silent > 0 ? 'overdue-badge' : undefined}>{conduct.silent}</td>
                  <td className={conduct.reportsOverdue > 0 ? 'overdue-badge' : undefined}>{conduct.unreported}{conduct.unreported > 0 ? ` (${conduct.reportsOverdue})` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
