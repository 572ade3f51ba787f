import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, deadlines, decisionWaitEnds, evaluate, evaluateRequest, getRequest, type AnyDomainEntry, type State, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

const treaty = treaty2021();

/** A request from `requesting` for a national of `nationality`, filed and acknowledged. */
function filed(t: Treaty, id: string, requesting: string, requested: string, nationality: string, extra: Record<string, unknown> = {}, from?: State): State {
  const entries: AnyDomainEntry[] = [
    entry(requesting, day(0), 'request.file', fileBody(id, { requested, subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 }, ...extra })),
    entry(requested, day(1), 'request.acknowledge', { request: id }),
  ];
  return run(entries, from ?? run(adoption(t)));
}

const decide = (author: string, time: number, request: string, body: Record<string, unknown>) => entry(author, time, 'request.decide', { request, approvers: APPROVERS, ...body });
const consult = (author: string, time: number, request: string, ground: string) => entry(author, time, 'request.consult', { request, ground });
const refuseOnNationality = (author: string, time: number, request: string) => decide(author, time, request, { decision: 'refuse-prosecute', ground: 'nationality', sealed: REASONS });

describe('decide: nationality (ECE art. 6; RU Constitution art. 61; Budapest art. 24(6))', () => {
  const base = filed(treaty, 'US-1', 'US', 'RU', 'RU');

  it('RU may refuse an RU national after consultation, and a prosecution follows', () => {
    const state = run([consult('RU', day(2), 'US-1', 'nationality'), entry('US', day(4), 'request.consult-reply', { request: 'US-1' }), refuseOnNationality('RU', day(5), 'US-1')], base);
    const record = getRequest(state, 'US-1');
    assert.equal(record?.status, 'refused-prosecute-instead');
    assert.equal(record?.decision?.ground, 'nationality');
    assert.deepEqual(state.invocations, [{ by: 'RU', against: 'US', ground: 'nationality' }]);
    // The prosecution must report every 90 days from the refusal (Budapest art. 24(6)).
    const report = deadlines(state, day(5)).find((deadline) => deadline.kind === 'prosecution-report');
    assert.deepEqual([report?.party, report?.due, report?.article], ['RU', day(95), treaty.extraditeOrProsecute.article]);
  });

  it('a plain refusal on nationality is refused: it must be refuse-prosecute (PROSECUTION_REQUIRED)', () => {
    const state = run([consult('RU', day(2), 'US-1', 'nationality'), entry('US', day(4), 'request.consult-reply', { request: 'US-1' })], base);
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'nationality', sealed: REASONS }), 'PROSECUTION_REQUIRED');
  });

  it('consultation is required before a nationality refusal (UNTOC art. 16(16))', () => {
    const error = refused(base, refuseOnNationality('RU', day(5), 'US-1'), 'CONSULTATION_REQUIRED');
    assert.equal(error.field, 'body.ground');
    assert.match(error.message, /UNTOC art\. 16\(16\)/);
  });

  it('without a reply, the refusal waits the full 15 days of consultation, to the second', () => {
    const consulted = run([consult('RU', day(2), 'US-1', 'nationality')], base);
    // A waiting period, not a bar: its own code, and the instant it ends is known in advance.
    refused(consulted, refuseOnNationality('RU', day(17, -1), 'US-1'), 'CONSULTATION_PENDING');
    assert.equal(decisionWaitEnds(treaty, getRequest(consulted, 'US-1')!, 'nationality'), day(17));
    assert.ok(apply(consulted, refuseOnNationality('RU', day(17), 'US-1')).ok);
  });

  it('a consultation on another ground does not count', () => {
    const consulted = run([consult('RU', day(2), 'US-1', 'political-offence'), entry('US', day(3), 'request.consult-reply', { request: 'US-1' })], base);
    refused(consulted, refuseOnNationality('RU', day(30), 'US-1'), 'CONSULTATION_REQUIRED');
  });

  it('the US may not refuse an RU national on nationality: its law does not bar it (GROUND_NOT_AVAILABLE)', () => {
    const state = filed(treaty, 'RU-1', 'RU', 'US', 'RU');
    const consulted = run([consult('US', day(2), 'RU-1', 'nationality')], state);
    refused(consulted, refuseOnNationality('US', day(20), 'RU-1'), 'GROUND_NOT_AVAILABLE');
  });
});

