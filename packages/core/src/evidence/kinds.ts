import { EVIDENCE_KINDS, type EvidenceKind, type EvidenceTerms, type Ground, type RequestKind, type Treaty } from '../treaty/schema.ts';
import type { RequestView } from '../treaty/request-view.ts';

/**
 * Requests for data (issue 17): the Budapest Convention's expedited preservation (art. 29),
 * expedited disclosure of preserved traffic data (art. 30), production of stored data (art.
 * 31), and emergency disclosure (Second Additional Protocol, CETS 224, arts. 9-10). They share
 * the lifecycle of a request for a person up to the decision; after a grant the requested
 * party preserves the data, or delivers it (`request.provide`), instead of surrendering anyone.
 */
export function isEvidenceKind(kind: RequestKind): kind is EvidenceKind {
  return (EVIDENCE_KINDS as readonly string[]).includes(kind);
}

/** The treaty's terms for a kind of request for data, or undefined when the treaty does not provide for it. */
export function evidenceTerms(treaty: Treaty, kind: RequestKind): EvidenceTerms | undefined {
  return isEvidenceKind(kind) ? treaty.evidence?.kinds[kind] : undefined;
}

/**
 * The terms a request for data runs under: those of the treaty in force when it was filed,
 * which the request keeps (`view.terms`), so that an amendment that changes or drops its kind
 * does not change the periods or the grounds of a request already pending. A view without
 * them (generated in the symmetry check, or evaluated before filing) takes the treaty's.
 */
export function termsOf(treaty: Treaty, view: Pick<RequestView, 'kind' | 'terms'>): EvidenceTerms | undefined {
  return view.terms ?? evidenceTerms(treaty, view.kind);
}

/** The kinds a preserved request may be continued by: the request for the preserved data itself (Budapest art. 29(7)). */
export const CONTINUES_PRESERVATION: readonly RequestKind[] = ['traffic-disclosure', 'production', 'emergency-disclosure'];

/**
 * Whether a refusal ground applies to a kind of request. A ground without a scope is one of
 * the extradition treaty's (ECE arts. 3-11) and applies to persons only; a request for data
 * may be refused only on the grounds the treaty scopes to evidence (Budapest arts. 27(4),
 * 29(5)): a political offence, or prejudice to the requested party's essential interests.
 */
export function groundApplies(ground: Ground, kind: RequestKind): boolean {
  const scope = ground.scope ?? 'extradition';
  if (scope === 'both') return true;
  return (scope === 'evidence') === isEvidenceKind(kind);
}

/** The rule a request for data is refused under when dual criminality is required and not met (Budapest art. 25(5)). */
export const NO_DUAL_CRIMINALITY = 'no-dual-criminality';
