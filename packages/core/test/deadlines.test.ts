import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deadlines, type AnyDomainEntry, type Deadline, type DeadlineKind, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

/**
 * Deadline arithmetic at its edges. A due instant is the last on-time second: at `due` an
 * obligation is not overdue, one second later it is.
 */
const treaty = treaty2021();
const adopted = run(adoption(treaty));

function state(entries: AnyDomainEntry[]): State {
  return run([entry('US', day(0), 'request.file', fileBody('R', { subject: { pseudonym: 'p-r', nationalities: ['UA'], ageAtOffence: 30 } })), ...entries], adopted);
}

function find(s: State, kind: DeadlineKind, now: number): Deadline | undefined {
  return deadlines(s, now).find((deadline) => deadline.request === 'R' && deadline.kind === kind);
}

function due(s: State, kind: DeadlineKind): number | undefined {
  return find(s, kind, day(0))?.due;
}

const ack = entry('RU', day(1), 'request.acknowledge', { request: 'R' });
const arrest = (at: number) => entry('RU', at, 'request.arrest', { request: 'R' });
const consent = (at: number) => entry('RU', at, 'request.consent', { request: 'R' });
const extend = (at: number) => entry('RU', at, 'request.extend', { request: 'R', sealed: REASONS });
const grant = (at: number) => entry('RU', at, 'request.decide', { request: 'R', decision: 'grant', approvers: APPROVERS });

describe('deadlines: acknowledgement (Arrangement art. 7(1): 10 days)', () => {
  const filed = state([]);
  it('is owed by the requested party, due 10 days after filing', () => {
    const deadline = find(filed, 'acknowledge', day(0));
    assert.deepEqual([deadline?.party, deadline?.due, deadline?.since, deadline?.article], ['RU', day(10), day(0), 'Arrangement art. 7(1)']);
  });
  it('is not overdue at the due instant, and overdue one second later', () => {
    assert.equal(find(filed, 'acknowledge', day(10))?.overdue, false);
    assert.equal(find(filed, 'acknowledge', day(10, 1))?.overdue, true);
  });
  it('closes when acknowledged', () => {
    assert.equal(find(state([ack]), 'acknowledge', day(30)), undefined);
  });
});

describe('deadlines: decision (FD 2002/584 art. 17)', () => {
  it('runs 60 days from filing, to the second', () => {
    const s = state([ack]);
    assert.equal(due(s, 'decide'), day(60));
    assert.equal(find(s, 'decide', day(60))?.overdue, false);
    assert.equal(find(s, 'decide', day(60, 1))?.overdue, true);
    assert.equal(find(s, 'decide', day(60))?.party, 'RU');
  });
  it('runs from the arrest when the arrest comes after filing (art. 17(3))', () => {
    assert.equal(due(state([ack, arrest(day(5))]), 'decide'), day(65));
  });
  it('runs from filing when the person was arrested earlier, on a provisional arrest', () => {
    const s = run(
      [
        entry('US', day(0), 'request.file', fileBody('PA', { kind: 'provisional-arrest' })),
        entry('RU', day(1), 'request.arrest', { request: 'PA' }),
        entry('US', day(10), 'request.file', fileBody('R', { follows: 'PA' })),
      ],
      adopted,
    );
    assert.equal(due(s, 'decide'), day(70));
  });
  it('is extended once by 30 days, with reasons, up to the due instant itself (art. 17(4))', () => {
    assert.equal(due(state([ack, extend(day(60))]), 'decide'), day(90));
    refused(state([ack]), extend(day(60, 1)), 'DEADLINE_PASSED');
    refused(state([ack, extend(day(20))]), extend(day(30)), 'ALREADY_DONE');
    refused(state([ack]), entry('RU', day(20), 'request.extend', { request: 'R' }), 'REASONS_REQUIRED');
  });
  it('is due 10 days after consent (art. 17(2)), even past the ordinary 60 days', () => {
    assert.equal(due(state([ack, arrest(day(2)), consent(day(20))]), 'decide'), day(30));
    assert.equal(due(state([ack, arrest(day(2)), consent(day(55))]), 'decide'), day(65));
  });
  it('a consent after the ordinary limit has passed does not cure the breach', () => {
    const s = state([arrest(day(0)), ack, consent(day(61))]);
    assert.equal(due(s, 'decide'), day(60));
    assert.equal(find(s, 'decide', day(61))?.overdue, true);
  });
  it('an extension adds to the consent period', () => {
    assert.equal(due(state([ack, arrest(day(2)), consent(day(20)), extend(day(25))]), 'decide'), day(60));
  });
  it('consent needs an arrested person', () => {
    refused(state([ack]), consent(day(5)), 'ILLEGAL_TRANSITION');
  });
  it('closes with the decision', () => {
    assert.equal(find(state([ack, grant(day(5))]), 'decide', day(100)), undefined);
  });
});

