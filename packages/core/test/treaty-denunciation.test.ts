import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, denunciationViews, departureOf, genesis, getRequest, isoTime, legalActs, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';
import { adoption, APPROVERS, day, entry, fileBody, refused, run } from './request-helpers.ts';
import { adopt, tradeTreaty } from './trade-support.ts';

/**
 * Issue 17, "leaving the treaty": a party denounces the treaty with an entry; the denunciation
 * takes effect after the notice period the treaty states (six months in 2021, ECE art. 31);
 * requests pending then are still decided and carried out, nothing new is filed by or to it.
 */
const treaty = treaty2021();
const utc = (text: string) => Date.parse(text) / 1000;
const NOTIFIED = day(10);
const EFFECTIVE = addMonths(NOTIFIED, 6);
const denounce = (party: string, at = NOTIFIED, id = treaty.id) => entry(party, at, 'treaty.denounce', { treaty: id });
let people = 0;
const person = (nationality: string) => ({ subject: { pseudonym: `p-${nationality}-${++people}`, nationalities: [nationality], ageAtOffence: 30 } });

/** US-1 (US asks RU) and RU-1 (RU asks US), both for a Ukrainian national, filed on day 0; RU denounces on day 10. */
const filed = run([...adoption(treaty), entry('US', day(0), 'request.file', fileBody('US-1', person('UA'))), entry('RU', day(0), 'request.file', fileBody('RU-1', { requested: 'US', ...person('UA') }))]);
const denounced = run([denounce('RU')], filed);

describe('denouncing the treaty (issue 17)', () => {
  it('takes effect the notice period after the entry, counted in calendar months in UTC', () => {
    assert.equal(isoTime(EFFECTIVE), '2021-12-26T00:00:00Z');
    assert.equal(isoTime(addMonths(utc('2021-08-31T12:30:00Z'), 6)), '2022-02-28T12:30:00Z', 'a day the last month lacks is its last day');
    assert.equal(isoTime(addMonths(utc('2023-08-31T00:00:00Z'), 6)), '2024-02-29T00:00:00Z');
    assert.equal(isoTime(addMonths(utc('2021-11-15T08:00:00Z'), 14)), '2023-01-15T08:00:00Z');
    const [record] = denounced.denunciations ?? [];
    assert.deepEqual(record && { ...record }, { party: 'RU', index: 5, notifiedAt: NOTIFIED, effectiveAt: EFFECTIVE, article: 'Arrangement art. 12(1); ECE art. 31', pending: 'continue', pendingArticle: 'Arrangement art. 12(2); VCLT art. 70(1)(b), (2)' });
  });

  it('is shown pending until the effective date, then in effect', () => {
    assert.deepEqual(denunciationViews(denounced, EFFECTIVE - 1).map((view) => [view.party, view.status, view.effectiveDate]), [['RU', 'pending', '2021-12-26T00:00:00Z']]);
    assert.equal(denunciationViews(denounced, EFFECTIVE)[0]?.status, 'in-effect');
    // Stated at a log size (the public view), the log decides: in effect once an entry dated at or after it has applied.
    assert.equal(denunciationViews(denounced)[0]?.status, 'pending');
    const later = run([entry('US', EFFECTIVE, 'request.acknowledge', { request: 'RU-1' })], denounced);
    assert.deepEqual([denunciationViews(later)[0]?.status, denunciationViews(later)[0]?.effectiveIndex], ['in-effect', 6]);
    assert.equal(departureOf(later, 'RU', EFFECTIVE - 1), undefined);
    assert.equal(departureOf(later, 'RU', EFFECTIVE)?.party, 'RU');
  });

  it('is refused with the field and the rule: another treaty, twice, a non-party, no clause, no treaty', () => {
    assert.match(refused(filed, denounce('RU', NOTIFIED, 'other-treaty'), 'TREATY_MISMATCH').message, /body\.treaty: the treaty in force is "us-ru-2021"/);
    assert.match(refused(denounced, denounce('RU', day(11)), 'DENUNCIATION_EXISTS').message, /at entry 5 .* taking effect on 2021-12-26/);
    refused(filed, denounce('CH'), 'AUTHOR_NOT_A_PARTY');
    const silent: Treaty = { ...treaty, denunciation: undefined };
    assert.match(refused(run(adoption(silent)), denounce('RU'), 'DENUNCIATION_NOT_PROVIDED').message, /VCLT art\. 56\(1\)/);
    refused(genesis(), denounce('RU'), 'TREATY_NOT_ADOPTED');
    refused(filed, { ...denounce('RU'), body: { treaty: treaty.id, approvers: APPROVERS, approvals: ['x'] } } as never, 'BODY_INVALID');
  });
});

