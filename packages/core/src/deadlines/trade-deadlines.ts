import type { UnixSeconds } from '../time.ts';
import type { Treaty } from '../treaty/schema.ts';
import type { State } from '../request/state.ts';
import { handedOverAt, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { bagEntriesFrom } from '../statistics/persistent-bag.ts';
import { figuresOf } from '../statistics/figure-cell.ts';

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

/** A trade obligation as the figure index keeps it (statistics/trade-duty-index.ts): without `overdue`, which depends on the instant it is read at. */
export type IndexedTradeDeadline = Omit<TradeDeadline, 'overdue'>;

/** What the parties of an open trade owe, whatever the instant; none once it has ended. */
export function tradeDuties(treaty: Treaty, trade: TradeRecord): IndexedTradeDeadline[] {
  const out: IndexedTradeDeadline[] = [];
  const article = treaty.reciprocity.conditionalArticle;
  const add = (kind: TradeDeadlineKind, party: string, since: UnixSeconds, leg?: number) => out.push({ trade: trade.id, party, kind, ...(leg === undefined ? {} : { leg }), due: trade.deadline, since, article });
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

/** A trade obligation as it stands at `now`: overdue once its trade's deadline has passed. Members in the order the API has always listed them. */
export function judgedDuty(item: IndexedTradeDeadline, now: UnixSeconds): TradeDeadline {
  const { trade, party, kind, leg, due, since, article } = item;
  return { trade, party, kind, ...(leg === undefined ? {} : { leg }), due, since, overdue: now > due, article };
}

export function tradeObligations(treaty: Treaty, trade: TradeRecord, now: UnixSeconds): TradeDeadline[] {
  return tradeDuties(treaty, trade).map((item) => judgedDuty(item, now));
}

/**
 * Every open trade obligation at `now`, soonest first, then by trade and place: read from the
 * index the state keeps of them (statistics/trade-duty-index.ts), not from every trade.
 */
export function tradeDeadlines(state: State, now: UnixSeconds): TradeDeadline[] {
  const out: TradeDeadline[] = [];
  for (const { item } of bagEntriesFrom(figuresOf(state).tradeDuties)) out.push(judgedDuty(item, now));
  return out;
}
