import type { Messages } from '../i18n/en.ts';
import type { Titles } from '../i18n/titles.ts';
import type { TradeLeg } from './types.ts';

/**
 * An act's choice in words, from its parameters (the core's labels are English): a decision
 * with its ground's title, a milestone, a leg numbered from 1 as on screen. `fallback` is the
 * core's label, for a choice the catalogue has no words for.
 */
export function variantText(t: Messages, titles: Titles, type: string, params: Record<string, unknown>, fallback: string, legs?: readonly TradeLeg[]): string {
  const list = (value: unknown) => (Array.isArray(value) ? t.common.list(value.map(String)) : '');
  switch (type) {
    case 'request.decide': {
      // A grant on reciprocity alone reads as a grant "on condition of reciprocity", not as a grant on conditions twice over.
      const decision = params.onReciprocity === true && list(params.assurances) === '' ? 'grant' : String(params.decision);
      return t.variants.decide(t.decisions[decision] ?? decision, typeof params.ground === 'string' ? titles.ground(params.ground) : undefined, params.onReciprocity === true, list(params.assurances));
    }
    case 'request.consult':
      return t.variants.consult(titles.ground(String(params.ground)));
    case 'request.assure':
      return t.variants.assure(list(params.assurances));
    case 'prosecution.milestone':
      return t.variants.milestone(t.milestones[String(params.milestone)] ?? String(params.milestone));
    case 'prosecution.outcome':
      return t.variants.outcome(t.outcomes[String(params.outcome)] ?? String(params.outcome));
    case 'trade.surrender':
    case 'trade.attest':
    case 'trade.confirm-receipt': {
      const index = Number(params.leg);
      const leg = legs?.[index];
      const verb = type === 'trade.surrender' ? t.variants.handOver : type === 'trade.attest' ? t.variants.attest : t.variants.confirmReceipt;
      return leg ? t.variants.leg(verb, index + 1, leg.subject, leg.from, leg.to) : fallback;
    }
    default:
      return t.acts[type]?.label ?? fallback;
  }
}

/** "refuse on National of the requested party", "sign trade T-1": a two-person act awaiting its second approver. */
export function proposalText(t: Messages, titles: Titles, proposal: { readonly kind: string; readonly target: string; readonly decision?: string; readonly ground?: string; readonly onReciprocity?: boolean }): string {
  if (proposal.kind === 'request.decide') return t.proposals.decide(variantText(t, titles, 'request.decide', { decision: proposal.decision ?? 'grant', ground: proposal.ground, onReciprocity: proposal.onReciprocity }, proposal.decision ?? ''));
  if (proposal.kind === 'trade.sign') return t.proposals.sign(proposal.target);
  if (proposal.kind === 'trade.commit') return t.proposals.commit(proposal.target);
  if (proposal.kind === 'treaty.propose') return t.proposals.treatyPropose(proposal.target);
  if (proposal.kind === 'treaty.ratify') return t.proposals.treatyRatify(proposal.target);
  if (proposal.kind === 'treaty.denounce') return t.proposals.treatyDenounce(proposal.target);
  if (proposal.kind === 'official.register') return t.proposals.register(proposal.target);
  return t.proposals.revoke(proposal.target);
}
