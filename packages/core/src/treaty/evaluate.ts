import { checkExtraditability } from './extraditability.ts';
import { lawBars, runGroundTest } from './ground-tests.ts';
import type { Ground, RequestKind, Treaty } from './schema.ts';
import type { EvaluationContext, RequestView } from './request-view.ts';
import { groundApplies, NO_DUAL_CRIMINALITY, termsOf } from '../evidence/kinds.ts';
import { checkEvidenceThreshold } from '../evidence/admissibility.ts';
import { ruleResult, type Finding, type RuleResult } from './findings.ts';

export type { RuleResult } from './findings.ts';

export interface DeadlineTerm {
  readonly name: string;
  readonly days: number;
  /** A period the treaty states in hours (requests for data, issue 17); `days` is then that many hours over 24. */
  readonly hours?: number | undefined;
  readonly article: string;
}

/** The explained outcome of a request under the treaty. */
export interface Evaluation {
  /** The kind of request: for a request for data, `extraditable` means only that no threshold bars it (evidence/admissibility.ts). */
  readonly kind: RequestKind;
  readonly requesting: string;
  readonly requested: string;
  readonly rules: readonly RuleResult[];
  readonly extraditable: boolean;
  /** Grounds that forbid a grant. `not-extraditable` stands for a failed extraditability test. */
  readonly mandatoryRefusals: readonly string[];
  /** Optional grounds the requested party may cite, including mirrored ones. */
  readonly availableGrounds: readonly string[];
  /** The subset of `availableGrounds` available only because the requesting party invoked them first. */
  readonly mirroredGrounds: readonly string[];
  /** Assurances a grant must be conditional on (e.g. ECE art. 11). */
  readonly assurancesRequired: readonly string[];
  /** Grounds whose refusal opens a domestic prosecution (Budapest art. 24(6)). */
  readonly prosecuteInsteadGrounds: readonly string[];
  /** Grounds that need consultation before refusal, with the period. */
  readonly consultation: readonly { readonly ground: string; readonly days: number; readonly article: string }[];
  readonly deadlines: readonly DeadlineTerm[];
}

export const NOT_EXTRADITABLE = 'not-extraditable';

/**
 * Evaluates a request under the treaty. It reads roles from the request (requesting,
 * requested) and never asks which party is "us", so swapping the two parties and their law
 * profiles mirrors the outcome (checked by `checkSymmetry` and the property test).
 */
export function evaluate(treaty: Treaty, request: RequestView, context: EvaluationContext): Evaluation {
  const terms = termsOf(treaty, request);
  if (terms === undefined && request.kind !== 'extradition' && request.kind !== 'provisional-arrest') return unprovided(treaty, request);
  // A request for data meets no extraditability test: its own threshold (evidence/admissibility.ts).
  const threshold = terms ? checkEvidenceThreshold(treaty, request, terms) : undefined;
  const { rules: extraditabilityRules, extraditable } = threshold ? { rules: threshold.rules, extraditable: true } : checkExtraditability(treaty, request);
  const rules: RuleResult[] = [...extraditabilityRules];
  const mandatoryRefusals: string[] = extraditable ? [] : [NOT_EXTRADITABLE];
  const availableGrounds: string[] = threshold?.refusable ? [NO_DUAL_CRIMINALITY] : [];
  const mirroredGrounds: string[] = [];
  const assurancesRequired: string[] = [];
  const mirrored = new Set(treaty.reciprocity.mirroredGrounds);

  for (const ground of treaty.grounds) {
    if (!groundApplies(ground, request.kind)) continue;
    const outcome = evaluateGround(treaty, ground, request, context, mirrored.has(ground.id));
    rules.push(outcome.rule);
    if (!outcome.applies) continue;
    if (ground.kind === 'mandatory') mandatoryRefusals.push(ground.id);
    else availableGrounds.push(ground.id);
    if (outcome.viaMirror) mirroredGrounds.push(ground.id);
    if (ground.curedByAssurance && !assurancesRequired.includes(ground.curedByAssurance)) assurancesRequired.push(ground.curedByAssurance);
  }

  const citable = new Set([...mandatoryRefusals, ...availableGrounds]);
  // Extradite or prosecute (Budapest art. 24(6)) and the consultation before a refusal (UNTOC
  // art. 16(16)) are clauses of extradition; a request for data has neither.
  const prosecuteInsteadGrounds = terms ? [] : treaty.extraditeOrProsecute.grounds.filter((ground) => citable.has(ground));
  const consultation = terms ? [] : treaty.consultation.filter((entry) => availableGrounds.includes(entry.ground));
  for (const entry of consultation) {
    rules.push(ruleResult(`consultation:${entry.ground}`, entry.article, true, { code: 'consult-before-refusal', ground: entry.ground, days: entry.days }));
  }
  for (const ground of prosecuteInsteadGrounds) {
    rules.push(ruleResult(`extradite-or-prosecute:${ground}`, treaty.extraditeOrProsecute.article, true, { code: 'prosecute-instead', ground, reportEveryDays: treaty.extraditeOrProsecute.reportEveryDays }));
  }

  return {
    kind: request.kind,
    requesting: request.requesting,
    requested: request.requested,
    rules,
    extraditable,
    mandatoryRefusals,
    availableGrounds,
    mirroredGrounds,
    assurancesRequired,
    prosecuteInsteadGrounds,
    consultation,
    deadlines: deadlineTerms(treaty, request),
  };
}

