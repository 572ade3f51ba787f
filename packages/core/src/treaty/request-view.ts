import type { Facts } from '../request/entries.ts';
import type { UnixSeconds } from '../time.ts';
import type { EvidenceTerms, RequestKind } from './schema.ts';

/**
 * The public fields of a request that the rules read. Sealed fields never reach here
 * (DESIGN.md "Confidentiality": rules are evaluated only on public fields).
 */
export interface RequestView {
  readonly requesting: string;
  readonly requested: string;
  readonly kind: RequestKind;
  /** A request for data: the treaty's terms for its kind when it was filed, which it keeps (evidence/kinds.ts `termsOf`). */
  readonly terms?: EvidenceTerms | undefined;
  readonly purpose: 'prosecution' | 'enforcement';
  readonly subject: { readonly nationalities: readonly string[]; readonly ageAtOffence: number };
  readonly offences: readonly string[];
  readonly offenceDate: string;
  readonly sentenceRemainingMonths?: number | undefined;
  readonly facts: Facts;
  readonly filedAt: UnixSeconds;
}

/** A refusal ground that a party has cited against another, as recorded in the log. */
export interface GroundInvocation {
  readonly by: string;
  readonly against: string;
  readonly ground: string;
}

/** What evaluation needs from the log's history: mirrored grounds depend on past invocations. */
export interface EvaluationContext {
  readonly invocations: readonly GroundInvocation[];
}
