import { useState, type ReactNode } from 'react';
import { useFormat, useT } from '../i18n/i18n.tsx';
import { api, ApiError } from '../shared/http.ts';
import { download, toCsv } from '../shared/csv.ts';
import { Empty, ErrorNote, errorText, Loading } from '../shared/status.tsx';
import { MoreButton } from '../shared/more-button.tsx';
import { pagesUpTo, usePages } from '../shared/pages.ts';
import { previousVisit, useLive } from './live.tsx';
import { ProposalsAwaiting } from './proposals-awaiting.tsx';
import { href, setQuery, useQuery } from './router.ts';
import { useIncidents } from './incidents.ts';
import { post, useMe } from './session.tsx';
import { useTitles } from './treaty-context.tsx';
import type { RequestPage, RequestRow } from './types.ts';
import { useNow } from './use-now.ts';

export const STATUSES = ['filed', 'acknowledged', 'info-requested', 'info-supplied', 'granted', 'granted-conditional', 'refused', 'refused-prosecute-instead', 'surrender-scheduled', 'surrendered', 'received', 'outcome-reported', 'withdrawn', 'superseded', 'preserved', 'provided'];

/** Rows per page (the gateway allows up to 200). */
const PAGE = 50;

/** The list's filters as they stand in the URL, with their defaults. */
function filtersOf(query: URLSearchParams) {
  return {
    direction: query.get('direction') ?? 'all',
    status: query.get('status') ?? '',
    owed: query.get('owed') ?? '',
    overdue: query.get('overdue') === '1',
    q: query.get('q') ?? '',
    sort: query.get('sort') ?? 'due',
    /** Only the requests naming this incident (issue 17). */
    incident: query.get('incident') ?? '',
  };
}

function apiQuery(filters: ReturnType<typeof filtersOf>, limit: number, after = ''): string {
  const params = new URLSearchParams({ direction: filters.direction, sort: filters.sort, limit: String(limit) });
  if (filters.status) params.set('status', filters.status);
  if (filters.owed) params.set('owed', filters.owed);
  if (filters.overdue) params.set('overdue', 'true');
  if (filters.q.trim()) params.set('q', filters.q.trim());
  if (filters.incident) params.set('incident', filters.incident);
  if (after) params.set('after', after);
  return params.toString();
}

/**
 * Inbox and outbox (issue 5, 15): the requests this state is a party to, from the gateway's own
 * verified replay, searched, filtered, ordered and paged by the gateway, every choice in the URL.
 * The gateway examines a bounded number of requests per page (issue 14), so a page may be short,
 * or empty, and still have more: "More" reads on from where it stopped.
 * Overdue deadlines stand out by colour and by the word, and tell whose they are; incoming
 * requests filed since the official's last visit are marked new.
 */
