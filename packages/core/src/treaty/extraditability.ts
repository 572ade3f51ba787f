import type { Treaty } from './schema.ts';
import type { RequestView } from './request-view.ts';
import type { RuleResult } from './evaluate.ts';

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
      rules.push({ rule: `offence:${offence}`, article: extraditability.article, passed: false, detail: `"${offence}" is not an offence category of the treaty` });
      continue;
    }
    const penalties = profiles.map(({ party, profile }) => ({ party, penalty: profile?.offences[offence] }));
    const missing = penalties.filter((entry) => entry.penalty === undefined).map((entry) => entry.party);
    const dualCriminality = !extraditability.dualCriminality || missing.length === 0;
    rules.push({
      rule: `dual-criminality:${offence}`,
      article: extraditability.article,
      passed: dualCriminality,
      detail: dualCriminality
        ? `${offence} is an offence in the law of both ${request.requesting} and ${request.requested}`
        : `${offence} is not an offence in the law of ${missing.join(' and ')}`,
    });

    let threshold: boolean;
    let detail: string;
    if (request.purpose === 'enforcement') {
      const remaining = request.sentenceRemainingMonths ?? 0;
      threshold = remaining >= extraditability.minimumSentenceRemainingMonths;
      detail = `${remaining} months of sentence remain; the minimum is ${extraditability.minimumSentenceRemainingMonths}`;
    } else {
      const described = penalties.map(({ party, penalty }) => `${party} ${penalty === undefined ? 'none' : `${penalty.maxPenaltyMonths} months`}`);
      threshold = penalties.every(({ penalty }) => penalty !== undefined && penalty.maxPenaltyMonths >= extraditability.minimumMaxPenaltyMonths);
      detail = `maximum penalty ${described.join(', ')}; both must be at least ${extraditability.minimumMaxPenaltyMonths} months`;
    }
    rules.push({ rule: `penalty-threshold:${offence}`, article: extraditability.article, passed: threshold, detail });
    if (dualCriminality && threshold) anyExtraditable = true;
  }

  rules.push({
    rule: 'extraditable',
    article: extraditability.article,
    passed: anyExtraditable,
    detail: anyExtraditable ? 'at least one offence is extraditable' : 'no offence in the request is extraditable, so refusal is mandatory',
  });
  return { rules, extraditable: anyExtraditable };
}
