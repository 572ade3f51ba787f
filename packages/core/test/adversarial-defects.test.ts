import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply, getRequest, statistics, type PairStatistics, type State, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, REASONS, refused, run } from './request-helpers.ts';

/**
 * Adversarial regressions: each test here failed against the first build of the pure core
 * (issue 2) and pins the fix.
 */
const treaty = treaty2021();
const adopted = run(adoption(treaty));
const subject = (nationality: string) => ({ subject: { pseudonym: 'p-r', nationalities: [nationality], ageAtOffence: 30 } });

function pair(s: State, requesting: string, requested: string, now: number): PairStatistics {
  const found = statistics(s, now).find((item) => item.requesting === requesting && item.requested === requested);
  assert.ok(found);
  return found;
}

describe('entry times far in the future are a typed error, never a RangeError', () => {
  // 8.64e15 ms is the end of ECMAScript time; a safe-integer entry time beyond 8.64e12 s
  // used to reach isoTime() in an error message and throw "Invalid time value".
  const far = 9_000_000_000_000;

  it('refuses the envelope time, naming the field', () => {
    const result = apply(adopted, entry('US', far, 'request.file', fileBody('R', subject('UA'))));
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.error.code, 'ENTRY_INVALID');
    assert.equal(result.error.field, 'time');
    assert.match(result.error.message, /^time: /);
  });

  it('a second arrest or consent, or a late extension, at a far time does not throw', () => {
    const s = run([entry('US', day(0), 'request.file', fileBody('R', subject('UA'))), entry('RU', day(1), 'request.acknowledge', { request: 'R' }), entry('RU', day(2), 'request.arrest', { request: 'R' })], adopted);
    for (const type of ['request.arrest', 'request.consent', 'request.extend'] as const) {
      for (const time of [8_640_000_000_001, far, Number.MAX_SAFE_INTEGER]) {
        const result = apply(s, entry('RU', time, type, type === 'request.extend' ? { request: 'R', sealed: REASONS } : { request: 'R' }));
        assert.equal(result.ok, false, `${type} at ${time}`);
      }
    }
  });

  it('the last second of 9999 is still a valid entry time', () => {
    assert.ok(apply(adopted, entry('US', 253_402_300_799, 'request.file', fileBody('R', subject('UA')))).ok);
  });
});

describe('statistics: a decision is judged against the clock that ran before it', () => {
  it('an arrest recorded after a late grant does not make the decision on time (FD 2002/584 art. 17)', () => {
    const s = run(
      [
        entry('US', day(0), 'request.file', fileBody('R', subject('UA'))),
        entry('RU', day(1), 'request.acknowledge', { request: 'R' }),
        entry('RU', day(100), 'request.decide', { request: 'R', decision: 'grant', approvers: APPROVERS }),
        // The arrest for surrender, after the grant; legal, and it must not rewrite history.
        entry('RU', day(101), 'request.arrest', { request: 'R' }),
      ],
      adopted,
    );
    assert.equal(getRequest(s, 'R')?.status, 'granted');
    const stats = pair(s, 'US', 'RU', day(200));
    assert.deepEqual([stats.decided, stats.decidedOnTime], [1, 0]);
  });

  it('an arrest before the decision still moves the clock (the documented rule)', () => {
    const s = run(
      [
        entry('US', day(0), 'request.file', fileBody('R', subject('UA'))),
        entry('RU', day(1), 'request.acknowledge', { request: 'R' }),
        entry('RU', day(30), 'request.arrest', { request: 'R' }),
        entry('RU', day(90), 'request.decide', { request: 'R', decision: 'grant', approvers: APPROVERS }),
      ],
      adopted,
    );
    assert.deepEqual([pair(s, 'US', 'RU', day(200)).decidedOnTime], [1]);
  });
});

describe('treaty amendment: every party of the treaty in force ratifies (DESIGN.md "The treaty")', () => {
  const withoutRU: Treaty = structuredClone(treaty);
  withoutRU.version = 2;
  withoutRU.parties = [withoutRU.parties[0]!, { id: 'CH', name: 'Swiss Confederation', centralAuthority: 'Federal Office of Justice' }];
  withoutRU.lawProfiles = { US: withoutRU.lawProfiles.US!, CH: withoutRU.lawProfiles.RU! };
  const propose = entry('US', day(0), 'treaty.propose', { treaty: withoutRU });
  const ratify = (author: string) => entry(author, day(0), 'treaty.ratify', { treaty: withoutRU.id, version: 2 });

  it('US and a newcomer cannot drop RU from the treaty without RU', () => {
    const s = run([propose, ratify('US'), ratify('CH')], adopted);
    assert.equal(s.treaty?.version, 1, 'version 1 stays in force');
    assert.deepEqual(s.treaty?.parties.map((party) => party.id), ['US', 'RU']);
    // RU keeps acting under the treaty in force.
    assert.ok(apply(s, entry('RU', day(1), 'request.file', fileBody('RU-1', { requested: 'US', ...subject('RU') }))).ok);
  });

  it('RU, a party of the treaty in force, may ratify the amendment that drops it, and then it is adopted', () => {
    const s = run([propose, ratify('US'), ratify('CH'), ratify('RU')], adopted);
    assert.equal(s.treaty?.version, 2);
    assert.deepEqual(s.treaty?.parties.map((party) => party.id), ['US', 'CH']);
  });

  it('a stranger to both treaties still may not ratify', () => {
    refused(run([propose], adopted), ratify('FR'), 'AUTHOR_NOT_A_PARTY');
  });
});

describe('messages name the field they report', () => {
  const filed = run([entry('US', day(0), 'request.file', fileBody('R', { ...subject('UA'), facts: { fiscalOffence: true } })), entry('RU', day(1), 'request.acknowledge', { request: 'R' })], adopted);

  it('a refusal on reciprocity names body.onReciprocity in the message and the field', () => {
    const error = refused(filed, entry('RU', day(2), 'request.decide', { request: 'R', decision: 'refuse', ground: 'fiscal', onReciprocity: true, approvers: APPROVERS, sealed: REASONS }), 'DECISION_INCONSISTENT');
    assert.equal(error.field, 'body.onReciprocity');
    assert.match(error.message, /^body\.onReciprocity: /);
  });

  it('a refusal with assurances names body.assurances', () => {
    const error = refused(filed, entry('RU', day(2), 'request.decide', { request: 'R', decision: 'refuse', ground: 'fiscal', assurances: ['no-death-penalty'], approvers: APPROVERS, sealed: REASONS }), 'DECISION_INCONSISTENT');
    assert.equal(error.field, 'body.assurances');
    assert.match(error.message, /^body\.assurances: /);
  });

  it('a proposal made twice names the field it reports', () => {
    const proposed = run([entry('US', day(0), 'treaty.propose', { treaty: { ...structuredClone(treaty), version: 2 } })], adopted);
    const error = refused(proposed, entry('RU', day(0), 'treaty.propose', { treaty: { ...structuredClone(treaty), version: 2 } }), 'PROPOSAL_EXISTS');
    assert.ok(error.field && error.message.startsWith(`${error.field}: `), `${error.field} vs ${error.message}`);
  });
});
