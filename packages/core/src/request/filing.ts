import { ok, type Result } from '../result.ts';
import { dateToUnix, isoTime } from '../time.ts';
import { EVIDENCE_KINDS, type Treaty } from '../treaty/schema.ts';
import { CONTINUES_PRESERVATION, evidenceTerms, isEvidenceKind } from '../evidence/kinds.ts';
import type { RequestView } from '../treaty/request-view.ts';
import { fail, type ApplyError } from './apply-error.ts';
import type { FileBody } from './entries.ts';
import { mapGet, mapHas, mapSet } from './persistent-map.ts';
import { keptFacts, keptWordList, NONE_YET, type HistoryItem, type RequestRecord, type State } from './state.ts';
import { unlessStillParty } from '../treaty/denunciation.ts';
import { linkFiling } from '../incidents/links.ts';
import { keptWord, treatyWords } from './kept-words.ts';

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
  // 16(4)) under the transitional rule; checkFollows checks that it is one. A request for
  // preserved data is a new request, for data not yet given: it is not exempt.
  if (body.follows === undefined || body.kind !== 'extradition') {
    const left = unlessStillParty(state, treaty, author, time, 'author', 'it files no new request') ?? unlessStillParty(state, treaty, body.requested, time, 'body.requested', 'no new request is filed to it');
    if (left) return left;
  }
  if (mapHas(state.requests, body.request)) return fail('REQUEST_EXISTS', `body.request: request ${body.request} already exists`, 'body.request');
  const provided = checkKindProvided(treaty, author, body);
  if (!provided.ok) return provided;
  if (body.facts.essentialInterests === true) {
    return fail('BODY_INVALID', 'body.facts.essentialInterests: only the requested party finds that a request prejudices its essential interests (Budapest art. 27(4)(b)), in its decision\'s findings', 'body.facts.essentialInterests');
  }
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

  const words = treatyWords(treaty);
  const view: RequestView = {
    requesting: author,
    requested: body.requested,
    // One copy of each word for all the records (kept-words.ts).
    kind: keptWord(body.kind, words),
    purpose: keptWord(body.purpose, words),
    subject: { nationalities: keptWordList(body.subject.nationalities), ageAtOffence: body.subject.ageAtOffence },
    offences: keptWordList(body.offences.map((offence) => keptWord(offence, words))),
    offenceDate: body.offenceDate,
    sentenceRemainingMonths: body.sentenceRemainingMonths,
    facts: keptFacts(body.facts),
    filedAt: time,
    // A request for data keeps the terms it was filed under (evidence/kinds.ts termsOf).
    ...(isEvidenceKind(body.kind) ? { terms: evidenceTerms(treaty, body.kind) } : {}),
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
    consultations: NONE_YET,
    infoPauses: NONE_YET,
    assurancesGiven: NONE_YET,
  };
  return ok({ ...state, requests: mapSet(requests, record.id, record), requestIds: mapSet(state.requestIds, String(record.seq), record.id), incidents: linked.value, size: state.size + 1 });
}

/**
 * A request for data needs the treaty's terms for its kind (its `evidence` section). An
 * emergency goes from one 24/7 contact point to the other (Budapest art. 35), so both parties
 * must have named theirs: asking the requesting party's as well keeps the rule symmetric, for
 * a party without one can then neither be sent an emergency nor send one.
 */
function checkKindProvided(treaty: Treaty, author: string, body: FileBody): Result<true, ApplyError> {
  if (!isEvidenceKind(body.kind)) return ok(true);
  if (evidenceTerms(treaty, body.kind) === undefined) {
    const provided = EVIDENCE_KINDS.filter((kind) => evidenceTerms(treaty, kind) !== undefined);
    return fail('KIND_NOT_PROVIDED', `body.kind: the treaty does not provide for ${body.kind} requests; it provides for extradition, provisional-arrest${provided.map((kind) => `, ${kind}`).join('')}`, 'body.kind');
  }
  if (body.kind === 'emergency-disclosure') {
    const without = [author, body.requested].filter((party) => !treaty.parties.find((candidate) => candidate.id === party)?.contactPoint);
    if (without.length > 0) return fail('CONTACT_POINT_MISSING', `body.kind: an emergency goes from one 24/7 contact point to the other (${treaty.evidence?.contactPointArticle ?? 'Budapest art. 35'}), and ${without.join(' and ')} ${without.length === 1 ? 'names' : 'name'} none in the treaty`, 'body.kind');
  }
  return ok(true);
}

/**
 * What a request may follow: a full extradition request the provisional arrest (ECE art.
 * 16(4)), and a request for preserved data the preservation that keeps it (Budapest art.
 * 29(7)), while it is open or the data is still kept.
 */
function checkFollows(state: State, author: string, time: number, body: FileBody): Result<RequestRecord, ApplyError> {
  const id = body.follows ?? '';
  const continuesPreservation = CONTINUES_PRESERVATION.includes(body.kind);
  if (body.kind !== 'extradition' && !continuesPreservation) {
    return fail('FOLLOWS_INVALID', 'body.follows: only a full extradition request can follow a provisional-arrest request (ECE art. 16(4)), and only a request for the data a preservation (Budapest art. 29(7))', 'body.follows');
  }
  const followed = mapGet(state.requests, id);
  if (!followed) return fail('REQUEST_UNKNOWN', `body.follows: no request ${id}`, 'body.follows');
  const expected = continuesPreservation ? 'preservation' : 'provisional-arrest';
  if (followed.view.kind !== expected) return fail('FOLLOWS_INVALID', `body.follows: request ${id} is not a ${expected} request, which a ${body.kind} request follows`, 'body.follows');
  if (followed.view.requesting !== author || followed.view.requested !== body.requested) {
    return fail('FOLLOWS_INVALID', `body.follows: request ${id} is from ${followed.view.requesting} to ${followed.view.requested}, not from ${author} to ${body.requested}`, 'body.follows');
  }
  const open = continuesPreservation ? followed.status === 'preserved' && time <= (followed.preservedUntil ?? 0) : followed.status === 'filed' || followed.status === 'acknowledged';
  if (!open) {
    const why = continuesPreservation ? `only data still preserved (status preserved, until ${followed.preservedUntil === undefined ? 'granted' : isoTime(followed.preservedUntil)}) can be asked for this way` : 'only an open provisional-arrest request can be followed';
    return fail('FOLLOWS_INVALID', `body.follows: request ${id} is ${followed.status}; ${why}`, 'body.follows');
  }
  const last = followed.history[followed.history.length - 1];
  if (last && time < last.time) return fail('TIME_REVERSED', `time: ${time} is before the last entry of request ${id} (${last.time})`, 'time');
  return ok(followed);
}
