import type { UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { getRequest, type RequestRecord, type State } from '../request/state.ts';
import { getGroup, getIncident, groupRequestIds, incidentRequestIds } from '../incidents/incident-book.ts';
import { countRequest, emptyTally, finishTally, type FigureTally, type RequestFigures } from './request-figures.ts';

/** The figures of the requests one party made of another, within an incident or a group. */
export interface PairFigures extends RequestFigures {
  readonly requesting: string;
  readonly requested: string;
}

/**
 * Figures per incident and per group (issue 17): requests, answers, refusals by ground,
 * handovers and prosecutions, counted exactly as `statistics` counts them per pair, over the
 * requests that name the incident (or one of the group's incidents). `pairs` splits them by
 * requesting and requested party, which is where the state–criminal nexus shows: which state
 * refused, stayed silent, or owes a prosecution that never reports, on which attack. A pair
 * appears only when it has a request; trades are not tied to incidents and are left out.
 *
 * The requests come from the incident index kept as entries apply (incidents/links.ts), so
 * the cost is the incident's own requests, never the log's.
 */
export interface CaseFigures {
  /** Every request of the incident or group, of every pair. */
  readonly figures: RequestFigures;
  readonly pairs: readonly PairFigures[];
}

export interface IncidentStatistics extends CaseFigures {
  readonly incident: string;
}

export interface GroupStatistics extends CaseFigures {
  readonly group: string;
  readonly incidents: readonly string[];
}

/** The figures of some requests, in all and per ordered pair (in the order of the treaty's parties, then of first appearance). */
export function caseFigures(treaty: Treaty, records: readonly RequestRecord[], now: UnixSeconds): CaseFigures {
  const all = emptyTally();
  const pairs = new Map<string, { requesting: string; requested: string; tally: FigureTally }>();
  const order = new Map(treaty.parties.map((party, index) => [party.id, index] as const));
  for (const record of records) {
    const { requesting, requested } = record.view;
    countRequest(treaty, record, now, all);
    const key = `${requesting}>${requested}`;
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { requesting, requested, tally: emptyTally() }));
    countRequest(treaty, record, now, pair.tally);
  }
  const rank = (party: string) => order.get(party) ?? order.size;
  const sorted = [...pairs.values()].sort((a, b) => rank(a.requesting) - rank(b.requesting) || rank(a.requested) - rank(b.requested));
  return { figures: finishTally(all), pairs: sorted.map(({ requesting, requested, tally }) => ({ requesting, requested, ...finishTally(tally) })) };
}

function records(state: State, ids: readonly string[]): RequestRecord[] {
  return ids.map((id) => getRequest(state, id)).filter((record): record is RequestRecord => record !== undefined);
}

/** The figures of one incident at `now`; undefined when no such incident is registered (or no treaty is in force). */
export function incidentStatistics(state: State, incident: string, now: UnixSeconds): IncidentStatistics | undefined {
  if (!state.treaty || !getIncident(state.incidents, incident)) return undefined;
  return { incident, ...caseFigures(state.treaty, records(state, incidentRequestIds(state.incidents, incident)), now) };
}

/** The figures of one group at `now`, over every request naming one of its incidents, each once. */
export function groupStatistics(state: State, group: string, now: UnixSeconds): GroupStatistics | undefined {
  const record = getGroup(state.incidents, group);
  if (!state.treaty || !record) return undefined;
  return { group: record.name, incidents: record.incidents, ...caseFigures(state.treaty, records(state, groupRequestIds(state.incidents, record)), now) };
}
