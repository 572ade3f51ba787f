import { ruleResult, type RuleResult } from '../treaty/findings.ts';
import type { RequestView } from '../treaty/request-view.ts';
import type { EvidenceTerms, Treaty } from '../treaty/schema.ts';
import { NO_DUAL_CRIMINALITY } from './kinds.ts';

/**
 * The threshold a request for data meets instead of extraditability: no penalty threshold,
 * and dual criminality only where the treaty's terms for the kind require it. Preservation
 * never does (Budapest art. 29(3)); where it is required, it is met when the conduct is an
 * offence in both laws, whatever each calls it (art. 25(5)). A request that does not meet it
 * may be refused on that ground (art. 27(4) leaves refusal to the requested party), so it is
 * an available ground, not a bar.
 */
export function checkEvidenceThreshold(treaty: Treaty, request: RequestView, terms: EvidenceTerms): { rules: RuleResult[]; refusable: boolean } {
  if (!terms.dualCriminality) {
    return { rules: [ruleResult('dual-criminality', terms.article, true, { code: 'dual-criminality-not-required', kind: request.kind })], refusable: false };
  }
  const parties = [request.requesting, request.requested];
  const both = request.offences.filter((offence) => parties.every((party) => treaty.lawProfiles[party]?.offences[offence] !== undefined));
  const met = both.length > 0;
  const finding = { code: 'data-dual-criminality', met: both, offences: request.offences, parties, ground: NO_DUAL_CRIMINALITY } as const;
  return { rules: [ruleResult('dual-criminality', terms.article, met, finding)], refusable: !met };
}
