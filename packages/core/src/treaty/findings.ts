import type { GroundTest } from './schema.ts';

/**
 * What one rule of an evaluation found, as data rather than a sentence, so that each
 * language renders it from its own catalogue (issue 15: rule explanations in English and
 * Russian). `findingInEnglish` gives the English sentence, which is also the `detail` every
 * non-console reader (CLI, proofs, API) has always shown.
 */
export type Finding =
  | { readonly code: 'offence-unknown'; readonly offence: string }
  | { readonly code: 'dual-criminality'; readonly offence: string; readonly parties: readonly string[]; readonly missing: readonly string[] }
  | { readonly code: 'sentence-remaining'; readonly remainingMonths: number; readonly minimumMonths: number }
  | { readonly code: 'penalty-threshold'; readonly penalties: readonly { readonly party: string; readonly months?: number | undefined }[]; readonly minimumMonths: number }
  | { readonly code: 'extraditable'; readonly holds: boolean }
  | { readonly code: 'fact'; readonly test: FactTest; readonly holds: boolean }
  | { readonly code: 'offence-date-invalid'; readonly date: string }
  | { readonly code: 'time-barred'; readonly barred: readonly { readonly offence: string; readonly party: string; readonly years: number }[] }
  | { readonly code: 'within-limitation'; readonly elapsedYears: number }
  | { readonly code: 'under-age'; readonly holds: boolean; readonly age: number; readonly minimum: number }
  | { readonly code: 'national-of-requested'; readonly holds: boolean; readonly party: string }
  | { readonly code: 'death-penalty'; readonly offences: readonly string[] }
  | { readonly code: 'reservation-excludes'; readonly party: string }
  | { readonly code: 'law-bars-nationals'; readonly party: string; readonly bars: boolean; readonly source?: string | undefined }
  | { readonly code: 'no-law-fact'; readonly party: string }
  | { readonly code: 'mirrored'; readonly requested: string; readonly requesting: string; readonly ground: string; readonly against?: string | undefined; readonly article: string }
  | { readonly code: 'assurance-required'; readonly assurance: string }
  | { readonly code: 'kind-not-provided'; readonly kind: string }
  | { readonly code: 'consult-before-refusal'; readonly ground: string; readonly days: number }
  | { readonly code: 'prosecute-instead'; readonly ground: string; readonly reportEveryDays: number }
  | { readonly code: 'dual-criminality-not-required'; readonly kind: string }
  | { readonly code: 'data-dual-criminality'; readonly met: readonly string[]; readonly offences: readonly string[]; readonly parties: readonly string[]; readonly ground: string };

/** Ground tests that read one recorded fact, so their finding is only whether it holds. */
export type FactTest = Extract<GroundTest, 'final-judgment' | 'amnesty' | 'political-offence' | 'discrimination' | 'military-offence' | 'fiscal-offence' | 'pending-proceedings' | 'essential-interests'>;

/** How a reader names treaty ids: the console passes the treaty's titles, everything else shows the ids. */
export interface FindingNames {
  readonly offence: (id: string) => string;
  readonly ground: (id: string) => string;
  readonly kind: (id: string) => string;
}

const AS_IDS: FindingNames = { offence: (id) => id, ground: (id) => id, kind: (id) => id };

const FACTS_IN_ENGLISH: Readonly<Record<FactTest, readonly [holds: string, not: string]>> = {
  'final-judgment': ['a final judgment on the same acts exists', 'no final judgment on the same acts is recorded'],
  amnesty: ['an amnesty in the requested party covers the offence', 'no amnesty is recorded'],
  'political-offence': ['the offence is regarded as political', 'the offence is not regarded as political'],
  discrimination: ['there are grounds to believe the request aims at persecution', 'no risk of persecution is recorded'],
  'military-offence': ['the offence is purely military', 'the offence is not military'],
  'fiscal-offence': ['the offence is fiscal', 'the offence is not fiscal'],
  'pending-proceedings': ['proceedings for the same acts are pending in the requested party', 'no proceedings are pending in the requested party'],
  'essential-interests': [
    'the requested party found that executing the request would prejudice its sovereignty, security, ordre public or other essential interests',
    'no prejudice to the essential interests of the requested party is recorded',
  ],
};

function offenceList(ids: readonly string[], names: FindingNames): string {
  return ids.map(names.offence).join(', ');
}

