import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deadlines, evaluate, getRequest, legalActs, validateTreaty, type Treaty } from '../src/index.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';
import { treaty2021 } from './fixtures.ts';

/**
 * Requests for data (issue 17): preservation, traffic data, production and emergency
 * disclosure, in the lifecycle of requests for persons, with periods in hours.
 */
const HOUR = 3_600;
const treaty = treaty2021();
const adopted = () => run(adoption(treaty));

function grant(request: string, at: number) {
  return entry('RU', at, 'request.decide', { request, decision: 'grant', approvers: APPROVERS });
}

test('a preservation needs no dual criminality, keeps the data 60 days, and a production request follows it', () => {
  // An offence RU's law does not know: preservation is still granted (Budapest art. 29(3)).
  const narrow: Treaty = { ...treaty, lawProfiles: { ...treaty.lawProfiles, RU: { ...treaty.lawProfiles.RU!, offences: Object.fromEntries(Object.entries(treaty.lawProfiles.RU!.offences).filter(([id]) => id !== 'laundering')) } } };
  let state = run(adoption(narrow));
  state = run([entry('US', day(1), 'request.file', fileBody('P-1', { kind: 'preservation', offences: ['laundering'] })), entry('RU', day(1, 3 * HOUR), 'request.acknowledge', { request: 'P-1' })], state);
  const preservation = getRequest(state, 'P-1')!;
  assert.deepEqual(evaluate(narrow, preservation.view, state).availableGrounds, [], 'no ground to refuse a preservation of an offence one law does not know');
  state = run([grant('P-1', day(2))], state);
  const preserved = getRequest(state, 'P-1')!;
  assert.equal(preserved.status, 'preserved');
  assert.equal(preserved.preservedUntil, day(62), 'Budapest art. 29(7): at least sixty days');
  assert.deepEqual(deadlines(state, day(3)).filter((deadline) => deadline.request === 'P-1' && deadline.kind !== 'erase-personal-data'), [], 'nothing is owed on data preserved (but its erasure, years on)');

  // Production, unlike preservation, needs the conduct to be an offence in both laws.
  state = run([entry('US', day(30), 'request.file', fileBody('D-1', { kind: 'production', follows: 'P-1', offences: ['laundering'] }))], state);
  assert.equal(getRequest(state, 'P-1')!.status, 'superseded');
  assert.equal(getRequest(state, 'P-1')!.supersededBy, 'D-1');
  const production = evaluate(narrow, getRequest(state, 'D-1')!.view, state);
  assert.deepEqual(production.availableGrounds, ['no-dual-criminality']);
  assert.deepEqual(production.mandatoryRefusals, []);
  assert.equal(production.rules.find((rule) => rule.rule === 'dual-criminality')?.passed, false);
});

test('data is asked for only while it is preserved, by the same parties', () => {
  let state = run([entry('US', day(1), 'request.file', fileBody('P-1', { kind: 'preservation' })), entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'P-1' }), grant('P-1', day(2))], adopted());
  refused(state, entry('US', day(63), 'request.file', fileBody('D-1', { kind: 'production', follows: 'P-1' })), 'FOLLOWS_INVALID');
  refused(state, entry('US', day(3), 'request.file', fileBody('D-1', { kind: 'extradition', follows: 'P-1' })), 'FOLLOWS_INVALID');
  state = run([entry('US', day(1), 'request.file', fileBody('X-1', { kind: 'provisional-arrest' }))], state);
  refused(state, entry('US', day(3), 'request.file', fileBody('D-2', { kind: 'production', follows: 'X-1' })), 'FOLLOWS_INVALID');
  // A preservation may be released by the requesting party (it is withdrawable).
  state = run([entry('US', day(10), 'request.withdraw', { request: 'P-1', sealed: REASONS })], state);
  assert.equal(getRequest(state, 'P-1')!.status, 'withdrawn');
});