describe('decide: mirrored grounds (Arrangement art. 5(1))', () => {
  const both = filed(treaty, 'RU-1', 'RU', 'US', 'US', {}, filed(treaty, 'US-1', 'US', 'RU', 'RU'));
  const usConsults = [consult('US', day(2), 'RU-1', 'nationality'), entry('RU', day(3), 'request.consult-reply', { request: 'RU-1' })];

  it('before RU invokes nationality, the US may not refuse a US national to RU', () => {
    const error = refused(run(usConsults, both), refuseOnNationality('US', day(10), 'RU-1'), 'GROUND_NOT_AVAILABLE');
    assert.match(error.message, /does not bar extraditing nationals/);
  });

  it('after RU invokes nationality against the US, the US may refuse a US national to RU', () => {
    const ruRefuses = [consult('RU', day(2), 'US-1', 'nationality'), entry('US', day(3), 'request.consult-reply', { request: 'US-1' }), refuseOnNationality('RU', day(4), 'US-1')];
    const state = run([...ruRefuses, ...usConsults, refuseOnNationality('US', day(10), 'RU-1')], both);
    assert.equal(getRequest(state, 'RU-1')?.status, 'refused-prosecute-instead');
    assert.deepEqual(state.invocations, [
      { by: 'RU', against: 'US', ground: 'nationality' },
      { by: 'US', against: 'RU', ground: 'nationality' },
    ]);
  });

  it("a request's evaluation is read afresh once a ground is invoked, in the new state and not in the old (summary.ts keeps evaluations)", () => {
    const before = run(usConsults, both);
    const record = getRequest(before, 'RU-1')!;
    const earlier = evaluateRequest(before, record);
    assert.deepEqual(earlier, evaluate(treaty, record.view, before));
    const ruRefuses = [consult('RU', day(2), 'US-1', 'nationality'), entry('US', day(3), 'request.consult-reply', { request: 'US-1' }), refuseOnNationality('RU', day(4), 'US-1')];
    const after = run([...ruRefuses, ...usConsults], both);
    const same = getRequest(after, 'RU-1')!;
    // The filing's view is one object in both states: only the invocations tell them apart.
    assert.equal(same.view, record.view);
    const later = evaluateRequest(after, same);
    assert.deepEqual(later, evaluate(treaty, same.view, after));
    assert.notDeepEqual(later, earlier, 'the mirrored nationality ground applies once RU has invoked it');
    assert.deepEqual(evaluateRequest(before, record), earlier);
  });

  it('an RU refusal on another ground does not open nationality to the US', () => {
    const ruRefusesFiscal = decide('RU', day(4), 'US-1', { decision: 'refuse', ground: 'fiscal', findings: { fiscalOffence: true }, sealed: REASONS });
    refused(run([ruRefusesFiscal, ...usConsults], both), refuseOnNationality('US', day(10), 'RU-1'), 'GROUND_NOT_AVAILABLE');
  });
});

