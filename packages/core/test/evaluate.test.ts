import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluate, NOT_EXTRADITABLE, type Treaty } from '../src/index.ts';
import { NO_FACTS, requestView, treaty2021 } from './fixtures.ts';

const treaty = treaty2021();
const none = { invocations: [] };

function rule(outcome: ReturnType<typeof evaluate>, name: string) {
  const found = outcome.rules.find((entry) => entry.rule === name);
  assert.ok(found, `rule ${name} is reported`);
  return found;
}

/** The 2021 treaty with one offence's penalty changed in one party's law. */
function withPenalty(party: string, offence: string, months: number): Treaty {
  const copy = structuredClone(treaty);
  copy.lawProfiles[party]!.offences[offence]!.maxPenaltyMonths = months;
  return copy;
}

describe('evaluate: extraditability (Budapest art. 24(1)(a); ECE art. 2(1))', () => {
  it('passes when both laws punish the offence by at least 12 months', () => {
    const outcome = evaluate(treaty, requestView(), none);
    assert.equal(outcome.extraditable, true);
    assert.equal(rule(outcome, 'penalty-threshold:ransomware-extortion').passed, true);
    assert.match(rule(outcome, 'penalty-threshold:ransomware-extortion').article, /Budapest Convention art\. 24\(1\)\(a\)/);
  });

  it("fails when the requested party's maximum is under 12 months", () => {
    const outcome = evaluate(withPenalty('RU', 'ransomware-extortion', 11), requestView(), none);
    assert.equal(outcome.extraditable, false);
    assert.deepEqual(outcome.mandatoryRefusals, [NOT_EXTRADITABLE]);
    assert.match(rule(outcome, 'penalty-threshold:ransomware-extortion').detail, /RU 11 months/);
  });

  it("fails when the requesting party's maximum is under 12 months", () => {
    const outcome = evaluate(withPenalty('US', 'ransomware-extortion', 6), requestView(), none);
    assert.equal(outcome.extraditable, false);
    assert.equal(rule(outcome, 'penalty-threshold:ransomware-extortion').passed, false);
  });

  it('passes at exactly 12 months in both laws', () => {
    const outcome = evaluate(withPenalty('US', 'ransomware-extortion', 12), requestView(), none);
    assert.equal(evaluate(withPenalty('RU', 'ransomware-extortion', 12), requestView(), none).extraditable, true);
    assert.equal(outcome.extraditable, true);
  });

  it('fails dual criminality when one law lacks the offence', () => {
    const copy = structuredClone(treaty);
    delete copy.lawProfiles.RU!.offences['computer-fraud'];
    const outcome = evaluate(copy, requestView({ offences: ['computer-fraud'] }), none);
    assert.equal(rule(outcome, 'dual-criminality:computer-fraud').passed, false);
    assert.match(rule(outcome, 'dual-criminality:computer-fraud').detail, /not an offence in the law of RU/);
    assert.equal(outcome.extraditable, false);
  });

  it('one extraditable offence is enough (ECE art. 2(2))', () => {
    const outcome = evaluate(withPenalty('RU', 'computer-fraud', 6), requestView({ offences: ['computer-fraud', 'laundering'] }), none);
    assert.equal(outcome.extraditable, true);
  });

  it('for enforcement, needs at least 4 months of sentence left', () => {
    const three = evaluate(treaty, requestView({ purpose: 'enforcement', sentenceRemainingMonths: 3 }), none);
    const four = evaluate(treaty, requestView({ purpose: 'enforcement', sentenceRemainingMonths: 4 }), none);
    assert.equal(three.extraditable, false);
    assert.equal(four.extraditable, true);
  });

  it('rejects an offence the treaty does not list', () => {
    const outcome = evaluate(treaty, requestView({ offences: ['jaywalking'] }), none);
    assert.equal(outcome.extraditable, false);
    assert.match(rule(outcome, 'offence:jaywalking').detail, /not an offence category/);
  });
});