describe('requests pending when a party leaves (issue 17)', () => {
  it('new filings by and to the party are allowed during the notice period and refused from the effective date, naming the article', () => {
    run([entry('US', EFFECTIVE - 1, 'request.file', fileBody('US-2', person('UA'))), entry('RU', EFFECTIVE - 1, 'request.file', fileBody('RU-2', { requested: 'US', ...person('UA') }))], denounced);
    const to = refused(denounced, entry('US', EFFECTIVE, 'request.file', fileBody('US-3', person('UA'))), 'TREATY_DENOUNCED');
    assert.equal(to.field, 'body.requested');
    assert.match(to.message, /^body\.requested: RU denounced treaty us-ru-2021 on 2021-06-26T00:00:00Z, and the denunciation took effect on 2021-12-26T00:00:00Z \(Arrangement art\. 12\(1\); ECE art\. 31\), so no new request is filed to it; .*\(Arrangement art\. 12\(2\); VCLT art\. 70\(1\)\(b\), \(2\)\)$/);
    const by = refused(denounced, entry('RU', EFFECTIVE + 86_400, 'request.file', fileBody('RU-3', { requested: 'US', ...person('UA') })), 'TREATY_DENOUNCED');
    assert.equal(by.field, 'author');
    assert.match(by.message, /so it files no new request/);
  });

  it('are still decided and carried out after the effective date, in both directions', () => {
    const after = (n: number) => EFFECTIVE + n * 86_400;
    const done = run(
      [
        entry('RU', after(0), 'request.acknowledge', { request: 'US-1' }),
        entry('US', after(0), 'request.acknowledge', { request: 'RU-1' }),
        entry('RU', after(1), 'request.decide', { request: 'US-1', decision: 'grant', approvers: APPROVERS }),
        entry('US', after(1), 'request.decide', { request: 'RU-1', decision: 'grant', approvers: APPROVERS }),
        entry('RU', after(2), 'request.schedule-surrender', { request: 'US-1', date: isoTime(after(5)).slice(0, 10) }),
        entry('US', after(2), 'request.schedule-surrender', { request: 'RU-1', date: isoTime(after(5)).slice(0, 10) }),
        entry('RU', after(5), 'request.surrender', { request: 'US-1' }),
        entry('US', after(5), 'request.surrender', { request: 'RU-1' }),
        entry('US', after(6), 'request.confirm-receipt', { request: 'US-1' }),
        entry('RU', after(6), 'request.confirm-receipt', { request: 'RU-1' }),
      ],
      denounced,
    );
    assert.deepEqual([getRequest(done, 'US-1')?.status, getRequest(done, 'RU-1')?.status], ['received', 'received']);
  });

  it('keep their legal next acts after the effective date (acts come from the core)', () => {
    const acts = legalActs(denounced, { party: 'RU' }, EFFECTIVE + 86_400, { kind: 'request', id: 'US-1' }).available.map((act) => act.type);
    assert.ok(acts.includes('request.acknowledge'), `RU's acts on US-1: ${acts.join(', ')}`);
    assert.ok(legalActs(denounced, { party: 'US' }, EFFECTIVE + 86_400, { kind: 'request', id: 'US-1' }).available.some((act) => act.type === 'request.withdraw'));
  });

  it('a full request completing a provisional arrest pending when the party left continues that case (ECE art. 16(4))', () => {
    const arrest = run([entry('US', EFFECTIVE - 86_400, 'request.file', fileBody('PA-1', { kind: 'provisional-arrest', subject: { pseudonym: 'p-pa-1', nationalities: ['UA'], ageAtOffence: 30 } }))], denounced);
    const full = run([entry('US', EFFECTIVE + 86_400, 'request.file', fileBody('US-4', { follows: 'PA-1', subject: { pseudonym: 'p-pa-1', nationalities: ['UA'], ageAtOffence: 30 } }))], arrest);
    assert.deepEqual([getRequest(full, 'PA-1')?.status, getRequest(full, 'US-4')?.status], ['superseded', 'filed']);
    // Following nothing pending is no way around the rule.
    refused(denounced, entry('US', EFFECTIVE + 86_400, 'request.file', fileBody('US-5', { follows: 'US-1' })), 'FOLLOWS_INVALID');
  });
});

