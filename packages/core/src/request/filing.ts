import { ok, type Result } from '../result.ts';
import { dateToUnix } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { RequestView } from '../treaty/request-view.ts';
import { fail, type ApplyError } from './apply-error.ts';
import type { FileBody } from './entries.ts';
import { mapGet, mapSet } from './persistent-map.ts';
import type { HistoryItem, RequestRecord, State } from './state.ts';
import { unlessStillParty } from '../treaty/denunciation.ts';
import { linkFiling } from '../incidents/links.ts';

/**
 * `request.file`: the requesting party (the author) files a request to another party of
 * the treaty. A full request may follow an earlier provisional-arrest request between the
 * same parties (ECE art. 16(4)); the provisional one is then superseded and the full
 * request inherits its arrest.
 */
export function applyFile(state: State, treaty: Treaty, author: string, time: number, body: FileBody): Result<State, ApplyError> {
  const parties = treaty.parties.map((party) => party.id);
  if (body.requested === author) return fail('REQUESTED_INVALID', `body.requested: a party cannot file a request to itself (${author})`, 'body.requested');
  if (!parties.includes(body.requested)) {
    return fail('REQUESTED_INVALID', `body.requested: ${body.requested} is not a party of the treaty (${parties.join(', ')})`, 'body.requested');
  }
  // Issue 17: nothing new is filed by or to a party that has left the treaty. A full request
  // that completes a provisional arrest pending when it left continues that case (ECE art.
  // 16(4)) under the transitional rule; checkFollows checks that it is one.
  if (body.follows === undefined) {
    const left = unlessStillParty(state, treaty, author, time, 'author', 'it files no new request') ?? unlessStillParty(state, treaty, body.requested, time, 'body.requested', 'no new request is filed to it');
    if (left) return left;
  }
  if (mapGet(state.requests, body.request) !== undefined) return fail('REQUEST_EXISTS', `body.request: request ${body.request} already exists`, 'body.request');
  const categories = new Set(treaty.offences.map((offence) => offence.id));
  const unknown = body.offences.findIndex((offence) => !categories.has(offence));
  if (unknown >= 0) {
    return fail('OFFENCE_UNKNOWN', `body.offences[${unknown}]: "${body.offences[unknown]}" is not an offence category of the treaty`, `body.offences[${unknown}]`);
  }
  const committed = dateToUnix(body.offenceDate);
  if (committed === undefined) return fail('DATE_INVALID', `body.offenceDate: "${body.offenceDate}" is not a calendar date`, 'body.offenceDate');
  if (committed > time) return fail('DATE_INVALID', `body.offenceDate: ${body.offenceDate} is after the filing`, 'body.offenceDate');

  const linked = linkFiling(state, body);
  if (!linked.ok) return linked;

  const item: HistoryItem = { index: state.size, type: 'request.file', time, author };
  let requests = state.requests;
  let arrestedAt: number | undefined;
  if (body.follows !== undefined) {
    const followed = checkFollows(state, author, time, body);
    if (!followed.ok) return followed;
    arrestedAt = followed.value.arrestedAt;
    const superseded: RequestRecord = { ...followed.value, status: 'superseded', supersededBy: body.request, history: [...followed.value.history, item] };
    requests = mapSet(requests, superseded.id, superseded);
  }

  const view: RequestView = {
    requesting: author,
    requested: body.requested,
    kind: body.kind,
    purpose: body.purpose,
    subject: { nationalities: body.subject.nationalities, ageAtOffence: body.subject.ageAtOffence },
    offences: body.offences,
    offenceDate: body.offenceDate,
    sentenceRemainingMonths: body.sentenceRemainingMonths,
    facts: body.facts,
    filedAt: time,
  };
  const record: RequestRecord = {
    id: body.request,
    seq: state.requests.size,
    view,
    pseudonym: body.subject.pseudonym,
    follows: body.follows,
    status: 'filed',
    history: [item],
    arrestedAt,
    consultations: [],
    infoPauses: [],
    assurancesGiven: [],
  };
  return ok({ ...state, requests: mapSet(requests, record.id, record), requestIds: mapSet(state.requestIds, String(record.seq), record.id), incidents: linked.value, size: state.size + 1 });
}

function checkFollows(state: State, author: string, time: number, body: FileBody): Result<RequestRecord, ApplyError> {
  const id = body.follows ?? '';
  if (body.kind !== 'extradition') return fail('FOLLOWS_INVALID', 'body.follows: only a full extradition request can follow a provisional-arrest request (ECE art. 16(4))', 'body.follows');
  const followed = mapGet(state.requests, id);
  if (!followed) return fail('REQUEST_UNKNOWN', `body.follows: no request ${id}`, 'body.follows');
  if (followed.view.kind !== 'provisional-arrest') return fail('FOLLOWS_INVALID', `body.follows: request ${id} is not a provisional-arrest request`, 'body.follows');
  if (followed.view.requesting !== author || followed.view.requested !== body.requested) {
    return fail('FOLLOWS_INVALID', `body.follows: request ${id} is from ${followed.view.requesting} to ${followed.view.requested}, not from ${author} to ${body.requested}`, 'body.follows');
  }
  if (followed.status !== 'filed' && followed.status !== 'acknowledged') {
    return fail('FOLLOWS_INVALID', `body.follows: request ${id} is ${followed.status}; only an open provisional-arrest request can be followed`, 'body.follows');
  }
  const last = followed.history[followed.history.length - 1];
  if (last && time < last.time) return fail('TIME_REVERSED', `time: ${time} is before the last entry of request ${id} (${last.time})`, 'time');
  return ok(followed);
}
