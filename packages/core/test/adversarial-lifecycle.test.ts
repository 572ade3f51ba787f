import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply, deadlines, evaluate, getRequest, median, mirrorLawProfiles, mirrorParties, statistics, arbitraryContext, arbitraryRequest, type State, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

/** Adversarial checks of issue 2's decision rules, clocks and statistics that hold today. */
const treaty = treaty2021();
const adopted = run(adoption(treaty));
const file = (author: string, id: string, requested: string, nationality: string, at = day(0), extra: Record<string, unknown> = {}) =>
  entry(author, at, 'request.file', fileBody(id, { requested, subject: { pseudonym: `p-${id}`, nationalities: [nationality], ageAtOffence: 30 }, ...extra }));
const decide = (author: string, at: number, request: string, body: Record<string, unknown>) => entry(author, at, 'request.decide', { request, approvers: APPROVERS, ...body });
const refuseNationality = (author: string, at: number, request: string) => decide(author, at, request, { decision: 'refuse-prosecute', ground: 'nationality', sealed: REASONS });

describe('mirrored grounds cannot be obtained by a refused refusal, and bring their duties', () => {
  const both = run([file('US', 'US-1', 'RU', 'RU'), entry('RU', day(1), 'request.acknowledge', { request: 'US-1' }), file('RU', 'RU-1', 'US', 'US'), entry('US', day(1), 'request.acknowledge', { request: 'RU-1' })], adopted);

  it('an RU refusal on nationality that apply refuses (no consultation) records no invocation', () => {
    const result = apply(both, refuseNationality('RU', day(2), 'US-1'));
    assert.equal(result.ok, false);
    assert.deepEqual(both.invocations, []);
    const usConsulted = run([entry('US', day(2), 'request.consult', { request: 'RU-1', ground: 'nationality' }), entry('RU', day(3), 'request.consult-reply', { request: 'RU-1' })], both);
    refused(usConsulted, refuseNationality('US', day(4), 'RU-1'), 'GROUND_NOT_AVAILABLE');
  });

  it('a mirrored nationality refusal still needs consultation and a prosecution (UNTOC art. 16(16); Budapest art. 24(6))', () => {
    const invoked = run([entry('RU', day(2), 'request.consult', { request: 'US-1', ground: 'nationality' }), entry('US', day(3), 'request.consult-reply', { request: 'US-1' }), refuseNationality('RU', day(4), 'US-1')], both);
    refused(invoked, refuseNationality('US', day(5), 'RU-1'), 'CONSULTATION_REQUIRED');
    const consulted = run([entry('US', day(5), 'request.consult', { request: 'RU-1', ground: 'nationality' }), entry('RU', day(6), 'request.consult-reply', { request: 'RU-1' })], invoked);
    refused(consulted, decide('US', day(7), 'RU-1', { decision: 'refuse', ground: 'nationality', sealed: REASONS }), 'PROSECUTION_REQUIRED');
    assert.equal(getRequest(run([refuseNationality('US', day(7), 'RU-1')], consulted), 'RU-1')?.status, 'refused-prosecute-instead');
  });

  it('a consultation on another request does not count for this one', () => {
    const s = run([file('US', 'US-2', 'RU', 'RU'), entry('RU', day(1), 'request.acknowledge', { request: 'US-2' }), entry('RU', day(2), 'request.consult', { request: 'US-1', ground: 'nationality' }), entry('US', day(3), 'request.consult-reply', { request: 'US-1' })], both);
    refused(s, refuseNationality('RU', day(40), 'US-2'), 'CONSULTATION_REQUIRED');
  });

  it('the requesting party cannot answer a consultation that was never opened, nor open one itself', () => {
    refused(both, entry('US', day(2), 'request.consult-reply', { request: 'US-1' }), 'NO_OPEN_CONSULTATION');
    refused(both, entry('US', day(2), 'request.consult', { request: 'US-1', ground: 'nationality' }), 'NOT_REQUESTED_PARTY');
  });
});

