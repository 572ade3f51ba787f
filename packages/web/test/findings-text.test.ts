import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '@evenhand/core/rules';
import { en } from '../src/i18n/en.ts';
import { ru } from '../src/i18n/ru.ts';

/**
 * One finding of every code (core treaty/findings.ts): the Record's type makes the compiler
 * refuse this table when a code is added without a sample, so the test below covers them all.
 */
const SAMPLES: { readonly [Code in Finding['code']]: Extract<Finding, { code: Code }> } = {
  'offence-unknown': { code: 'offence-unknown', offence: 'jaywalking' },
  'dual-criminality': { code: 'dual-criminality', offence: 'computer-fraud', parties: ['US', 'RU'], missing: ['RU'] },
  'sentence-remaining': { code: 'sentence-remaining', remainingMonths: 3, minimumMonths: 4 },
  'penalty-threshold': { code: 'penalty-threshold', penalties: [{ party: 'US', months: 60 }, { party: 'RU' }], minimumMonths: 12 },
  extraditable: { code: 'extraditable', holds: false },
  fact: { code: 'fact', test: 'political-offence', holds: true },
  'offence-date-invalid': { code: 'offence-date-invalid', date: '2021-13-01' },
  'time-barred': { code: 'time-barred', barred: [{ offence: 'computer-fraud', party: 'RU', years: 10 }] },
  'within-limitation': { code: 'within-limitation', elapsedYears: 1.5 },
  'under-age': { code: 'under-age', holds: true, age: 13, minimum: 14 },
  'national-of-requested': { code: 'national-of-requested', holds: true, party: 'RU' },
  'death-penalty': { code: 'death-penalty', offences: ['computer-fraud'] },
  'reservation-excludes': { code: 'reservation-excludes', party: 'TR' },
  'law-bars-nationals': { code: 'law-bars-nationals', party: 'RU', bars: true, source: 'Constitution of the Russian Federation art. 61(1)' },
  'no-law-fact': { code: 'no-law-fact', party: 'US' },
  mirrored: { code: 'mirrored', requested: 'US', requesting: 'RU', ground: 'nationality', against: 'US', article: 'Arrangement art. 5(1)' },
  'assurance-required': { code: 'assurance-required', assurance: 'no-death-penalty' },
  'kind-not-provided': { code: 'kind-not-provided', kind: 'production' },
  'consult-before-refusal': { code: 'consult-before-refusal', ground: 'nationality', days: 15 },
  'prosecute-instead': { code: 'prosecute-instead', ground: 'nationality', reportEveryDays: 90 },
  'dual-criminality-not-required': { code: 'dual-criminality-not-required', kind: 'preservation' },
  'data-dual-criminality': { code: 'data-dual-criminality', met: [], offences: ['computer-fraud'], parties: ['US', 'RU'], ground: 'no-dual-criminality' },
};

/** Names as the console gives them in Russian: the treaty's titles, stood in for by Cyrillic markers. */
const NAMES = { offence: (id: string) => `преступление-${id.length}`, ground: (id: string) => `основание-${id.length}`, kind: (id: string) => `вид-${id.length}` };
/** The samples' own values that may stay as they are: an unknown offence id, an assurance id, citations of law (the treaty gives them in one form). */
const QUOTED = /jaywalking|no-death-penalty|Constitution of the Russian Federation art\. 61\(1\)|Arrangement art\. 5\(1\)/g;

describe('what a treaty rule found, in both languages (issue 15)', () => {
  for (const finding of Object.values(SAMPLES) as Finding[]) {
    it(`renders ${finding.code} in English and in Russian, and the Russian has no English words`, () => {
      const english = en.evaluation.findings([finding], NAMES);
      const russian = ru.evaluation.findings([finding], NAMES);
      assert.ok(english.trim().length > 0 && russian.trim().length > 0);
      assert.notEqual(russian, english);
      assert.doesNotMatch(russian.replace(QUOTED, ''), /[A-Za-z]{3,}/, russian);
    });
  }

  it('joins several findings of one rule into one sentence, in order', () => {
    const findings: Finding[] = [SAMPLES['national-of-requested'], SAMPLES['law-bars-nationals']];
    assert.match(ru.evaluation.findings(findings, NAMES), /^лицо является гражданином .+; RU: закон запрещает выдачу своих граждан/);
    assert.match(en.evaluation.findings(findings, NAMES), /^the person is a national of the requested party RU; RU: its law bars extraditing nationals/);
  });

  it('uses the Russian plural forms', () => {
    assert.match(ru.evaluation.findings([SAMPLES['sentence-remaining']], NAMES), /осталось отбыть 3 месяца; минимум — 4 месяца/);
    assert.match(ru.evaluation.findings([{ code: 'consult-before-refusal', ground: 'nationality', days: 21 }], NAMES), /21 день$/);
  });
});
