import type { GroupItem, IncidentItem } from '@evenhand/core/rules';
import { useFormat, useT } from '../i18n/i18n.tsx';
import type { Titles } from '../i18n/titles.ts';

/** The incident ledger as the exchange serves it (/v1/incidents and /v1/groups, core incident-views.ts), at one size and instant. */
export interface IncidentLedger {
  readonly at: number;
  readonly incidents: readonly IncidentItem[];
  readonly groups: readonly GroupItem[];
}

/**
 * The incidents behind the requests (issue 17, "the public page lists incidents, each with its
 * requests and their status"): what was registered about each attack, the figures of the
 * requests that name it, and every such request with its state, its decision and what is
 * overdue on it, naming the state that owes it. Request ids only, never pseudonyms.
 */
export function Incidents({ ledger, titles }: { readonly ledger: IncidentLedger; readonly titles: Titles }) {
  const t = useT();
  return (
    <section aria-labelledby="incidents-heading" data-testid="incidents">
      <h2 id="incidents-heading">{t.incidents.heading}</h2>
      <p>{t.incidents.lede}</p>
      {ledger.incidents.length === 0 ? <p>{t.incidents.none}</p> : ledger.incidents.map((incident) => <Incident key={incident.id} incident={incident} at={ledger.at} titles={titles} />)}
    </section>
  );
}

function Incident({ incident, at, titles }: { readonly incident: IncidentItem; readonly at: number; readonly titles: Titles }) {
  const t = useT();
  const f = useFormat();
  const figures = incident.statistics.figures;
  // Requests for data (issue 17) are counted with those for persons here: the incident's whole record.
  const data = figures.dataRequests;
  const heading = `incident-${incident.id}-heading`;
  return (
    <article aria-labelledby={heading} className="incident" data-testid={`incident-${incident.id}`}>
      <h3 id={heading}>{incident.name}</h3>
      <p className="sub">{t.incidents.meta(incident.date, t.sectors[incident.sector] ?? incident.sector, incident.registeredBy)}</p>
      {incident.group ? <p>{t.incidents.group(incident.group)}</p> : null}
      <p>{incident.description}</p>
      <p data-testid="incident-figures">{t.incidents.figures(figures.filed + figures.provisionalArrests + (data?.filed ?? 0), figures.decided + (data?.decided ?? 0), figures.refused + (data?.refused ?? 0), figures.surrendered, figures.pending + (data?.pending ?? 0))}</p>
      {incident.requests.length === 0 ? (
        <p>{t.incidents.noRequests}</p>
      ) : (
        <div className="table-scroll">
          <table data-testid="incident-requests">
            <caption>{t.incidents.caption(incident.name)}</caption>
            <thead>
              <tr>
                <th scope="col">{t.incidents.colRequest}</th>
                <th scope="col">{t.incidents.colParties}</th>
                <th scope="col">{t.incidents.colStatus}</th>
                <th scope="col">{t.incidents.colDecision}</th>
                <th scope="col">{t.incidents.colOverdue}</th>
              </tr>
            </thead>
            <tbody>
              {incident.requests.map((row) => {
                const decision = row.decision ? (t.decisions[row.decision.kind] ?? row.decision.kind) : null;
                return (
                  <tr key={row.id} data-testid={`incident-request-${row.id}`}>
                    <th scope="row">{row.id}</th>
                    <td className="nowrap">{row.requesting} → {row.requested}</td>
                    <td data-testid="status">{t.statuses[row.status] ?? row.status}</td>
                    <td>{decision && row.decision?.ground ? t.incidents.decisionOn(decision, titles.ground(row.decision.ground)) : (decision ?? '—')}</td>
                    <td className={row.overdue.length > 0 ? 'overdue-badge' : undefined}>
                      {row.overdue.length === 0 ? t.incidents.noneOverdue : row.overdue.map((item) => t.incidents.overdueItem(item.party, t.obligations[item.kind] ?? item.kind, f.days(at - item.due))).join('; ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {incident.requestsNext ? (
        <p>
          {t.incidents.more(incident.requestCount)} <a href={`/v1/incidents/${encodeURIComponent(incident.id)}`}>{`/v1/incidents/${incident.id}`}</a>
        </p>
      ) : null}
    </article>
  );
}
