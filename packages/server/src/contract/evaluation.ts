import { z } from 'zod';
import { REQUEST_KINDS, type DeadlineTerm, type Evaluation, type FactTest, type Finding, type RuleResult } from '@evenhand/core';
import { partyId } from './common.ts';
import { documents, type AsJson } from './documents.ts';
import { enumOf } from './enum-of.ts';

/**
 * The treaty's evaluation of a request as the API shows it (core treaty/evaluate.ts): every
 * rule with what it found, as data (findings.ts) and in English (`detail`). The public request
 * view shows part of it, a state's console all of it.
 */

const strings = z.array(z.string());

const factTestSchema = enumOf<FactTest>({ 'final-judgment': true, amnesty: true, 'political-offence': true, discrimination: true, 'military-offence': true, 'fiscal-offence': true, 'pending-proceedings': true, 'essential-interests': true });

/** One schema per finding code: a Record, so a code the core adds or drops does not compile until it is documented. */
const FINDINGS: { readonly [C in Finding['code']]: z.ZodType<AsJson<Extract<Finding, { code: C }>>> } = {
  'offence-unknown': z.strictObject({ code: z.literal('offence-unknown'), offence: z.string() }),
  'dual-criminality': z.strictObject({ code: z.literal('dual-criminality'), offence: z.string(), parties: strings, missing: strings }),
  'sentence-remaining': z.strictObject({ code: z.literal('sentence-remaining'), remainingMonths: z.number(), minimumMonths: z.number() }),
  'penalty-threshold': z.strictObject({ code: z.literal('penalty-threshold'), penalties: z.array(z.strictObject({ party: partyId, months: z.number().optional() })), minimumMonths: z.number() }),
  extraditable: z.strictObject({ code: z.literal('extraditable'), holds: z.boolean() }),
  fact: z.strictObject({ code: z.literal('fact'), test: factTestSchema, holds: z.boolean() }),
  'offence-date-invalid': z.strictObject({ code: z.literal('offence-date-invalid'), date: z.string() }),
  'time-barred': z.strictObject({ code: z.literal('time-barred'), barred: z.array(z.strictObject({ offence: z.string(), party: partyId, years: z.number() })) }),
  'within-limitation': z.strictObject({ code: z.literal('within-limitation'), elapsedYears: z.number() }),
  'under-age': z.strictObject({ code: z.literal('under-age'), holds: z.boolean(), age: z.number(), minimum: z.number() }),
  'national-of-requested': z.strictObject({ code: z.literal('national-of-requested'), holds: z.boolean(), party: partyId }),
  'death-penalty': z.strictObject({ code: z.literal('death-penalty'), offences: strings }),
  'reservation-excludes': z.strictObject({ code: z.literal('reservation-excludes'), party: partyId }),
  'law-bars-nationals': z.strictObject({ code: z.literal('law-bars-nationals'), party: partyId, bars: z.boolean(), source: z.string().optional() }),
  'no-law-fact': z.strictObject({ code: z.literal('no-law-fact'), party: partyId }),
  mirrored: z.strictObject({ code: z.literal('mirrored'), requested: partyId, requesting: partyId, ground: z.string(), against: partyId.optional(), article: z.string() }),
  'assurance-required': z.strictObject({ code: z.literal('assurance-required'), assurance: z.string() }),
  'kind-not-provided': z.strictObject({ code: z.literal('kind-not-provided'), kind: z.string() }),
  'consult-before-refusal': z.strictObject({ code: z.literal('consult-before-refusal'), ground: z.string(), days: z.number() }),
  'prosecute-instead': z.strictObject({ code: z.literal('prosecute-instead'), ground: z.string(), reportEveryDays: z.number() }),
  'dual-criminality-not-required': z.strictObject({ code: z.literal('dual-criminality-not-required'), kind: z.string() }),
  'data-dual-criminality': z.strictObject({ code: z.literal('data-dual-criminality'), met: strings, offences: strings, parties: strings, ground: z.string() }),
};

const findingSchema = z.union(Object.values(FINDINGS) as [z.ZodType<AsJson<Finding>>, ...z.ZodType<AsJson<Finding>>[]]).describe('what the rule found, as data each language renders; `code` says which');

export const ruleResultSchema = documents<RuleResult>()(
  z.strictObject({
    rule: z.string(),
    article: z.string(),
    passed: z.boolean(),
    findings: z.array(findingSchema),
    detail: z.string().describe('the findings in English'),
  }),
);

const deadlineTermSchema = documents<DeadlineTerm>()(z.strictObject({ name: z.string(), days: z.number(), hours: z.number().optional().describe('a period the treaty states in hours (requests for data)'), article: z.string() }));

/** The whole evaluation (core `Evaluation`), as a state's console shows it. */
export const evaluationSchema = documents<Evaluation>()(
  z.strictObject({
    kind: z.enum(REQUEST_KINDS),
    requesting: partyId,
    requested: partyId,
    rules: z.array(ruleResultSchema),
    extraditable: z.boolean(),
    mandatoryRefusals: strings.describe('grounds that forbid a grant; not-extraditable stands for a failed extraditability test'),
    availableGrounds: strings.describe('optional grounds the requested party may cite, including mirrored ones'),
    mirroredGrounds: strings.describe('the available grounds that are available only because the requesting party invoked them first'),
    assurancesRequired: strings,
    prosecuteInsteadGrounds: strings,
    consultation: z.array(z.strictObject({ ground: z.string(), days: z.number(), article: z.string() })),
    deadlines: z.array(deadlineTermSchema),
  }),
);

/** The part of the evaluation the public request view shows (core `publicRequest`). */
export const publicEvaluationSchema = evaluationSchema.pick({ extraditable: true, mandatoryRefusals: true, availableGrounds: true, mirroredGrounds: true, rules: true });