test('an emergency disclosure runs in hours: decide within 8, deliver within 8 of the grant', () => {
  let state = run([entry('US', day(1), 'request.file', fileBody('E-1', { kind: 'emergency-disclosure' }))], adopted());
  const open = deadlines(state, day(1, HOUR));
  assert.deepEqual(
    open.map((deadline) => [deadline.kind, deadline.party, deadline.due - day(1)]),
    [
      ['acknowledge', 'RU', 2 * HOUR],
      ['decide', 'RU', 8 * HOUR],
    ],
  );
  assert.equal(deadlines(state, day(1, 2 * HOUR + 1)).find((deadline) => deadline.kind === 'acknowledge')?.overdue, true, 'late one second after two hours');
  state = run([entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'E-1' }), grant('E-1', day(1, 5 * HOUR))], state);
  const delivery = deadlines(state, day(1, 6 * HOUR));
  assert.deepEqual(delivery.map((deadline) => [deadline.kind, deadline.party, deadline.due]), [['provide', 'RU', day(1, 13 * HOUR)]]);
  assert.equal(deadlines(state, day(1, 13 * HOUR + 1))[0]?.overdue, true);
  const acts = legalActs(state, { party: 'RU' }, day(1, 6 * HOUR), { kind: 'request', id: 'E-1' });
  assert.equal(acts.available[0]?.type, 'request.provide', 'the act that discharges the open obligation comes first');
  assert.equal(acts.available.some((act) => act.type === 'request.schedule-surrender'), false, 'no surrender of data');

  refused(state, entry('RU', day(1, 7 * HOUR), 'request.provide', { request: 'E-1', evidence: ['not-a-hash'] }), 'BODY_INVALID');
  state = run([entry('RU', day(1, 7 * HOUR), 'request.provide', { request: 'E-1', evidence: [`sha256:${'a'.repeat(64)}`] })], state);
  const provided = getRequest(state, 'E-1')!;
  assert.equal(provided.status, 'provided');
  assert.deepEqual(provided.provided, [`sha256:${'a'.repeat(64)}`]);
  assert.deepEqual(deadlines(state, day(2)).filter((deadline) => deadline.kind === 'provide' || deadline.kind === 'decide'), [], 'delivered: nothing more is owed on the answer');
  refused(state, entry('RU', day(1, 8 * HOUR), 'request.provide', { request: 'E-1', evidence: [`sha256:${'b'.repeat(64)}`] }), 'ILLEGAL_TRANSITION');
});

test('a request for data is granted or refused: no trade, no prosecution instead, no arrest', () => {
  let state = run([entry('US', day(1), 'request.file', fileBody('D-1', { kind: 'production', subject: { pseudonym: 'subject-D-1', nationalities: ['RU'], ageAtOffence: 30 } })), entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'D-1' })], adopted());
  const evaluation = evaluate(treaty, getRequest(state, 'D-1')!.view, state);
  assert.equal(evaluation.availableGrounds.includes('nationality'), false, 'nationality is a ground against extradition, not against evidence');
  assert.deepEqual(evaluation.prosecuteInsteadGrounds, []);
  refused(state, entry('RU', day(2), 'request.decide', { request: 'D-1', decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS }), 'DECISION_INCONSISTENT');
  refused(state, entry('RU', day(2), 'request.decide', { request: 'D-1', decision: 'refuse', ground: 'nationality', approvers: APPROVERS, sealed: REASONS }), 'GROUND_NOT_AVAILABLE');
  refused(state, entry('RU', day(2), 'request.arrest', { request: 'D-1' }), 'ILLEGAL_TRANSITION');
  refused(state, entry('RU', day(2), 'request.decide', { request: 'D-1', decision: 'refuse', ground: 'essential-interests', approvers: APPROVERS, sealed: REASONS }), 'GROUND_NOT_AVAILABLE');
  // The requested party's own finding opens the essential-interests ground (Budapest art. 27(4)(b)).
  state = run([entry('RU', day(2), 'request.decide', { request: 'D-1', decision: 'refuse', ground: 'essential-interests', findings: { essentialInterests: true }, approvers: APPROVERS, sealed: REASONS })], state);
  assert.equal(getRequest(state, 'D-1')!.status, 'refused');
  assert.equal(getRequest(state, 'D-1')!.view.facts.essentialInterests, true);

  // A granted request for data is never a trade leg.
  state = run([entry('US', day(3), 'request.file', fileBody('D-2', { kind: 'traffic-disclosure' })), entry('RU', day(3, HOUR), 'request.acknowledge', { request: 'D-2' }), grant('D-2', day(3, 2 * HOUR))], state);
  refused(state, entry('US', day(4), 'trade.propose', { trade: 'T-1', legs: [{ kind: 'request', request: 'D-2' }], coordinator: 'exchange', deadline: day(30) }), 'LEG_INELIGIBLE');
  refused(state, entry('RU', day(4), 'request.schedule-surrender', { request: 'D-2', date: '2021-06-25' }), 'ILLEGAL_TRANSITION');
});