describe('deadlines: information, consultation, surrender', () => {
  it('the requesting party answers a request for information within 30 days (ECE art. 13)', () => {
    const s = state([ack, entry('RU', day(5), 'request.ask-info', { request: 'R' })]);
    const deadline = find(s, 'reply-to-info-request', day(35));
    assert.deepEqual([deadline?.party, deadline?.due, deadline?.overdue], ['US', day(35), false]);
    assert.equal(find(s, 'reply-to-info-request', day(35, 1))?.overdue, true);
    assert.equal(find(run([entry('US', day(6), 'request.supply-info', { request: 'R' })], s), 'reply-to-info-request', day(6)), undefined);
  });
  it('the requesting party answers a consultation within its days (UNTOC art. 16(16))', () => {
    const s = state([ack, entry('RU', day(5), 'request.consult', { request: 'R', ground: 'political-offence' })]);
    const deadline = find(s, 'reply-to-consultation', day(5));
    assert.deepEqual([deadline?.party, deadline?.due], ['US', day(20)]);
    assert.equal(find(run([entry('US', day(6), 'request.consult-reply', { request: 'R' })], s), 'reply-to-consultation', day(6)), undefined);
  });
  it('surrender is due 10 days after the grant (FD 2002/584 art. 23(2)), and closes on surrender', () => {
    const s = state([ack, grant(day(5))]);
    const deadline = find(s, 'surrender', day(15));
    assert.deepEqual([deadline?.party, deadline?.due, deadline?.overdue], ['RU', day(15), false]);
    assert.equal(find(s, 'surrender', day(15, 1))?.overdue, true);
    const scheduled = run([entry('RU', day(6), 'request.schedule-surrender', { request: 'R', date: '2021-06-28' })], s);
    assert.equal(due(scheduled, 'surrender'), day(15));
    assert.equal(find(run([entry('RU', day(8), 'request.surrender', { request: 'R' })], scheduled), 'surrender', day(8)), undefined);
  });
  it('a grant conditional on reciprocity has no surrender clock until a trade (a later issue)', () => {
    const s = state([ack, entry('RU', day(5), 'request.decide', { request: 'R', decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS })]);
    assert.equal(find(s, 'surrender', day(5)), undefined);
  });
});

describe('deadlines: provisional arrest (ECE art. 16(4): 18 and 40 days)', () => {
  const provisional = run([entry('US', day(0), 'request.file', fileBody('R', { kind: 'provisional-arrest' })), arrest(day(2))], adopted);
  it('the requesting party files the full request within 18 days of the arrest', () => {
    const deadline = find(provisional, 'file-full-request', day(20));
    assert.deepEqual([deadline?.party, deadline?.due, deadline?.overdue], ['US', day(20), false]);
    assert.equal(find(provisional, 'file-full-request', day(20, 1))?.overdue, true);
  });
  it('the requested party releases within 40 days at most', () => {
    const deadline = find(provisional, 'release-from-provisional-arrest', day(42));
    assert.deepEqual([deadline?.party, deadline?.due, deadline?.overdue], ['RU', day(42), false]);
  });
  it('has no decision clock, and both clocks close when the full request is filed', () => {
    assert.equal(find(provisional, 'decide', day(0)), undefined);
    const followed = run([entry('US', day(10), 'request.file', fileBody('FULL', { follows: 'R' }))], provisional);
    assert.deepEqual(deadlines(followed, day(10)).filter((deadline) => deadline.request === 'R'), []);
  });
  it('has no clock before the arrest', () => {
    const unarrested = run([entry('US', day(0), 'request.file', fileBody('R', { kind: 'provisional-arrest' }))], adopted);
    assert.deepEqual(deadlines(unarrested, day(0)).map((deadline) => deadline.kind), ['acknowledge']);
  });
});

