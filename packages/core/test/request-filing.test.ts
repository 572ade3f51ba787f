import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, getRequest, listRequests, requestSummaries } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, refused, run } from './request-helpers.ts';

const treaty = treaty2021();
const adopted = run(adoption(treaty));
const file = (author: string, body: Record<string, unknown>, time = day(0)) => entry(author, time, 'request.file', body);

describe('request.file', () => {
  it('stores the public view, with the filing time and the facts', () => {
    const state = run([file('US', fileBody('US-1', { facts: { pendingProceedings: true } }))], adopted);
    const record = getRequest(state, 'US-1');
    assert.equal(record?.status, 'filed');
    assert.equal(record?.view.requesting, 'US');
    assert.equal(record?.view.requested, 'RU');
    assert.equal(record?.view.filedAt, day(0));
    assert.equal(record?.view.facts.pendingProceedings, true);
    assert.equal(record?.view.facts.finalJudgment, false);
    assert.equal(record?.pseudonym, 'subject-US-1');
    assert.deepEqual(record?.history, [{ index: 3, type: 'request.file', time: day(0), author: 'US' }]);
  });

  it('names the field and the rule of a bad body (BODY_INVALID)', () => {
    const error = refused(adopted, file('US', fileBody('US-1', { subject: { pseudonym: 'p-1', nationalities: ['RU'], ageAtOffence: -3 } })), 'BODY_INVALID');
    assert.equal(error.field, 'body.subject.ageAtOffence');
    assert.match(error.message, /^body\.subject\.ageAtOffence: .*found number -3/);
    assert.equal(refused(adopted, file('US', fileBody('US-1', { colour: 'red' })), 'BODY_INVALID').message, 'body: unknown field "colour"');
  });

  it('refuses a request to oneself, to a non-party, a duplicate id and an unknown offence', () => {
    assert.equal(refused(adopted, file('US', fileBody('US-1', { requested: 'US' })), 'REQUESTED_INVALID').field, 'body.requested');
    refused(adopted, file('US', fileBody('US-1', { requested: 'CH' })), 'REQUESTED_INVALID');
    const once = run([file('US', fileBody('US-1'))], adopted);
    refused(once, file('RU', fileBody('US-1', { requested: 'US' })), 'REQUEST_EXISTS');
    assert.equal(refused(adopted, file('US', fileBody('US-1', { offences: ['illegal-access', 'jaywalking'] })), 'OFFENCE_UNKNOWN').field, 'body.offences[1]');
    refused(adopted, file('US', fileBody('US-1', { offenceDate: '2021-02-30' })), 'DATE_INVALID');
    refused(adopted, file('US', fileBody('US-1', { offenceDate: '2022-01-01' })), 'DATE_INVALID');
  });

  it('links a full request to an earlier provisional arrest between the same parties only (ECE art. 16(4))', () => {
    const provisional = run([file('US', fileBody('PA-1', { kind: 'provisional-arrest' })), file('RU', fileBody('RU-1', { requested: 'US', subject: { pseudonym: 'p-2', nationalities: ['UA'], ageAtOffence: 30 } }))], adopted);
    refused(provisional, file('US', fileBody('US-2', { follows: 'PA-9' }), day(2)), 'REQUEST_UNKNOWN');
    refused(provisional, file('US', fileBody('US-2', { follows: 'RU-1' }), day(2)), 'FOLLOWS_INVALID');
    refused(provisional, file('US', fileBody('US-2', { follows: 'PA-1', kind: 'provisional-arrest' }), day(2)), 'FOLLOWS_INVALID');
    const fromRu = run([file('RU', fileBody('PA-RU', { requested: 'US', kind: 'provisional-arrest' }))], provisional);
    refused(fromRu, file('US', fileBody('US-2', { follows: 'PA-RU' }), day(2)), 'FOLLOWS_INVALID');
    const followed = run([file('US', fileBody('US-2', { follows: 'PA-1' }), day(2))], provisional);
    assert.equal(getRequest(followed, 'PA-1')?.status, 'superseded');
    refused(followed, file('US', fileBody('US-3', { follows: 'PA-1' }), day(3)), 'FOLLOWS_INVALID');
  });

  it('refuses an entry dated before the last entry of its request (TIME_REVERSED)', () => {
    const state = run([file('US', fileBody('US-1'), day(5))], adopted);
    refused(state, entry('RU', day(4), 'request.acknowledge', { request: 'US-1' }), 'TIME_REVERSED');
  });

  it('lists requests in filing order with their evaluation', () => {
    const state = run([file('US', fileBody('B-1')), file('US', fileBody('A-1')), entry('RU', day(1), 'request.acknowledge', { request: 'B-1' })], adopted);
    assert.deepEqual(listRequests(state).map((record) => record.id), ['B-1', 'A-1']);
    const [first] = requestSummaries(state);
    assert.equal(first?.status, 'acknowledged');
    assert.deepEqual(first?.evaluation?.availableGrounds, ['nationality']);
    assert.deepEqual(first?.history.map((item) => item.type), ['request.file', 'request.acknowledge']);
  });

  it('keeps every earlier state valid: apply shares structure and never mutates', () => {
    const before = run([file('US', fileBody('US-1')), entry('RU', day(1), 'request.acknowledge', { request: 'US-1' })], adopted);
    const snapshot = JSON.stringify(before);
    const after = apply(before, entry('RU', day(5), 'request.decide', { request: 'US-1', decision: 'grant-conditional', onReciprocity: true, approvers: APPROVERS }));
    assert.ok(after.ok);
    assert.equal(getRequest(after.value, 'US-1')?.status, 'granted-conditional');
    assert.equal(getRequest(before, 'US-1')?.status, 'acknowledged');
    assert.equal(JSON.stringify(before), snapshot);
  });
});