describe('evaluate: nationality and extradite-or-prosecute (ECE art. 6; Budapest art. 24(6))', () => {
  it('RU may refuse an RU national, after consultation, and must prosecute instead', () => {
    const outcome = evaluate(treaty, requestView(), none);
    assert.deepEqual(outcome.availableGrounds, ['nationality']);
    assert.deepEqual(outcome.prosecuteInsteadGrounds, ['nationality']);
    assert.deepEqual(outcome.consultation.map((entry) => entry.ground), ['nationality']);
    assert.match(rule(outcome, 'ground:nationality').detail, /Constitution of the Russian Federation art\. 61\(1\)/);
    assert.equal(rule(outcome, 'extradite-or-prosecute:nationality').article, 'Budapest Convention art. 24(6); ECE art. 6(2)');
  });

  it('US may not refuse a US national to RU before RU has invoked nationality', () => {
    const outcome = evaluate(treaty, requestView({ requesting: 'RU', requested: 'US', subject: { nationalities: ['US'], ageAtOffence: 30 } }), none);
    assert.deepEqual(outcome.availableGrounds, []);
    assert.match(rule(outcome, 'ground:nationality').detail, /does not bar extraditing nationals/);
  });

  it('after RU invokes nationality, US may refuse a US national to RU (mirrored grounds)', () => {
    const history = { invocations: [{ by: 'RU', against: 'US', ground: 'nationality' }] };
    const outcome = evaluate(treaty, requestView({ requesting: 'RU', requested: 'US', subject: { nationalities: ['US'], ageAtOffence: 30 } }), history);
    assert.deepEqual(outcome.availableGrounds, ['nationality']);
    assert.deepEqual(outcome.mirroredGrounds, ['nationality']);
    assert.deepEqual(outcome.prosecuteInsteadGrounds, ['nationality']);
    assert.match(rule(outcome, 'ground:nationality').detail, /mirrored \(Arrangement art\. 5\(1\)/);
  });

  it('a nationality refusal by a third party does not open the mirror', () => {
    const history = { invocations: [{ by: 'US', against: 'RU', ground: 'nationality' }] };
    const outcome = evaluate(treaty, requestView({ requesting: 'RU', requested: 'US', subject: { nationalities: ['US'], ageAtOffence: 30 } }), history);
    assert.deepEqual(outcome.availableGrounds, []);
  });
});

describe('evaluate: mandatory grounds (ECE arts. 9, 10; FD 2002/584 art. 3)', () => {
  it('ne bis in idem is a mandatory refusal', () => {
    const outcome = evaluate(treaty, requestView({ facts: { ...NO_FACTS, finalJudgment: true } }), none);
    assert.deepEqual(outcome.mandatoryRefusals, ['ne-bis-in-idem']);
    assert.equal(rule(outcome, 'ground:ne-bis-in-idem').article, 'ECE art. 9; FD 2002/584 art. 3(2)');
  });

  it('lapse of time under the shorter law binds both directions (ECE art. 10)', () => {
    // RU: computer fraud carries 24 months, so its limitation is 2 years (Criminal Code art. 78).
    const filed = requestView({ offences: ['computer-fraud'], offenceDate: '2018-01-01' });
    assert.deepEqual(evaluate(treaty, filed, none).mandatoryRefusals.includes('lapse-of-time'), true);
    const reversed = requestView({ requesting: 'RU', requested: 'US', offences: ['computer-fraud'], offenceDate: '2018-01-01' });
    assert.deepEqual(evaluate(treaty, reversed, none).mandatoryRefusals.includes('lapse-of-time'), true);
  });

  it("under age reads the requested party's law", () => {
    const young = { nationalities: ['ZZ'], ageAtOffence: 15 };
    assert.deepEqual(evaluate(treaty, requestView({ subject: young }), none).mandatoryRefusals, ['age']);
    assert.deepEqual(evaluate(treaty, requestView({ requesting: 'RU', requested: 'US', subject: young }), none).mandatoryRefusals, []);
  });

  it('death penalty requires an assurance (ECE art. 11)', () => {
    const copy = structuredClone(treaty);
    copy.lawProfiles.US!.offences['ransomware-extortion']!.deathPenalty = true;
    const outcome = evaluate(copy, requestView({ subject: { nationalities: ['ZZ'], ageAtOffence: 30 } }), none);
    assert.deepEqual(outcome.assurancesRequired, ['no-death-penalty']);
    assert.deepEqual(outcome.availableGrounds, ['death-penalty']);
  });

  it('lists the deadlines that apply to the kind of request', () => {
    const full = evaluate(treaty, requestView(), none).deadlines.map((term) => `${term.name}:${term.days}`);
    assert.deepEqual(full, ['acknowledge:10', 'decide:60', 'decide-extended:90', 'decide-after-consent:10', 'surrender:10', 'reply-to-info-request:30']);
    const provisional = evaluate(treaty, requestView({ kind: 'provisional-arrest' }), none).deadlines.map((term) => `${term.name}:${term.days}`);
    assert.deepEqual(provisional, ['acknowledge:10', 'file-full-request:18', 'release-at-latest:40']);
  });
});

describe('evaluate: mirrored grounds with a third party', () => {
  it('a ground RU invoked against CH becomes available to US against RU (invoked against anyone)', () => {
    const history = { invocations: [{ by: 'RU', against: 'CH', ground: 'nationality' }] };
    const outcome = evaluate(treaty, requestView({ requesting: 'RU', requested: 'US', subject: { nationalities: ['US'], ageAtOffence: 30 } }), history);
    assert.deepEqual(outcome.mirroredGrounds, ['nationality']);
  });
});