describe('deadlines: prosecution reports (Budapest art. 24(6))', () => {
  const refusedState = run(
    [
      entry('US', day(0), 'request.file', fileBody('R')),
      ack,
      entry('RU', day(2), 'request.consult', { request: 'R', ground: 'nationality' }),
      entry('US', day(3), 'request.consult-reply', { request: 'R' }),
      entry('RU', day(10), 'request.decide', { request: 'R', decision: 'refuse-prosecute', ground: 'nationality', approvers: APPROVERS, sealed: REASONS }),
    ],
    adopted,
  );
  it('is due every 90 days from the refusal, then from the last report', () => {
    assert.equal(due(refusedState, 'prosecution-report'), day(100));
    assert.equal(find(refusedState, 'prosecution-report', day(100, 1))?.overdue, true);
    const opened = run([entry('RU', day(40), 'prosecution.milestone', { request: 'R', milestone: 'opened' })], refusedState);
    assert.equal(due(opened, 'prosecution-report'), day(130));
  });
  it('ends with the outcome', () => {
    const done = run(
      [entry('RU', day(40), 'prosecution.milestone', { request: 'R', milestone: 'opened' }), entry('RU', day(50), 'prosecution.outcome', { request: 'R', outcome: 'convicted', sentenceMonths: 24 })],
      refusedState,
    );
    assert.equal(find(done, 'prosecution-report', day(500)), undefined);
  });
  it('milestones run in order from opened', () => {
    refused(refusedState, entry('RU', day(40), 'prosecution.milestone', { request: 'R', milestone: 'charged' }), 'ILLEGAL_TRANSITION');
    refused(refusedState, entry('RU', day(40), 'prosecution.outcome', { request: 'R', outcome: 'discontinued' }), 'ILLEGAL_TRANSITION');
    const charged = run([entry('RU', day(40), 'prosecution.milestone', { request: 'R', milestone: 'opened' }), entry('RU', day(41), 'prosecution.milestone', { request: 'R', milestone: 'charged' })], refusedState);
    refused(charged, entry('RU', day(42), 'prosecution.milestone', { request: 'R', milestone: 'opened' }), 'ILLEGAL_TRANSITION');
    refused(charged, entry('RU', day(42), 'prosecution.outcome', { request: 'R', outcome: 'acquitted', sentenceMonths: 3 }), 'BODY_INVALID');
    run([entry('RU', day(42), 'prosecution.milestone', { request: 'R', milestone: 'progress' })], charged);
  });
});

describe('deadlines: the list', () => {
  it('is empty before a treaty, and sorted by due instant', () => {
    assert.deepEqual(deadlines(run([]), day(0)), []);
    const s = state([ack, entry('RU', day(5), 'request.ask-info', { request: 'R' })]);
    assert.deepEqual(deadlines(s, day(0)).map((deadline) => deadline.kind), ['reply-to-info-request', 'decide']);
  });
});

describe('deadlines: a late arrest does not cure a missed decision deadline', () => {
  it('an arrest at the last on-time second still moves the clock', () => {
    assert.equal(due(state([ack, arrest(day(60))]), 'decide'), day(120));
  });
  it('an arrest after the 60 days ran out leaves the decision overdue', () => {
    const s = state([ack, arrest(day(60, 1))]);
    assert.equal(find(s, 'decide', day(61))?.due, day(60));
    assert.equal(find(s, 'decide', day(61))?.overdue, true);
  });
});
