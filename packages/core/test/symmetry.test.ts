import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { arbitraryContext, arbitraryRequest, checkSymmetry, evaluate, lintPartyNames, mirrorLawProfiles, mirrorParties, reciprocityReport, type LawProfile, type Treaty } from '../src/index.ts';
import { treaty2021 } from './fixtures.ts';

const treaty = treaty2021();

/** A law profile drawn over the treaty's offences, so that symmetry is checked beyond 2021's facts. */
function arbitraryProfile(): fc.Arbitrary<LawProfile> {
  const offence = fc.record({ maxPenaltyMonths: fc.integer({ min: 0, max: 240 }), deathPenalty: fc.boolean(), source: fc.constant('generated') });
  return fc.record({
    extraditesNationals: fc.boolean(),
    extraditesNationalsSource: fc.constant('generated'),
    ageOfCriminalResponsibility: fc.integer({ min: 12, max: 18 }),
    ageSource: fc.constant('generated'),
    limitation: fc.constantFrom([{ years: 5 }], [{ maxPenaltyUpToMonths: 36, years: 2 }, { years: 15 }]),
    limitationSource: fc.constant('generated'),
    offences: fc.dictionary(fc.constantFrom(...treaty.offences.map((entry) => entry.id)), offence),
  });
}

describe('symmetry of the rulebook', () => {
  it('the 2021 treaty names no party outside its law profiles', () => {
    assert.deepEqual(lintPartyNames(treaty), []);
  });

  it('swapping the parties and their law profiles mirrors the outcome (property, generated profiles)', () => {
    fc.assert(
      fc.property(arbitraryProfile(), arbitraryProfile(), arbitraryRequest(treaty, 'US', 'RU'), arbitraryContext(treaty, 'US', 'RU'), (us, ru, request, context) => {
        const variant: Treaty = { ...treaty, lawProfiles: { US: us, RU: ru } };
        const outcome = evaluate(variant, request, context);
        const mirrored = evaluate(mirrorLawProfiles(variant, 'US', 'RU'), mirrorParties(request, 'US', 'RU'), mirrorParties(context, 'US', 'RU'));
        assert.deepEqual(mirrored, mirrorParties(outcome, 'US', 'RU'));
      }),
      { numRuns: 300, seed: 61 },
    );
  });

  it('checkSymmetry holds for the 2021 treaty', () => {
    const report = checkSymmetry(treaty, { runs: 300 });
    assert.equal(report.holds, true);
    assert.equal(report.runs, 300);
  });

  describe('when a treaty is deliberately asymmetric', () => {
    // A reservation letting only RU refuse on political grounds: a rule that names a party.
    const asymmetric: Treaty = structuredClone(treaty);
    asymmetric.grounds.find((ground) => ground.id === 'political-offence')!.onlyWhereRequested = ['RU'];

    it('the lint names the rule and the party', () => {
      const mentions = lintPartyNames(asymmetric);
      assert.equal(mentions.length, 1);
      assert.equal(mentions[0]!.path, 'grounds[4].onlyWhereRequested[0]');
      assert.equal(mentions[0]!.party, 'RU');
    });

    it('the property check finds a counterexample and says where the outcomes differ', () => {
      const report = checkSymmetry(asymmetric, { runs: 500 });
      assert.equal(report.holds, false);
      assert.ok(report.counterexample, 'a counterexample is reported');
      assert.equal(report.counterexample.request.facts.politicalOffence, true);
      assert.match(report.counterexample.path, /^outcome\./);
    });

    it('a rule whose text names a party is caught too', () => {
      const named: Treaty = structuredClone(treaty);
      named.consultation[0] = { ...named.consultation[0]!, article: 'Protocol for Russian Federation requests, art. 2' };
      assert.deepEqual(lintPartyNames(named).map((mention) => [mention.path, mention.party]), [['consultation[0].article', 'RU']]);
    });
  });
});

describe('reciprocity report', () => {
  const report = reciprocityReport(treaty);

  it('explains the nationality asymmetry and what mirrored grounds make of it', () => {
    const nationals = report.find((item) => item.topic === 'nationals');
    assert.ok(nationals);
    assert.match(nationals.fact, /^RU does not extradite its nationals \(Constitution of the Russian Federation art\. 61\(1\)/);
    assert.match(nationals.effect, /RU may refuse RU nationals to US/);
    assert.match(nationals.effect, /once RU invokes it against any party, US may refuse US nationals to RU/);
    assert.match(nationals.effect, /must then prosecute them itself/);
  });

  it('lists the other differences of law', () => {
    const topics = report.map((item) => item.topic);
    assert.ok(topics.includes('age'));
    assert.ok(topics.includes('limitation'));
    assert.equal(report.filter((item) => item.topic.startsWith('offence:')).length, 0, 'every 2021 offence meets the minimum in both laws');
  });

  it('reports a penalty under the minimum', () => {
    const copy = structuredClone(treaty);
    copy.lawProfiles.RU!.offences['computer-fraud']!.maxPenaltyMonths = 6;
    const item = reciprocityReport(copy).find((entry) => entry.topic === 'offence:computer-fraud');
    assert.ok(item);
    assert.match(item.effect, /not extraditable in either direction/);
  });
});
