import type { UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { State } from '../request/state.ts';
import { mapGet } from '../request/persistent-map.ts';
import { getGroup, getIncident } from '../incidents/incident-book.ts';
import type { RequestFigures } from './request-figures.ts';
import { groupScope, incidentScope, pairKey, type ScopeIndex } from './figure-index.ts';
import { figuresOf } from './figure-cell.ts';
import { finishSums } from './figure-sums.ts';

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
 * The figures come from the index kept as entries apply (figure-index.ts `scopes`): the sums
 * of the incident's requests read at the reading's instant, so the cost is never the
 * incident's whole history nor the log's.
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

/** The figures of a scope (an incident or a group) from the index kept as entries apply (figure-index.ts): its requests' sums read at `now`. Pairs in the order of the treaty's parties. */
function scopeFigures(treaty: Treaty, scope: ScopeIndex | undefined, now: UnixSeconds): CaseFigures {
  const order = new Map(treaty.parties.map((party, index) => [party.id, index] as const));
  const rank = (party: string) => order.get(party) ?? order.size;
  const pairs = Object.keys(scope?.pairs ?? {}).map((key) => {
    const [requesting, requested] = key.split('>') as [string, string];
    return { requesting, requested, ...finishSums(scope?.pairs[key], now) };
  });
  pairs.sort((a, b) => rank(a.requesting) - rank(b.requesting) || rank(a.requested) - rank(b.requested) || pairKey(a.requesting, a.requested).localeCompare(pairKey(b.requesting, b.requested)));
  return { figures: finishSums(scope?.all, now), pairs };
}

function figuresInScope(state: State, treaty: Treaty, scope: string, now: UnixSeconds): CaseFigures {
  return scopeFigures(treaty, mapGet(figuresOf(state).scopes, scope), now);
}

/** The figures of one incident at `now`; undefined when no such incident is registered (or no treaty is in force). */
export function incidentStatistics(state: State, incident: string, now: UnixSeconds): IncidentStatistics | undefined {
  if (!state.treaty || !getIncident(state.incidents, incident)) return undefined;
  return { incident, ...figuresInScope(state, state.treaty, incidentScope(incident), now) };
}

/** The figures of one group at `now`, over every request naming one of its incidents, each once. */
export function groupStatistics(state: State, group: string, now: UnixSeconds): GroupStatistics | undefined {
  const record = getGroup(state.incidents, group);
  if (!state.treaty || !record) return undefined;
  return { group: record.name, incidents: record.incidents, ...figuresInScope(state, state.treaty, groupScope(record.name), now) };
}
