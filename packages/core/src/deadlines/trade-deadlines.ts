import type { UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { State } from '../request/state.ts';
import { getTrade, handedOverAt, type TradeRecord } from '../trade/lifecycle/trade-state.ts';

/**
 * What each party still owes in a trade before its deadline (DESIGN.md "Trades"; issue 11:
 * "trade deadlines appear in the obligations list"): its signature, the commit once every
 * party has signed, the handover of each leg it gives, and the confirmation of each leg it
 * received. All are due at the trade's deadline, after which anyone may call the trade off.
 */
export type TradeDeadlineKind = 'trade-sign' | 'trade-commit' | 'trade-hand-over' | 'trade-confirm-receipt';

export interface TradeDeadline {
  readonly trade: string;
  /** The party that owes the act. */
  readonly party: string;
  readonly kind: TradeDeadlineKind;
  /** The leg concerned, for a handover or a receipt. */
  readonly leg?: number | undefined;
  readonly due: UnixSeconds;
  readonly since: UnixSeconds;
  readonly overdue: boolean;
  readonly article: string;
}

export function tradeObligations(treaty: Treaty, trade: TradeRecord, now: UnixSeconds): TradeDeadline[] {
  const out: TradeDeadline[] = [];
  const article = treaty.reciprocity.conditionalArticle;
  const add = (kind: TradeDeadlineKind, party: string, since: UnixSeconds, leg?: number) =>
    out.push({ trade: trade.id, party, kind, ...(leg === undefined ? {} : { leg }), due: trade.deadline, since, overdue: now > trade.deadline, article });
  if (trade.status === 'proposed') {
    const unsigned = trade.parties.filter((party) => !trade.signedBy.includes(party));
    for (const party of unsigned) add('trade-sign', party, trade.proposedAt);
    // Once every party has signed, any of them may commit; each is listed as owing it.
    if (unsigned.length === 0) for (const party of trade.parties) add('trade-commit', party, trade.proposedAt);
  }
  if (trade.status === 'committed') {
    const since = trade.committedAt ?? trade.proposedAt;
    trade.legs.forEach((leg, index) => {
      const handed = handedOverAt(leg);
      if (handed === undefined) add('trade-hand-over', leg.from, since, index);
      else if (leg.receivedAt === undefined) add('trade-confirm-receipt', leg.to, handed, index);
    });
  }
  return out;
}

/** Every open trade obligation, soonest first (the trades not yet ended, from the book's open list). */
export function tradeDeadlines(state: State, now: UnixSeconds): TradeDeadline[] {
  const treaty = state.treaty;
  if (!treaty) return [];
  return state.trades.open.flatMap((item) => {
    const trade = getTrade(state.trades, item.id);
    return trade ? tradeObligations(treaty, trade, now) : [];
  });
}