describe('amendments once a party has left (issue 17)', () => {
  const three = tradeTreaty(['US', 'RU', 'TR']);
  const left = run([...adopt(three), entry('RU', day(0), 'treaty.denounce', { treaty: three.id })]);
  const effective = addMonths(day(0), 6);
  const amendment = (changes: Partial<Treaty> = {}): Treaty => ({ ...three, version: 2, title: `${three.title} (amended)`, ...changes });
  const propose = (treatyV2: Treaty, at: number, by = 'US') => entry(by, at, 'treaty.propose', { treaty: treatyV2 });
  const ratify = (party: string, at: number) => entry(party, at, 'treaty.ratify', { treaty: three.id, version: 2 });

  it('need not wait for the party that left, which neither proposes nor ratifies', () => {
    const before = run([propose(amendment(), day(1)), ratify('US', day(2)), ratify('TR', day(2))], left);
    assert.equal(before.treaty?.version, 1, 'before the effective date RU is a party and must ratify too');
    const after = run([propose(amendment(), effective), ratify('US', effective), ratify('TR', effective)], left);
    assert.equal(after.treaty?.version, 2);
    const proposed = run([propose(amendment(), effective)], left);
    assert.match(refused(proposed, ratify('RU', effective), 'TREATY_DENOUNCED').message, /it ratifies no amendment/);
    refused(left, propose(amendment(), effective, 'RU'), 'TREATY_DENOUNCED');
  });

  const { RU: _dropped, ...otherProfiles } = three.lawProfiles;
  const withoutRu = { parties: three.parties.filter((party) => party.id !== 'RU'), lawProfiles: otherProfiles };

  it('keep the party that denounced listed as it was, key and law profile included', () => {
    refused(left, propose(amendment(withoutRu), effective), 'DENOUNCING_PARTY_CHANGED');
    refused(left, propose(amendment({ parties: three.parties.map((party) => (party.id === 'RU' ? { ...party, name: 'Someone else' } : party)) }), effective), 'DENOUNCING_PARTY_CHANGED');
    const profile = { ...three.lawProfiles.RU!, extraditesNationals: !three.lawProfiles.RU!.extraditesNationals };
    assert.equal(refused(left, propose(amendment({ lawProfiles: { ...three.lawProfiles, RU: profile } }), effective), 'DENOUNCING_PARTY_CHANGED').field, 'body.treaty.lawProfiles.RU');
    // A proposal made before the denunciation can no longer be ratified to drop the party.
    const early = run([propose(amendment(withoutRu), day(-1))], run(adopt(three)));
    const thenLeft = run([entry('RU', day(0), 'treaty.denounce', { treaty: three.id })], early);
    refused(thenLeft, ratify('US', effective), 'DENOUNCING_PARTY_CHANGED');
  });
});