export function RequestsPage() {
  const t = useT();
  const me = useMe();
  const live = useLive();
  const filters = filtersOf(useQuery());
  const query = apiQuery(filters, PAGE);
  const pages = usePages((after) => api<RequestPage>('GET', `/api/requests?${apiQuery(filters, PAGE, after)}`), query, live.version);
  const { first: loaded, reload } = pages;
  const incidents = useIncidents(live.version);
  const incidentNames = new Map(incidents.state === 'ready' ? incidents.value.map((incident) => [incident.id, incident.name] as const) : []);
  const [search, setSearch] = useState(filters.q);
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<{ error: boolean; text: string } | null>(null);
  const change = (changes: Record<string, string>) => setQuery(changes);
  const title = filters.direction === 'incoming' ? t.requests.inbox : filters.direction === 'outgoing' ? t.requests.outbox : t.requests.both;

  const acknowledge = async () => {
    const done: string[] = [];
    const failed: string[] = [];
    // One signed entry per request, as if acknowledged one by one.
    for (const id of chosen) {
      try {
        await post(me, `/api/requests/${encodeURIComponent(id)}/actions/acknowledge`, {});
        done.push(id);
      } catch (caught) {
        failed.push(t.requests.acknowledgeFailed(id, caught instanceof ApiError ? errorText(t, caught) : String(caught)));
      }
    }
    setChosen(new Set());
    setNotice(failed.length > 0 ? { error: true, text: [t.requests.acknowledged(done.length), ...failed].join(' ') } : { error: false, text: t.requests.acknowledged(done.length) });
    reload();
  };

  const exportCsv = async () => {
    // Every page of the current filters, 200 at a time, bounded (a sparse filter gives short pages).
    const { items: rows, cut } = await pagesUpTo((after) => api<RequestPage>('GET', `/api/requests?${apiQuery(filters, 200, after)}`), 1_000);
    setNotice(cut ? { error: true, text: t.requests.exportCut(rows.length) } : null);
    const header = [t.requests.colRequest, t.requests.colDirection, t.requests.colCounterpart, t.requests.colState, t.requests.colOffences, t.requests.colFiled, t.requests.colNext, 'due'];
    download(`${me.party}-requests.csv`, toCsv(header, rows.map((row) => [row.id, row.direction, row.counterpart, t.statuses[row.status] ?? row.status, row.offences.join(' '), new Date(row.filedAt * 1000).toISOString(), row.nextDeadline ? `${row.nextDeadline.kind} (${row.nextDeadline.party})` : '', row.nextDeadline ? new Date(row.nextDeadline.due * 1000).toISOString() : ''])));
  };

  return (
    <>
      <h2 id="route-heading" tabIndex={-1}>{title}</h2>
      <ProposalsAwaiting />
      <form className="filters" aria-label={t.requests.filters} role="search" onSubmit={(event) => { event.preventDefault(); change({ q: search }); }}>
        <div className="grow">
          <label htmlFor="filter-q">{t.requests.search}</label>
          <input id="filter-q" type="search" value={search} onChange={(event) => setSearch(event.target.value)} onBlur={() => search !== filters.q && change({ q: search })} />
        </div>
        <Select id="filter-direction" label={t.requests.direction} value={filters.direction} onChange={(value) => change({ direction: value === 'all' ? '' : value })}>
          <option value="all">{t.requests.directionAll}</option>
          <option value="incoming">{t.requests.directionIncoming}</option>
          <option value="outgoing">{t.requests.directionOutgoing}</option>
        </Select>
        <Select id="filter-status" label={t.requests.state} value={filters.status} onChange={(value) => change({ status: value })}>
          <option value="">{t.requests.anyState}</option>
          {STATUSES.map((value) => <option key={value} value={value}>{t.statuses[value] ?? value}</option>)}
        </Select>
        <Select id="filter-incident" label={t.incidents.filter} value={filters.incident} onChange={(value) => change({ incident: value })}>
          <option value="">{t.incidents.anyIncident}</option>
          {/* An incident named in the URL stays selectable while the list loads, or if it is not in the list. */}
          {filters.incident && !incidentNames.has(filters.incident) ? <option value={filters.incident}>{filters.incident}</option> : null}
          {incidents.state === 'ready' ? incidents.value.map((incident) => <option key={incident.id} value={incident.id}>{t.incidents.option(incident.name, incident.date, incident.group)}</option>) : null}
        </Select>
        <Select id="filter-owed" label={t.requests.owed} value={filters.owed} onChange={(value) => change({ owed: value })}>
          <option value="">{t.requests.owedAny}</option>
          <option value="us">{t.requests.owedUs}</option>
          <option value="them">{t.requests.owedThem}</option>
        </Select>
        <div>
          <label className="check" htmlFor="filter-overdue">
            <input id="filter-overdue" type="checkbox" checked={filters.overdue} onChange={(event) => change({ overdue: event.target.checked ? '1' : '' })} /> {t.requests.overdueOnly}
          </label>
        </div>
        <Select id="sort" label={t.requests.sort} value={filters.sort} onChange={(value) => change({ sort: value })}>
          <option value="due">{t.requests.sortDue}</option>
          <option value="filed">{t.requests.sortFiled}</option>
          <option value="filed-desc">{t.requests.sortFiledDesc}</option>
        </Select>
        <div className="buttons">
          <button type="button" className="secondary" onClick={reload}>{t.common.refresh}</button>
          <button type="button" className="secondary" onClick={() => void exportCsv()}>{t.requests.exportCsv}</button>
        </div>
      </form>
      {notice ? <p role={notice.error ? 'alert' : 'status'} className={notice.error ? 'field-error' : 'notice'}>{notice.text}</p> : null}
      {loaded.state === 'loading' ? <Loading what={t.nav.requests.toLowerCase()} /> : null}
      {loaded.state === 'error' ? <ErrorNote error={loaded.error} retry={reload} /> : null}
      {loaded.state === 'ready' && pages.items.length === 0 && pages.next === null ? <Empty>{t.requests.empty}</Empty> : null}
      {loaded.state === 'ready' && pages.items.length === 0 && pages.next !== null ? <p role="status">{t.requests.noneYet}</p> : null}
      {loaded.state === 'ready' && pages.items.length > 0 ? (
        <>
          {me.role === 'reviewer' && chosen.size > 0 ? <p><button type="button" onClick={() => void acknowledge()}>{t.requests.acknowledgeSelected(chosen.size)}</button></p> : null}
          <RequestTable rows={pages.items} sort={filters.sort} incidentNames={incidentNames} chosen={chosen} onChoose={(id, on) => setChosen((old) => { const next = new Set(old); if (on) next.add(id); else next.delete(id); return next; })} />
        </>
      ) : null}
      {loaded.state === 'ready' ? <MoreButton pages={pages} testId="requests-more" /> : null}
    </>
  );
}

