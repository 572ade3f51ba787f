import { ok, type Result } from '../result.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { IncidentBody } from '../request/entries.ts';
import { mapGet, mapSet } from '../request/persistent-map.ts';
import type { State } from '../request/state.ts';
import { dateToUnix, type UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import { unlessStillParty } from '../treaty/denunciation.ts';
import { groupKey, type IncidentRecord } from './incident-book.ts';

/**
 * `incident.register` (issue 17): any party of the treaty registers an incident under a public
 * id that no one has used. The date is not checked against the entry's time: it is the public
 * account of when the attack began, and a scenario replayed with times relative to its run
 * (scenario-2021.ts) may register the 2021 incidents at an earlier instant than they happened.
 * A group named for the first time opens its own record; later incidents join it, ignoring case.
 * A state that has left the treaty registers nothing new, as it files nothing new.
 */
export function applyIncidentRegister(state: State, treaty: Treaty, author: string, time: UnixSeconds, body: IncidentBody): Result<State, ApplyError> {
  const left = unlessStillParty(state, treaty, author, time, 'author', 'it registers no new incident');
  if (left) return left;
  const book = state.incidents;
  const existing = mapGet(book.byId, body.incident);
  if (existing) {
    return fail('INCIDENT_EXISTS', `body.incident: incident ${body.incident} was registered already, by ${existing.registeredBy} at entry ${existing.registeredAt.index}; an id is never reused`, 'body.incident');
  }
  if (dateToUnix(body.date) === undefined) return fail('DATE_INVALID', `body.date: "${body.date}" is not a calendar date`, 'body.date');

  const record: IncidentRecord = {
    id: body.incident,
    seq: book.byId.size,
    name: body.name,
    date: body.date,
    sector: body.sector,
    description: body.description,
    group: body.group,
    registeredBy: author,
    registeredAt: { index: state.size, time },
    requestCount: 0,
  };
  let { groups, groupIds } = book;
  if (body.group !== undefined) {
    const key = groupKey(body.group);
    const group = mapGet(groups, key);
    if (group) groups = mapSet(groups, key, { ...group, incidents: [...group.incidents, record.id] });
    else {
      groups = mapSet(groups, key, { key, name: body.group, seq: groups.size, incidents: [record.id] });
      groupIds = mapSet(groupIds, String(groups.size - 1), key);
    }
  }
  const incidents = { ...book, byId: mapSet(book.byId, record.id, record), ids: mapSet(book.ids, String(record.seq), record.id), groups, groupIds };
  return ok({ ...state, incidents, size: state.size + 1 });
}
