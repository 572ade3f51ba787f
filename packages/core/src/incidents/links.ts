import { ok, type Result } from '../result.ts';
import { fail, type ApplyError } from '../request/apply-error.ts';
import type { FileBody } from '../request/entries.ts';
import { mapGet, mapSet } from '../request/persistent-map.ts';
import type { State } from '../request/state.ts';
import { memberKey, NO_LINKS, type IncidentBook } from './incident-book.ts';

/**
 * The public links of a filing (issue 17, "requests link to incidents and to each other"):
 * every incident it names must be registered, and every request it relates to must have been
 * filed before it, so that a link never points at nothing and the indexes stay exact. Returns
 * the book with the links recorded: the new request joins each incident's list, and each
 * related request learns that this one names it. A filing with no link leaves the book as is.
 */
export function linkFiling(state: State, body: FileBody): Result<IncidentBook, ApplyError> {
  const incidents = body.incidents ?? [];
  const related = body.related ?? [];
  const book = state.incidents;
  if (incidents.length === 0 && related.length === 0) return ok(book);

  for (const [position, id] of incidents.entries()) {
    if (!mapGet(book.byId, id)) {
      return fail('INCIDENT_UNKNOWN', `body.incidents[${position}]: no incident ${id} is registered; register it with incident.register before filing a request that names it`, `body.incidents[${position}]`);
    }
  }
  for (const [position, link] of related.entries()) {
    const field = `body.related[${position}].request`;
    if (link.request === body.request) return fail('RELATED_INVALID', `${field}: request ${body.request} cannot relate to itself`, field);
    if (!mapGet(state.requests, link.request)) return fail('REQUEST_UNKNOWN', `${field}: no request ${link.request}; a filing relates only to requests filed before it`, field);
  }

  let { byId, members, links } = book;
  for (const id of incidents) {
    const incident = mapGet(byId, id)!;
    members = mapSet(members, memberKey(id, incident.requestCount), body.request);
    byId = mapSet(byId, id, { ...incident, requestCount: incident.requestCount + 1 });
  }
  for (const link of related) {
    const other = mapGet(links, link.request) ?? NO_LINKS;
    links = mapSet(links, link.request, { ...other, relatedBy: [...other.relatedBy, { request: body.request, relation: link.relation }] });
  }
  links = mapSet(links, body.request, { incidents: [...incidents], related: related.map((link) => ({ request: link.request, relation: link.relation })), relatedBy: [] });
  return ok({ ...book, byId, members, links });
}