/** One finding as an English clause. */
export function findingInEnglish(finding: Finding, names: FindingNames = AS_IDS): string {
  switch (finding.code) {
    case 'offence-unknown':
      return `"${finding.offence}" is not an offence category of the treaty`;
    case 'dual-criminality':
      return finding.missing.length === 0
        ? `${names.offence(finding.offence)} is an offence in the law of both ${finding.parties.join(' and ')}`
        : `${names.offence(finding.offence)} is not an offence in the law of ${finding.missing.join(' and ')}`;
    case 'sentence-remaining':
      return `${finding.remainingMonths} months of sentence remain; the minimum is ${finding.minimumMonths}`;
    case 'penalty-threshold': {
      const described = finding.penalties.map(({ party, months }) => `${party} ${months === undefined ? 'none' : `${months} months`}`);
      return `maximum penalty ${described.join(', ')}; both must be at least ${finding.minimumMonths} months`;
    }
    case 'extraditable':
      return finding.holds ? 'at least one offence is extraditable' : 'no offence in the request is extraditable, so refusal is mandatory';
    case 'fact':
      return FACTS_IN_ENGLISH[finding.test][finding.holds ? 0 : 1];
    case 'offence-date-invalid':
      return `offence date "${finding.date}" is not a date`;
    case 'time-barred':
      return `time-barred: ${finding.barred.map(({ offence, party, years }) => `${names.offence(offence)} in ${party} law (${years} years)`).join('; ')}`;
    case 'within-limitation':
      return `${finding.elapsedYears.toFixed(1)} years since the offence, within every limitation period`;
    case 'under-age':
      return `the person was ${finding.age}, ${finding.holds ? 'under' : 'at or over'} the requested party's age of responsibility (${finding.minimum})`;
    case 'national-of-requested':
      return `the person is ${finding.holds ? '' : 'not '}a national of the requested party ${finding.party}`;
    case 'death-penalty':
      return finding.offences.length > 0 ? `the requesting party's law provides the death penalty for ${offenceList(finding.offences, names)}` : "the requesting party's law does not provide the death penalty for these offences";
    case 'reservation-excludes':
      return `but the reservation does not cover ${finding.party}`;
    case 'law-bars-nationals':
      return finding.bars ? `${finding.party}: its law bars extraditing nationals (${finding.source ?? ''})` : `but ${finding.party}: its law does not bar extraditing nationals`;
    case 'no-law-fact':
      return `${finding.party}: no law-profile fact limits this ground`;
    case 'mirrored': {
      const against = finding.against === undefined ? '' : ` against ${finding.against}`;
      return `${finding.requested}'s own law does not bar it, but ${finding.requesting} has invoked ${names.ground(finding.ground)}${against}, so it is mirrored (${finding.article})`;
    }
    case 'assurance-required':
      return `a grant requires the assurance "${finding.assurance}"`;
    case 'kind-not-provided':
      return `the treaty does not provide for ${names.kind(finding.kind)} requests`;
    case 'consult-before-refusal':
      return `before refusing on ${names.ground(finding.ground)}, consult the requesting party and allow ${finding.days} days`;
    case 'prosecute-instead':
      return `a refusal on ${names.ground(finding.ground)} must submit the case for domestic prosecution and report every ${finding.reportEveryDays} days`;
    case 'dual-criminality-not-required':
      return `dual criminality is not a condition for a ${names.kind(finding.kind)} request`;
    case 'data-dual-criminality':
      return finding.met.length > 0
        ? `${offenceList(finding.met, names)} ${finding.met.length === 1 ? 'is an offence' : 'are offences'} in the law of both ${finding.parties.join(' and ')}`
        : `none of ${offenceList(finding.offences, names)} is an offence in the law of both ${finding.parties.join(' and ')}, so the request may be refused on ${names.ground(finding.ground)}`;
  }
}

/** A rule's findings as one English sentence: its `detail`. */
export function detailInEnglish(findings: readonly Finding[], names: FindingNames = AS_IDS): string {
  return findings.map((finding) => findingInEnglish(finding, names)).join('; ');
}

/** One step of the explanation: which rule, where it comes from, and what it found. */
export interface RuleResult {
  readonly rule: string;
  readonly article: string;
  readonly passed: boolean;
  /** What the rule found, as data each language renders (findings.ts). */
  readonly findings: readonly Finding[];
  /** The findings in English, for readers without a catalogue (CLI, proofs, API clients). */
  readonly detail: string;
}

/** A rule result whose `detail` is its findings in English. */
export function ruleResult(rule: string, article: string, passed: boolean, ...findings: Finding[]): RuleResult {
  return { rule, article, passed, findings, detail: detailInEnglish(findings) };
}
