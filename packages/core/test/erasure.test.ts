import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addMonths, apply, caseEndedAt, getRequest, legalActs, openObligations, retentionEndsAt, type AnyDomainEntry, type State } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, day, entry, fileBody, refused, run } from './request-helpers.ts';

/**
 * Issue 17, "erasure that fits an append-only log": transport keys in the log, the case key's
 * wraps in a filing, and request.erase by either party once the case ended and the treaty's
 * retention period ran. Every rule is checked with the parties in both roles.
 */

const KEY = (n: number) => `${'A'.repeat(41)}${'BCDEFGH'[n % 7]}A`;
const WRAP = 'eyJhbGciOiJFQ0RILUVTK0EyNTZLVyJ9.AAAA.BBBB.CCCC.DDDD';
const publish = (party: string, kid: string, n: number, at = day(0)) => entry(party, at, 'seal.publish', { kid, key: KEY(n) });
const wraps = (to: readonly [string, string][]) => to.map(([party, kid]) => ({ to: party, kid, wrapped: WRAP }));

/** Both parties' transport keys in force, then a request from `from` to `to`, withdrawn on day 2. */
function withdrawnCase(from: string, to: string): State {
  return run([
    ...adoption(treaty2021()),
    publish('US', 'US-t1', 1),
    publish('RU', 'RU-t1', 2),
    entry(from, day(1), 'request.file', fileBody('C-1', { requested: to, caseKeys: wraps([[from, `${from}-t1`], [to, `${to}-t1`]]) })),
    entry(from, day(2), 'request.withdraw', { request: 'C-1' }),
  ]);
}

const ENDS = addMonths(day(2), 5 * 12);

describe('transport keys (seal.publish)', () => {
  it('keeps each party’s latest key, and refuses a key or an id it has in force already', () => {
    const state = run([...adoption(treaty2021()), publish('US', 'US-t1', 1), publish('US', 'US-t2', 3)]);
    assert.equal(state.transportKeys?.US?.kid, 'US-t2');
    assert.equal(state.transportKeys?.US?.index, 4);
    refused(state, publish('US', 'US-t2', 4), 'TRANSPORT_KEY_REUSED');
    refused(state, publish('US', 'US-t3', 3), 'TRANSPORT_KEY_REUSED');
    refused(state, publish('CH', 'CH-t1', 5), 'AUTHOR_NOT_A_PARTY');
    refused(state, entry('RU', day(0), 'seal.publish', { kid: 'RU-t1', key: 'not-a-key' }), 'BODY_INVALID');
  });
});

describe('case keys in a filing', () => {
  for (const [from, to] of [['US', 'RU'], ['RU', 'US']] as const) {
    it(`${from} → ${to}: one wrap per party, each to the key in force`, () => {
      const base = run([...adoption(treaty2021()), publish('US', 'US-t1', 1), publish('RU', 'RU-t1', 2)]);
      const file = (keys: unknown) => entry(from, day(1), 'request.file', fileBody('C-1', { requested: to, caseKeys: keys }));
      refused(base, file(wraps([[from, `${from}-t1`]])), 'CASE_KEYS_INVALID');
      refused(base, file(wraps([[from, `${from}-t1`], [to, `${to}-t1`], [to, `${to}-t1`]])), 'CASE_KEYS_INVALID');
      refused(base, file(wraps([[from, `${from}-t1`], [to, `${to}-t0`]])), 'TRANSPORT_KEY_STALE');
      const rotated = run([publish(to, `${to}-t2`, 5)], base);
      refused(rotated, file(wraps([[from, `${from}-t1`], [to, `${to}-t1`]])), 'TRANSPORT_KEY_STALE');
      assert.ok(apply(rotated, file(wraps([[from, `${from}-t1`], [to, `${to}-t2`]]))).ok);
      // A filing without case keys (a log written before them) still applies.
      assert.ok(apply(base, entry(from, day(1), 'request.file', fileBody('C-1', { requested: to }))).ok);
    });
  }

  it('refuses a wrap to a party that has published no transport key', () => {
    const base = run([...adoption(treaty2021()), publish('US', 'US-t1', 1)]);
    refused(base, entry('US', day(1), 'request.file', fileBody('C-1', { caseKeys: wraps([['US', 'US-t1'], ['RU', 'RU-t1']]) })), 'TRANSPORT_KEY_MISSING');
  });
});