describe('clocks an adversary might try to reset', () => {
  const base = run([file('US', 'R', 'RU', 'UA'), entry('RU', day(1), 'request.acknowledge', { request: 'R' })], adopted);
  const find = (s: State, kind: string, now = day(0)) => deadlines(s, now).find((item) => item.request === 'R' && item.kind === kind);

  it('a question pauses the decision clock exactly as long as it stays open, and a second question restarts only the info clock', () => {
    const s = run([entry('RU', day(10), 'request.ask-info', { request: 'R' }), entry('US', day(20), 'request.supply-info', { request: 'R' }), entry('RU', day(25), 'request.ask-info', { request: 'R' })], base);
    // 60 days, plus the 10 of the first question, plus the 5 the second has been open at day 30.
    assert.deepEqual([find(s, 'decide', day(30))?.due, find(s, 'decide', day(30))?.pausedSince, find(s, 'decide', day(30))?.overdue], [day(75), day(25), false]);
    assert.equal(find(run([entry('US', day(32), 'request.supply-info', { request: 'R' })], s), 'decide', day(40))?.due, day(77));
    assert.equal(find(run([entry('US', day(32), 'request.supply-info', { request: 'R' })], s), 'decide', day(40))?.pausedSince, undefined);
    // Without the treaty's pause the question changes nothing; a question after the limit does not cure the breach.
    const unpaused = run([entry('RU', day(10), 'request.ask-info', { request: 'R' }), entry('US', day(20), 'request.supply-info', { request: 'R' })], run([file('US', 'R', 'RU', 'UA'), entry('RU', day(1), 'request.acknowledge', { request: 'R' })], run(adoption({ ...treaty, deadlines: { ...treaty.deadlines, infoRequestPausesDecision: false } }))));
    assert.equal(find(unpaused, 'decide')?.due, day(60));
    const late = run([entry('RU', day(61), 'request.ask-info', { request: 'R' })], base);
    assert.deepEqual([find(late, 'decide', day(70))?.due, find(late, 'decide', day(70))?.overdue], [day(60), true]);
    assert.equal(find(s, 'reply-to-info-request')?.due, day(55));
    assert.equal(find(s, 'reply-to-info-request', day(55))?.overdue, false);
    assert.equal(find(s, 'reply-to-info-request', day(55, 1))?.overdue, true);
    assert.equal(find(run([entry('US', day(30), 'request.supply-info', { request: 'R' })], s), 'reply-to-info-request'), undefined);
  });

  it('a consent cannot be recorded twice to restart its 10 days, nor an extension twice', () => {
    const s = run([entry('RU', day(2), 'request.arrest', { request: 'R' }), entry('RU', day(3), 'request.consent', { request: 'R' })], base);
    assert.equal(find(s, 'decide')?.due, day(13));
    refused(s, entry('RU', day(12), 'request.consent', { request: 'R' }), 'ALREADY_DONE');
    refused(s, entry('RU', day(12), 'request.arrest', { request: 'R' }), 'ALREADY_DONE');
    const extended = run([entry('RU', day(13), 'request.extend', { request: 'R', sealed: REASONS })], s);
    assert.equal(find(extended, 'decide')?.due, day(43));
    refused(extended, entry('RU', day(20), 'request.extend', { request: 'R', sealed: REASONS }), 'ALREADY_DONE');
  });

  it('a withdrawn provisional arrest owes nothing; the 18/40 clocks do not survive it', () => {
    const s = run([file('US', 'PA', 'RU', 'UA', day(0), { kind: 'provisional-arrest' }), entry('RU', day(1), 'request.arrest', { request: 'PA' })], adopted);
    const kinds = deadlines(s, day(0)).filter((item) => item.request === 'PA').map((item) => `${item.kind}@${(item.due - day(1)) / 86_400}`);
    assert.deepEqual(kinds.sort(), ['acknowledge@9', 'file-full-request@18', 'release-from-provisional-arrest@40']);
    const withdrawn = run([entry('US', day(5), 'request.withdraw', { request: 'PA', sealed: REASONS })], s);
    // Nothing but the erasure of its personal data, years on (issue 17).
    assert.deepEqual(deadlines(withdrawn, day(50)).filter((item) => item.request === 'PA' && item.kind !== 'erase-personal-data'), []);
  });

  it('a request cannot be decided twice, nor withdrawn after surrender', () => {
    const granted = run([decide('RU', day(5), 'R', { decision: 'grant' })], base);
    refused(granted, decide('RU', day(6), 'R', { decision: 'refuse', ground: 'not-extraditable', sealed: REASONS }), 'ILLEGAL_TRANSITION');
    const surrendered = run([entry('RU', day(6), 'request.schedule-surrender', { request: 'R', date: '2021-06-25' }), entry('RU', day(9), 'request.surrender', { request: 'R' })], granted);
    refused(surrendered, entry('US', day(10), 'request.withdraw', { request: 'R', sealed: REASONS }), 'ILLEGAL_TRANSITION');
    refused(surrendered, entry('RU', day(10), 'request.confirm-receipt', { request: 'R' }), 'NOT_REQUESTING_PARTY');
  });
});