test('kinds the treaty does not provide for are refused at filing, and emergencies where a party names no 24/7 contact point; bad evidence terms are not a treaty', () => {
  const { evidence: _dropped, ...withoutEvidence } = treaty;
  refused(run(adoption(withoutEvidence)), entry('US', day(1), 'request.file', fileBody('P-1', { kind: 'preservation' })), 'KIND_NOT_PROVIDED');
  // An emergency goes from contact point to contact point: refused both ways when one party names none.
  const noContact: Treaty = { ...treaty, parties: treaty.parties.map((party) => (party.id === 'RU' ? { id: party.id, name: party.name, centralAuthority: party.centralAuthority } : party)) };
  const state = run(adoption(noContact));
  refused(state, entry('US', day(1), 'request.file', fileBody('E-1', { kind: 'emergency-disclosure' })), 'CONTACT_POINT_MISSING');
  refused(state, entry('RU', day(1), 'request.file', fileBody('E-2', { kind: 'emergency-disclosure', requested: 'US' })), 'CONTACT_POINT_MISSING');
  run([entry('US', day(1), 'request.file', fileBody('D-1', { kind: 'production' }))], state);
  const bad = validateTreaty({ ...treaty, evidence: { ...treaty.evidence!, preservationDays: 30, kinds: { ...treaty.evidence!.kinds, production: { ...treaty.evidence!.kinds.production!, provideHours: undefined } } }, grounds: treaty.grounds.map((ground) => (ground.id === 'death-penalty' ? { ...ground, scope: 'both' as const } : ground)) });
  assert.deepEqual(bad.ok ? [] : bad.error.issues.map((issue) => issue.path).sort(), ['evidence.kinds.production.provideHours', 'evidence.preservationDays', `grounds[${treaty.grounds.findIndex((ground) => ground.id === 'death-penalty')}].curedByAssurance`].sort());
});

test('no consultation on data, a question answered within the decision\'s hours, and no exemption from a denunciation', () => {
  let state = run([entry('US', day(1), 'request.file', fileBody('E-1', { kind: 'emergency-disclosure' })), entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'E-1' })], adopted());
  refused(state, entry('RU', day(1, 2 * HOUR), 'request.consult', { request: 'E-1', ground: 'political-offence' }), 'ILLEGAL_TRANSITION');
  assert.equal(legalActs(state, { party: 'RU' }, day(1, 2 * HOUR), { kind: 'request', id: 'E-1' }).available.some((act) => act.type === 'request.consult'), false);
  state = run([entry('RU', day(1, 2 * HOUR), 'request.ask-info', { request: 'E-1' })], state);
  const reply = deadlines(state, day(2)).find((deadline) => deadline.kind === 'reply-to-info-request');
  assert.equal(reply?.due, day(1, 10 * HOUR), 'the answer is due within the eight hours of the decision');
  assert.equal(reply?.overdue, true);

  // RU leaves (notified on day 3, in effect six months later): data it preserved before then
  // may not be asked for afterwards, since that is a new request to a state no longer bound.
  const leaving = run([entry('RU', day(3), 'treaty.denounce', { treaty: treaty.id }), entry('US', day(170), 'request.file', fileBody('P-1', { kind: 'preservation' })), entry('RU', day(170, HOUR), 'request.acknowledge', { request: 'P-1' }), grant('P-1', day(171))], adopted());
  assert.ok(getRequest(leaving, 'P-1')!.preservedUntil! > day(200));
  refused(leaving, entry('US', day(200), 'request.file', fileBody('D-1', { kind: 'production', follows: 'P-1' })), 'TREATY_DENOUNCED');
});

