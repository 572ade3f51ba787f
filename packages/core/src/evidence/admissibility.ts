import type { RuleResult } from '../treaty/evaluate.ts';
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
    return { rules: [{ rule: 'dual-criminality', article: terms.article, passed: true, detail: `dual criminality is not a condition for a ${request.kind} request` }], refusable: false };
  }
  const both = request.offences.filter((offence) => [request.requesting, request.requested].every((party) => treaty.lawProfiles[party]?.offences[offence] !== undefined));
  const met = both.length > 0;
  const detail = met
    ? `${both.join(', ')} ${both.length === 1 ? 'is an offence' : 'are offences'} in the law of both ${request.requesting} and ${request.requested}`
    : `none of ${request.offences.join(', ')} is an offence in the law of both ${request.requesting} and ${request.requested}, so the request may be refused on ${NO_DUAL_CRIMINALITY}`;
  return { rules: [{ rule: 'dual-criminality', article: terms.article, passed: met, detail }], refusable: !met };
}
