import type { UnixSeconds } from '../time.ts';
import { openObligations } from '../deadlines/deadlines.ts';
import { getRequest, type RequestRecord, type State } from '../request/state.ts';
import { getIncident, groupAt, incidentAt, linksOf, requestOfIncident, type GroupRecord, type IncidentRecord } from '../incidents/incident-book.ts';
import { groupStatistics, incidentStatistics, type CaseFigures } from '../statistics/incident-statistics.ts';
import { emptyTally, finishTally } from '../statistics/request-figures.ts';
import { PAGE_LIMIT, pageOf, type Page } from './public-views.ts';

/**
 * The incident ledger's public views (issue 17): incidents with their figures and their
 * requests' status, and groups with theirs, as pure functions of the state at a size and an
 * instant, like the other public views, so that every gateway and `verify` can recompute them.
 * Requests are listed from the incident index (incidents/links.ts), a page at a time.
 */

/** Requests shown with each incident of a list; the rest are read a page at a time from the incident itself. */
export const INCIDENT_REQUESTS_SHOWN = 20;

export interface TimedPage<T> extends Page<T> {
  /** The instant deadlines and figures are judged at. */
  readonly at: UnixSeconds;
}

/** What the public sees of an incident: everything registered, which is all public. */
export function publicIncident(record: IncidentRecord) {
  return {
    id: record.id,
    name: record.name,
    date: record.date,
    sector: record.sector,
    description: record.description,
    group: record.group ?? null,
    registeredBy: record.registeredBy,
    registeredAt: record.registeredAt,
    requestCount: record.requestCount,
  };
}

/**
 * A request of an incident as the public sees it: its parties and status, the decision and
 * ground, which obligations are overdue and who owes them (silence), whether a prosecution
 * owed instead reported, and its links to other requests. Public fields only.
 */
export function incidentRequestRow(state: State, record: RequestRecord, at: UnixSeconds) {
  const open = state.treaty ? openObligations(state.treaty, record, at) : [];
  const links = linksOf(state.incidents, record.id);
  return {
    id: record.id,
    requesting: record.view.requesting,
    requested: record.view.requested,
    kind: record.view.kind,
    status: record.status,
    filedAt: record.view.filedAt,
    decision: record.decision ? { kind: record.decision.kind, at: record.decision.at, ground: record.decision.ground ?? null } : null,
    overdue: open.filter((item) => item.overdue).map((item) => ({ party: item.party, kind: item.kind, due: item.due, article: item.article })),
    prosecution: record.prosecution ? { opened: record.prosecution.milestones.some((step) => step.milestone === 'opened'), reported: record.prosecution.outcome !== undefined, lastReportAt: record.prosecution.lastReportAt } : null,
    incidents: links.incidents,
    related: links.related,
    relatedBy: links.relatedBy,
  };
}

export type IncidentRequestRow = ReturnType<typeof incidentRequestRow>;

/** Up to `limit` of an incident's requests from position `from`, in filing order, and the cursor of the rest. */
function incidentRequests(state: State, record: IncidentRecord, at: UnixSeconds, from: number, limit: number): { items: IncidentRequestRow[]; next: string | null } {
  const end = Math.min(record.requestCount, from + Math.max(1, Math.min(limit, PAGE_LIMIT)));
  const items: IncidentRequestRow[] = [];
  for (let position = from; position < end; position++) {
    const id = requestOfIncident(state.incidents, record.id, position);
    const request = id === undefined ? undefined : getRequest(state, id);
    if (request) items.push(incidentRequestRow(state, request, at));
  }
  return { items, next: end < record.requestCount ? String(end) : null };
}

/** The figures of no request: what an incident shows before any request names it. */
function noFigures(): CaseFigures {
  return { figures: finishTally(emptyTally()), pairs: [] };
}

/** One incident of a list: its public record, its figures, and its first requests. */
export function incidentItem(state: State, record: IncidentRecord, at: UnixSeconds) {
  const statistics = incidentStatistics(state, record.id, at) ?? noFigures();
  const requests = incidentRequests(state, record, at, 0, INCIDENT_REQUESTS_SHOWN);
  return { ...publicIncident(record), statistics: { figures: statistics.figures, pairs: statistics.pairs }, requests: requests.items, requestsNext: requests.next };
}

export type IncidentItem = ReturnType<typeof incidentItem>;

/** One page of incidents, in order of registration, from the position `from`. */
export function incidentsPage(state: State, at: UnixSeconds, from: number, limit: number = PAGE_LIMIT): TimedPage<IncidentItem> {
  const listed = pageOf(state, state.incidents.ids, (position) => {
    const record = incidentAt(state.incidents, position);
    return record && incidentItem(state, record, at);
  }, from, limit);
  return { ...listed, at };
}

/** One incident with a page of its requests from the position `from`; undefined when none has that id. */
export function incidentView(state: State, id: string, at: UnixSeconds, from: number, limit: number = PAGE_LIMIT) {
  const record = getIncident(state.incidents, id);
  if (!record) return undefined;
  const statistics = incidentStatistics(state, id, at) ?? noFigures();
  const requests = incidentRequests(state, record, at, from, limit);
  return { size: state.size, at, ...publicIncident(record), statistics: { figures: statistics.figures, pairs: statistics.pairs }, requests: requests.items, next: requests.next };
}

/** One group of a list: its name, its incidents, and the figures over their requests. */
export function groupItem(state: State, record: GroupRecord, at: UnixSeconds) {
  const statistics = groupStatistics(state, record.name, at);
  const incidents = record.incidents.map((id) => getIncident(state.incidents, id)).filter((incident): incident is IncidentRecord => incident !== undefined);
  return {
    group: record.name,
    incidents: incidents.map((incident) => ({ id: incident.id, name: incident.name, date: incident.date })),
    statistics: statistics ? { figures: statistics.figures, pairs: statistics.pairs } : noFigures(),
  };
}

export type GroupItem = ReturnType<typeof groupItem>;

/** One page of groups, in order of first naming, from the position `from`. */
export function groupsPage(state: State, at: UnixSeconds, from: number, limit: number = PAGE_LIMIT): TimedPage<GroupItem> {
  const listed = pageOf(state, state.incidents.groupIds, (position) => {
    const record = groupAt(state.incidents, position);
    return record && groupItem(state, record, at);
  }, from, limit);
  return { ...listed, at };
}