describe('request.erase', () => {
  for (const [from, to] of [['US', 'RU'], ['RU', 'US']] as const) {
    it(`${from} → ${to}: each party erases once, after the case ended and five years ran`, () => {
      const state = withdrawnCase(from, to);
      const record = getRequest(state, 'C-1')!;
      assert.equal(caseEndedAt(record), day(2));
      assert.equal(retentionEndsAt(state.treaty!, record), ENDS);
      const erase = (party: string, at: number) => entry(party, at, 'request.erase', { request: 'C-1' });
      assert.equal(refused(state, erase(to, ENDS - 1), 'RETENTION_RUNNING').field, 'body.request');
      refused(state, erase('CH', ENDS), 'AUTHOR_NOT_A_PARTY');
      const once = run([erase(to, ENDS)], state);
      assert.deepEqual(getRequest(once, 'C-1')!.erasedBy, [to]);
      refused(once, erase(to, ENDS + 1), 'ALREADY_ERASED');
      const both = run([erase(from, ENDS + 5)], once);
      assert.deepEqual(getRequest(both, 'C-1')!.erasedBy, [to, from]);
      assert.equal(getRequest(both, 'C-1')!.status, 'withdrawn', 'erasure changes no public fact of the case');
    });

    it(`${from} → ${to}: an open case is not erased`, () => {
      const open = run([...adoption(treaty2021()), entry(from, day(1), 'request.file', fileBody('C-1', { requested: to }))]);
      refused(open, entry(to, day(4000), 'request.erase', { request: 'C-1' }), 'CASE_OPEN');
      refused(open, entry(from, day(4000), 'request.erase', { request: 'C-1' }), 'CASE_OPEN');
    });

    it(`${from} → ${to}: each party owes the erasure from the end of retention, for 30 days, and it is listed as an act`, () => {
      const state = withdrawnCase(from, to);
      const record = getRequest(state, 'C-1')!;
      const owed = openObligations(state.treaty!, record, ENDS + 31 * 86_400).filter((item) => item.kind === 'erase-personal-data');
      assert.deepEqual(owed.map((item) => [item.party, item.since, item.due, item.overdue]), [[from, ENDS, ENDS + 30 * 86_400, true], [to, ENDS, ENDS + 30 * 86_400, true]]);
      const listed = legalActs(state, { party: to }, ENDS, { kind: 'request', id: 'C-1' }).available.find((act) => act.type === 'request.erase');
      assert.equal(listed?.discharges?.kind, 'erase-personal-data');
      assert.equal(legalActs(state, { party: to }, ENDS - 1, { kind: 'request', id: 'C-1' }).available.some((act) => act.type === 'request.erase'), false);
      const after = run([entry(to, ENDS, 'request.erase', { request: 'C-1' })], state);
      assert.deepEqual(openObligations(after.treaty!, getRequest(after, 'C-1')!, ENDS).filter((item) => item.kind === 'erase-personal-data').map((item) => item.party), [from]);
    });
  }

  it('is refused under a treaty that states no retention period', () => {
    const { retention: _retention, ...treaty } = treaty2021();
    const state = run([...adoption(treaty), entry('US', day(1), 'request.file', fileBody('C-1')), entry('US', day(2), 'request.withdraw', { request: 'C-1' })]);
    refused(state, entry('RU', day(9000), 'request.erase', { request: 'C-1' }) as AnyDomainEntry, 'RETENTION_NOT_PROVIDED');
    assert.equal(openObligations(state.treaty!, getRequest(state, 'C-1')!, day(9000)).length, 0);
  });
});
