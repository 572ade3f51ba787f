import type { UnixSeconds } from '../time.ts';
import { listRequests, type State } from '../request/state.ts';
import { countRequest, emptyTally, finishTally, type FigureTally, type RequestFigures } from './request-figures.ts';
import { handedOverAt, listTrades, type TradeLeg } from '../trade/lifecycle/trade-state.ts';

/**
 * Figures anyone can recompute from the log (DESIGN.md "statistics anyone can recompute"),
 * per ordered pair of parties, requesting → requested. They settle claims such as "45
 * requests, no answer" against "10 answered" (reference/domain.md §0) by counting what
 * the log shows. The figures of the pair's requests are request-figures.ts's, which the
 * incident ledger counts alike per incident and per group (issue 17).
 *
 * Every figure reads the state as of `now`; entries dated after `now` are assumed absent.
 */
export interface PairStatistics extends RequestFigures {
  readonly requesting: string;
  readonly requested: string;
  /**
   * Trades aborted by `now` in which the requested party of this pair committed to hand a
   * person to the requesting party and did not (trade/lifecycle/abort.ts): the breaches on
   * the record, counted once per trade.
   */
  readonly tradeBreaches: number;
  /**
   * Trades called off by `now` with every leg handed over but a receipt never confirmed
   * (ending receipt-unconfirmed): the pair's requesting party is the receiver that did not
   * confirm, the requested party the giver. Counted once per trade.
   */
  readonly tradeReceiptsUnconfirmed: number;
}

export function statistics(state: State, now: UnixSeconds): PairStatistics[] {
  const treaty = state.treaty;
  if (!treaty) return [];
  const pairs = new Map<string, { requesting: string; requested: string; tally: FigureTally; tradeBreaches: number; tradeReceiptsUnconfirmed: number }>();
  const pair = (requesting: string, requested: string) => {
    const key = `${requesting}>${requested}`;
    let found = pairs.get(key);
    if (!found) {
      found = { requesting, requested, tally: emptyTally(), tradeBreaches: 0, tradeReceiptsUnconfirmed: 0 };
      pairs.set(key, found);
    }
    return found;
  };
  // Every ordered pair of parties appears, so a silent direction shows as zeros, not as absence.
  for (const a of treaty.parties) for (const b of treaty.parties) if (a.id !== b.id) pair(a.id, b.id);

  for (const record of listRequests(state)) countRequest(treaty, record, now, pair(record.view.requesting, record.view.requested).tally);
  for (const trade of listTrades(state.trades)) {
    if (trade.abortedAt === undefined || trade.abortedAt > now) continue;
    if (trade.status === 'aborted') {
      // A breach is against the giver of a leg not handed over, towards that leg's receiver.
      const broken = trade.legs.filter((leg) => handedOverAt(leg) === undefined && trade.breaches.includes(leg.from));
      for (const key of pairKeys(broken)) pair(key.receiver, key.giver).tradeBreaches += 1;
    } else if (trade.status === 'receipt-unconfirmed') {
      for (const key of pairKeys(trade.legs.filter((leg) => leg.receivedAt === undefined))) pair(key.receiver, key.giver).tradeReceiptsUnconfirmed += 1;
    }
  }
  return [...pairs.values()].map(({ requesting, requested, tally, tradeBreaches, tradeReceiptsUnconfirmed }) => ({ requesting, requested, ...finishTally(tally), tradeBreaches, tradeReceiptsUnconfirmed }));
}

/** The distinct (receiver, giver) pairs of some legs: each is counted once per trade. */
function pairKeys(legs: readonly TradeLeg[]): { receiver: string; giver: string }[] {
  const seen = new Map<string, { receiver: string; giver: string }>();
  for (const leg of legs) seen.set(`${leg.to}>${leg.from}`, { receiver: leg.to, giver: leg.from });
  return [...seen.values()];
}
