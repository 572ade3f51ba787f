import type { Treaty } from './schema.ts';
import type { RequestView } from './request-view.ts';
import { ruleResult, type Finding, type RuleResult } from './findings.ts';

/**
 * Extraditability (ECE art. 2(1); Budapest Convention art. 24(1)(a)): the offence must be
 * punishable in the laws of *both* parties, by a maximum of at least the treaty minimum,
 * or, for enforcing a sentence, at least the minimum sentence must remain. Under ECE art.
 * 2(2) one extraditable offence suffices for the request.
 */
export function checkExtraditability(treaty: Treaty, request: RequestView): { rules: RuleResult[]; extraditable: boolean } {
  const { extraditability } = treaty;
  const rules: RuleResult[] = [];
  const known = new Set(treaty.offences.map((offence) => offence.id));
  const profiles = [request.requesting, request.requested].map((party) => ({ party, profile: treaty.lawProfiles[party] }));
  let anyExtraditable = false;

  for (const offence of request.offences) {
    if (!known.has(offence)) {
      rules.push(ruleResult(`offence:${offence}`, extraditability.article, false, { code: 'offence-unknown', offence }));
      continue;
    }
    const penalties = profiles.map(({ party, profile }) => ({ party, penalty: profile?.offences[offence] }));
    const missing = penalties.filter((entry) => entry.penalty === undefined).map((entry) => entry.party);
    const dualCriminality = !extraditability.dualCriminality || missing.length === 0;
    const parties = [request.requesting, request.requested];
    rules.push(ruleResult(`dual-criminality:${offence}`, extraditability.article, dualCriminality, { code: 'dual-criminality', offence, parties, missing: dualCriminality ? [] : missing }));

    let threshold: boolean;
    let finding: Finding;
    if (request.purpose === 'enforcement') {
      const remaining = request.sentenceRemainingMonths ?? 0;
      threshold = remaining >= extraditability.minimumSentenceRemainingMonths;
      finding = { code: 'sentence-remaining', remainingMonths: remaining, minimumMonths: extraditability.minimumSentenceRemainingMonths };
    } else {
      threshold = penalties.every(({ penalty }) => penalty !== undefined && penalty.maxPenaltyMonths >= extraditability.minimumMaxPenaltyMonths);
      finding = { code: 'penalty-threshold', penalties: penalties.map(({ party, penalty }) => ({ party, months: penalty?.maxPenaltyMonths })), minimumMonths: extraditability.minimumMaxPenaltyMonths };
    }
    rules.push(ruleResult(`penalty-threshold:${offence}`, extraditability.article, threshold, finding));
    if (dualCriminality && threshold) anyExtraditable = true;
  }

  rules.push(ruleResult('extraditable', extraditability.article, anyExtraditable, { code: 'extraditable', holds: anyExtraditable }));
  return { rules, extraditable: anyExtraditable };
}
