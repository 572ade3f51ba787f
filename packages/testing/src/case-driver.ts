import type { EntryType, LegalAct, ActVariant, RequestStatus, TradeStatus } from '@evenhand/core';

/**
 * What "every case can always move forward" means in the tests (issue 11): the endings of a
 * request and of a trade, and a policy that picks, among the acts the core lists, one that
 * brings a case nearer to its ending. The property test (core) and the walk over HTTP
 * (server) both drive every open case to an ending with it, taking listed acts only; that a
 * fixed policy always gets there proves that no reachable state is a dead end.
 */
export const REQUEST_ENDINGS: ReadonlySet<RequestStatus> = new Set(['received', 'refused', 'withdrawn', 'outcome-reported', 'superseded', 'provided']);
export const TRADE_ENDINGS_TESTED: ReadonlySet<TradeStatus> = new Set(['completed', 'aborted', 'receipt-unconfirmed']);

/**
 * Preference when ending a case: settle what is half done first (receipts, prosecutions,
 * surrenders), then let the requesting party withdraw what is still pending. A trade is called
 * off once its deadline has passed, which releases its legs.
 */
const TOWARD_ENDING: readonly EntryType[] = [
  'trade.abort',
  'trade.confirm-receipt',
  'request.confirm-receipt',
  'prosecution.outcome',
  'prosecution.milestone',
  'request.surrender',
  'request.provide',
  'request.withdraw',
];

export interface Choice<P> {
  readonly party: P;
  readonly act: LegalAct;
  readonly variant: ActVariant;
}

/** The act to take toward an ending, among each party's listed acts on one case; undefined when none helps now. */
export function towardEnding<P>(offers: readonly { readonly party: P; readonly acts: readonly LegalAct[] }[]): Choice<P> | undefined {
  for (const type of TOWARD_ENDING) {
    for (const { party, acts } of offers) {
      const act = acts.find((candidate) => candidate.type === type);
      // Of the milestones, "opened" first: nothing else may come before it.
      const variant = act && (act.variants.find((each) => each.params.milestone === 'opened' && each.availableFrom === undefined) ?? act.variants.find((each) => each.availableFrom === undefined));
      if (act && variant) return { party, act, variant };
    }
  }
  return undefined;
}