function Select({ id, label, value, onChange, children }: { readonly id: string; readonly label: string; readonly value: string; readonly onChange: (value: string) => void; readonly children: ReactNode }) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>{children}</select>
    </div>
  );
}

function RequestTable({ rows, sort, incidentNames, chosen, onChoose }: { readonly rows: readonly RequestRow[]; readonly sort: string; readonly incidentNames: ReadonlyMap<string, string>; readonly chosen: ReadonlySet<string>; readonly onChoose: (id: string, on: boolean) => void }) {
  const t = useT();
  const f = useFormat();
  const me = useMe();
  const titles = useTitles();
  const now = useNow();
  const lastVisit = previousVisit(me.username);
  // A reviewer may acknowledge several incoming requests at once, one signed entry each.
  const acknowledgeable = (row: RequestRow) => me.role === 'reviewer' && row.direction === 'incoming' && row.nextDeadline?.kind === 'acknowledge' && row.nextDeadline.party === me.party;
  const header = (label: string, sorts: string[]) => (
    <th scope="col" aria-sort={sorts.includes(sort) ? (sort.endsWith('-desc') ? 'descending' : 'ascending') : undefined}>
      <button type="button" className="link" onClick={() => setQuery({ sort: sort === sorts[0] && sorts[1] ? sorts[1] : sorts[0]! })} aria-label={t.requests.sortBy(label)}>{label}</button>
    </th>
  );
  return (
    <div className="table-scroll">
      <table data-testid="requests">
        <caption>{t.requests.shown(rows.length)}</caption>
        <thead>
          <tr>
            {me.role === 'reviewer' ? <td /> : null}
            {/* No order by id: it would sort every request, and a page must cost a page (issue 14). */}
            <th scope="col">{t.requests.colRequest}</th>
            <th scope="col">{t.requests.colCounterpart}</th>
            <th scope="col">{t.requests.colState}</th>
            <th scope="col">{t.requests.colOffences}</th>
            {header(t.requests.colFiled, ['filed', 'filed-desc'])}
            {header(t.requests.colNext, ['due'])}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const overdue = row.nextDeadline !== null && row.nextDeadline.due < now;
            const ours = row.nextDeadline?.party === me.party;
            const fresh = row.direction === 'incoming' && lastVisit > 0 && row.filedAt > lastVisit;
            return (
              <tr key={row.id} className={overdue ? (ours ? 'overdue' : 'overdue-them') : undefined} data-testid={`row-${row.id}`}>
                {me.role === 'reviewer' ? (
                  <td>{acknowledgeable(row) ? <input type="checkbox" aria-label={t.requests.select(row.id)} checked={chosen.has(row.id)} onChange={(event) => onChoose(row.id, event.target.checked)} /> : null}</td>
                ) : null}
                <th scope="row">
                  <a href={href('requests', row.id)}>{row.id}</a> {fresh ? <span className="new-badge">{t.common.newMarker}</span> : null}
                  <div className="sub">
                    {row.direction === 'incoming' ? t.requests.inboxWord : t.requests.outboxWord}
                    {/* Any kind but extradition is named, and an emergency marked (issue 17). */}
                    {row.kind !== 'extradition' ? <> · <span data-testid="row-kind">{t.kinds[row.kind] ?? row.kind}</span></> : null}
                    {row.kind === 'emergency-disclosure' ? <> <strong className="emergency-badge">{t.inbox.emergency}</strong></> : null}
                  </div>
                  {row.incidents && row.incidents.length > 0 ? <div className="sub" data-testid="row-incidents">{row.incidents.map((id) => incidentNames.get(id) ?? id).join(', ')}</div> : null}
                </th>
                <td>{row.counterpart}</td>
                <td data-testid="status">{t.statuses[row.status] ?? row.status}</td>
                <td>{row.offences.map((offence) => titles.offence(offence)).join(', ')}</td>
                <td>{f.date(row.filedAt)}</td>
                <td>
                  {row.nextDeadline ? (
                    <>
                      {t.requests.nextBy(t.obligations[row.nextDeadline.kind] ?? row.nextDeadline.kind, row.nextDeadline.party)}
                      <span className={overdue ? (ours ? 'overdue-badge' : 'overdue-them-badge') : undefined}>{f.countdown(row.nextDeadline.due, now)}</span>
                      {overdue ? <span className="sr-only"> ({ours ? t.inbox.overdueUs : t.inbox.overdueThem})</span> : null}
                    </>
                  ) : (
                    t.requests.noneOpen
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