test('the requested party\'s own finding of its essential interests is offered as a refusal, and never filed', () => {
  const state = run([entry('US', day(1), 'request.file', fileBody('D-1', { kind: 'production' })), entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'D-1' })], adopted());
  const decide = legalActs(state, { party: 'RU' }, day(1, 2 * HOUR), { kind: 'request', id: 'D-1' }).available.find((act) => act.type === 'request.decide');
  assert.deepEqual(decide?.variants.map((variant) => variant.params), [{ decision: 'grant' }, { decision: 'refuse', ground: 'essential-interests', findings: { essentialInterests: true } }]);
  refused(adopted(), entry('US', day(1), 'request.file', fileBody('D-2', { kind: 'production', facts: { essentialInterests: true } })), 'BODY_INVALID');
});

test('a pending request for data keeps the terms it was filed under when an amendment drops its kind', () => {
  let state = run([entry('US', day(1), 'request.file', fileBody('E-1', { kind: 'emergency-disclosure' }))], adopted());
  const { 'emergency-disclosure': _emergency, ...otherKinds } = treaty.evidence!.kinds;
  const amended: Treaty = { ...treaty, version: 2, evidence: { ...treaty.evidence!, kinds: otherKinds } };
  state = run([entry('US', day(1, HOUR), 'treaty.propose', { treaty: amended }), entry('US', day(1, HOUR), 'treaty.ratify', { treaty: treaty.id, version: 2 }), entry('RU', day(1, HOUR), 'treaty.ratify', { treaty: treaty.id, version: 2 })], state);
  assert.equal(state.treaty?.version, 2);
  assert.equal(deadlines(state, day(1, 2 * HOUR)).find((deadline) => deadline.kind === 'decide')?.due, day(1, 8 * HOUR), 'still eight hours');
  refused(state, entry('US', day(1, 2 * HOUR), 'request.file', fileBody('E-2', { kind: 'emergency-disclosure' })), 'KIND_NOT_PROVIDED');
  const evaluation = evaluate(state.treaty!, getRequest(state, 'E-1')!.view, state);
  assert.deepEqual(evaluation.rules.find((rule) => rule.rule === 'dual-criminality')?.passed, true, 'still evaluated under its own terms');
});

test('a preservation whose period ran ends the case: its erasure falls due five years later, for both parties', () => {
  const state = run([entry('US', day(1), 'request.file', fileBody('P-1', { kind: 'preservation' })), entry('RU', day(1, HOUR), 'request.acknowledge', { request: 'P-1' }), grant('P-1', day(2))], adopted());
  const until = getRequest(state, 'P-1')!.preservedUntil!;
  refused(state, entry('US', until - 1, 'request.erase', { request: 'P-1' }), 'CASE_OPEN');
  refused(state, entry('US', until + 86_400, 'request.erase', { request: 'P-1' }), 'RETENTION_RUNNING');
  const later = until + 6 * 366 * 86_400;
  assert.deepEqual(deadlines(state, later).filter((deadline) => deadline.request === 'P-1').map((deadline) => [deadline.kind, deadline.party]), [['erase-personal-data', 'US'], ['erase-personal-data', 'RU']]);
  const erased = run([entry('US', later, 'request.erase', { request: 'P-1' }), entry('RU', later, 'request.erase', { request: 'P-1' })], state);
  assert.deepEqual(getRequest(erased, 'P-1')!.erasedBy, ['US', 'RU']);
});