describe('decide: mandatory grounds and extraditability', () => {
  it('ne bis in idem blocks a grant (ECE art. 9)', () => {
    const state = filed(treaty, 'US-1', 'US', 'RU', 'UA', { facts: { finalJudgment: true } });
    const error = refused(state, decide('RU', day(5), 'US-1', { decision: 'grant' }), 'MANDATORY_REFUSAL_APPLIES');
    assert.match(error.message, /ne-bis-in-idem/);
    assert.match(error.message, /ECE art\. 9/);
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant-conditional', onReciprocity: true }), 'MANDATORY_REFUSAL_APPLIES');
    assert.ok(apply(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'ne-bis-in-idem', sealed: REASONS })).ok);
  });

  it("the requested party's findings add facts: a final judgment found blocks the grant", () => {
    const state = filed(treaty, 'US-1', 'US', 'RU', 'UA');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant', findings: { finalJudgment: true } }), 'MANDATORY_REFUSAL_APPLIES');
  });

  it('findings cannot remove a fact of the filing', () => {
    const state = filed(treaty, 'US-1', 'US', 'RU', 'UA', { facts: { finalJudgment: true } });
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant', findings: { finalJudgment: false } }), 'MANDATORY_REFUSAL_APPLIES');
  });

  it('a request with no extraditable offence cannot be granted (ECE art. 2(1))', () => {
    const low = structuredClone(treaty);
    low.lawProfiles.RU!.offences['ransomware-extortion']!.maxPenaltyMonths = 6;
    const state = filed(low, 'US-1', 'US', 'RU', 'UA');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant' }), 'MANDATORY_REFUSAL_APPLIES');
    assert.ok(apply(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'not-extraditable', sealed: REASONS })).ok);
  });

  it('a refusal must cite an available ground, with reasons', () => {
    const state = filed(treaty, 'US-1', 'US', 'RU', 'UA');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'political-offence', sealed: REASONS }), 'GROUND_NOT_AVAILABLE');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'no-such-ground', sealed: REASONS }), 'GROUND_NOT_AVAILABLE');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse', sealed: REASONS }), 'DECISION_INCONSISTENT');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse', ground: 'fiscal', findings: { fiscalOffence: true } }), 'REASONS_REQUIRED');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'refuse-prosecute', ground: 'fiscal', findings: { fiscalOffence: true }, sealed: REASONS }), 'PROSECUTION_NOT_APPLICABLE');
  });

  it('two different approvers decide (two-person rule)', () => {
    const state = filed(treaty, 'US-1', 'US', 'RU', 'UA');
    const error = refused(state, decide('RU', day(5), 'US-1', { decision: 'grant', approvers: ['ru-approver-1', 'ru-approver-1'] }), 'APPROVERS_NOT_DISTINCT');
    assert.equal(error.field, 'body.approvers');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant', approvers: ['ru-approver-1'] }), 'BODY_INVALID');
  });

  it('a provisional-arrest request is not decided (ECE art. 16(4))', () => {
    const state = filed(treaty, 'PA-1', 'US', 'RU', 'UA', { kind: 'provisional-arrest' });
    refused(state, decide('RU', day(5), 'PA-1', { decision: 'grant' }), 'ILLEGAL_TRANSITION');
  });
});

describe('decide: conditions (ECE art. 11; Arrangement art. 5(2))', () => {
  const capital = structuredClone(treaty);
  capital.lawProfiles.US!.offences['ransomware-extortion']!.deathPenalty = true;
  const state = filed(capital, 'US-1', 'US', 'RU', 'UA');

  it('a plain grant is refused when an assurance is required', () => {
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant' }), 'ASSURANCES_REQUIRED');
  });

  it('the conditions must equal the assurances required', () => {
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant-conditional', onReciprocity: true }), 'ASSURANCES_MISMATCH');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant-conditional', assurances: ['no-death-penalty', 'speciality'] }), 'ASSURANCES_MISMATCH');
    refused(state, decide('RU', day(5), 'US-1', { decision: 'grant-conditional' }), 'CONDITIONS_MISSING');
  });

  it('the grant becomes ready when the requesting party gives every assurance; surrender is due 10 days later', () => {
    const granted = run([decide('RU', day(5), 'US-1', { decision: 'grant-conditional', assurances: ['no-death-penalty'] })], state);
    assert.equal(getRequest(granted, 'US-1')?.status, 'granted-conditional');
    refused(granted, entry('US', day(6), 'request.assure', { request: 'US-1', assurances: ['speciality'] }), 'ASSURANCE_NOT_REQUIRED');
    const assured = run([entry('US', day(7), 'request.assure', { request: 'US-1', assurances: ['no-death-penalty'] })], granted);
    assert.equal(getRequest(assured, 'US-1')?.status, 'granted');
    const surrender = deadlines(assured, day(7)).find((deadline) => deadline.kind === 'surrender');
    assert.deepEqual([surrender?.party, surrender?.due], ['RU', day(17)]);
    refused(assured, entry('US', day(8), 'request.assure', { request: 'US-1', assurances: ['no-death-penalty'] }), 'ILLEGAL_TRANSITION');
  });

  it('a grant on reciprocity needs the treaty to allow it', () => {
    const plain = filed(treaty, 'US-1', 'US', 'RU', 'UA');
    assert.ok(apply(plain, decide('RU', day(5), 'US-1', { decision: 'grant-conditional', onReciprocity: true })).ok);
    const strict = structuredClone(treaty);
    strict.reciprocity.conditionalGrants = false;
    refused(filed(strict, 'US-1', 'US', 'RU', 'UA'), decide('RU', day(5), 'US-1', { decision: 'grant-conditional', onReciprocity: true }), 'RECIPROCITY_NOT_ALLOWED');
  });
});