describe('statistics count what the log shows', () => {
  it('median days to decision over odd and even counts, and unanswered requests only past their own deadline', () => {
    const ids = ['A', 'B', 'C', 'D'];
    const entries = [
      ...ids.map((id) => file('US', id, 'RU', 'UA')),
      ...ids.map((id) => entry('RU', day(1), 'request.acknowledge', { request: id })),
      decide('RU', day(10), 'A', { decision: 'grant' }),
      decide('RU', day(20), 'B', { decision: 'grant' }),
    ];
    // statistics(state, now) reads the log up to now, so each instant gets its own state.
    const s = run(entries, adopted);
    const atDue = statistics(s, day(60)).find((item) => item.requesting === 'US');
    assert.deepEqual([atDue?.pending, atDue?.unansweredPastDeadline], [2, 0], 'at the due instant, nothing is late yet');
    const us = statistics(s, day(60, 1)).find((item) => item.requesting === 'US');
    assert.deepEqual([us?.decided, us?.decidedOnTime, us?.pending, us?.unansweredPastDeadline, us?.medianDaysToDecision], [2, 2, 2, 2, 15]);
    const later = statistics(run([decide('RU', day(70), 'C', { decision: 'grant' })], s), day(200)).find((item) => item.requesting === 'US');
    assert.deepEqual([later?.decided, later?.decidedOnTime, later?.pending, later?.unansweredPastDeadline, later?.medianDaysToDecision], [3, 2, 1, 1, 20]);
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
  });
});

describe('symmetry with a third party in the treaty (property)', () => {
  // A third party whose invocations and nationals appear in the context: swapping US and RU
  // must still mirror every outcome, and leave CH where it is.
  const three: Treaty = structuredClone(treaty);
  three.parties.push({ id: 'CH', name: 'Swiss Confederation', centralAuthority: 'Federal Office of Justice' });
  three.lawProfiles.CH = { ...structuredClone(three.lawProfiles.RU!), ageOfCriminalResponsibility: 14 };

  it('evaluate(mirror(treaty), mirror(request), mirror(context)) equals mirror(evaluate(...))', () => {
    const third = fc.record({ by: fc.constantFrom('US', 'RU', 'CH'), against: fc.constantFrom('US', 'RU', 'CH'), ground: fc.constantFrom(...three.grounds.map((ground) => ground.id)) });
    const request = fc.tuple(arbitraryRequest(three, 'US', 'RU'), fc.constantFrom('none', 'requesting', 'requested'), fc.subarray(['CH', 'US', 'RU'])).map(([view, swapCH, nationalities]) => ({
      ...view,
      requesting: swapCH === 'requesting' ? 'CH' : view.requesting,
      requested: swapCH === 'requested' && view.requesting !== 'CH' ? 'CH' : view.requested,
      subject: { ...view.subject, nationalities },
    }));
    fc.assert(
      fc.property(request, arbitraryContext(three, 'US', 'RU'), fc.array(third, { maxLength: 4 }), (view, context, extra) => {
        const full = { invocations: [...context.invocations, ...extra] };
        const outcome = evaluate(three, view, full);
        const mirrored = evaluate(mirrorLawProfiles(three, 'US', 'RU'), mirrorParties(view, 'US', 'RU'), mirrorParties(full, 'US', 'RU'));
        assert.deepEqual(mirrored, mirrorParties(outcome, 'US', 'RU'));
      }),
      { numRuns: 400, seed: 1957 },
    );
  });
});