/** A ground's rule result: what its test found, then `more`. A function of its own, not a closure made per call (issue 14: each closure cost a naming call under tsx). */
function groundResult(ground: Ground, found: Finding, passed: boolean, ...more: Finding[]): RuleResult {
  return ruleResult(`ground:${ground.id}`, ground.article, passed, found, ...more);
}

function evaluateGround(
  treaty: Treaty,
  ground: Ground,
  request: RequestView,
  context: EvaluationContext,
  isMirrored: boolean,
): { rule: RuleResult; applies: boolean; viaMirror: boolean } {
  const test = runGroundTest(ground.test, treaty, request);
  if (!test.holds) return { rule: groundResult(ground, test.finding, true), applies: false, viaMirror: false };

  if (ground.onlyWhereRequested && !ground.onlyWhereRequested.includes(request.requested)) {
    return { rule: groundResult(ground, test.finding, true, { code: 'reservation-excludes', party: request.requested }), applies: false, viaMirror: false };
  }

  if (ground.onlyWhereLawBars) {
    const bar = lawBars(ground.test, request.requested, treaty.lawProfiles[request.requested]);
    if (!bar.bars) {
      // Mirrored grounds (DESIGN.md "reciprocity clauses"): a discretionary ground that one
      // party has invoked becomes available against that party: to every party, or only to
      // the party it was invoked against, as the treaty's mirroredScope says.
      const everyParty = treaty.reciprocity.mirroredScope !== 'invoked-party';
      const invokedByRequesting = isMirrored && context.invocations.some((use) => use.ground === ground.id && use.by === request.requesting && (everyParty || use.against === request.requested));
      if (!invokedByRequesting) return { rule: groundResult(ground, test.finding, true, bar.finding), applies: false, viaMirror: false };
      const mirroring: Finding = { code: 'mirrored', requested: request.requested, requesting: request.requesting, ground: ground.id, against: everyParty ? undefined : request.requested, article: treaty.reciprocity.mirroredArticle };
      return { rule: groundResult(ground, test.finding, false, mirroring), applies: true, viaMirror: true };
    }
    return { rule: groundResult(ground, test.finding, false, bar.finding), applies: true, viaMirror: false };
  }

  const cure: Finding[] = ground.curedByAssurance ? [{ code: 'assurance-required', assurance: ground.curedByAssurance }] : [];
  return { rule: groundResult(ground, test.finding, false, ...cure), applies: true, viaMirror: false };
}

/** A request of a kind the treaty does not provide for: nothing applies to it, and the filing is refused (filing.ts). */
function unprovided(treaty: Treaty, request: RequestView): Evaluation {
  const rule = ruleResult(`kind:${request.kind}`, treaty.evidence?.contactPointArticle ?? 'treaty evidence', false, { code: 'kind-not-provided', kind: request.kind });
  return { kind: request.kind, requesting: request.requesting, requested: request.requested, rules: [rule], extraditable: false, mandatoryRefusals: [], availableGrounds: [], mirroredGrounds: [], assurancesRequired: [], prosecuteInsteadGrounds: [], consultation: [], deadlines: [] };
}

function deadlineTerms(treaty: Treaty, request: RequestView): DeadlineTerm[] {
  const { deadlines } = treaty;
  const article = (name: string) => deadlines.articles[name] ?? 'treaty deadlines';
  const terms = termsOf(treaty, request);
  if (terms) {
    // Periods in hours, given here in days (whole and fractional) like every other term.
    const inHours = (name: string, hours: number): DeadlineTerm => ({ name, days: hours / 24, hours, article: terms.periodsArticle });
    return [
      inHours('acknowledge', terms.acknowledgeHours),
      inHours('decide', terms.decideHours),
      ...(terms.provideHours === undefined ? [] : [inHours('provide', terms.provideHours)]),
      ...(request.kind === 'preservation' && treaty.evidence ? [{ name: 'preserve', days: treaty.evidence.preservationDays, article: treaty.evidence.preservationArticle }] : []),
      { name: 'reply-to-info-request', days: deadlines.infoReplyDays, article: article('info') },
    ];
  }
  if (request.kind === 'provisional-arrest') {
    return [
      { name: 'acknowledge', days: deadlines.acknowledgeDays, article: article('acknowledge') },
      { name: 'file-full-request', days: deadlines.provisionalArrestFileDays, article: article('provisionalArrest') },
      { name: 'release-at-latest', days: deadlines.provisionalArrestMaxDays, article: article('provisionalArrest') },
    ];
  }
  return [
    { name: 'acknowledge', days: deadlines.acknowledgeDays, article: article('acknowledge') },
    { name: 'decide', days: deadlines.decideDays, article: article('decide') },
    { name: 'decide-extended', days: deadlines.decideDays + deadlines.extensionDays, article: article('extend') },
    { name: 'decide-after-consent', days: deadlines.decideAfterConsentDays, article: article('consent') },
    { name: 'surrender', days: deadlines.surrenderDays, article: article('surrender') },
    { name: 'reply-to-info-request', days: deadlines.infoReplyDays, article: article('info') },
  ];
}
