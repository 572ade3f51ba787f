import type { UnixSeconds } from '../time.ts';
import type { State } from '../request/state.ts';
import type { RequestFigures } from './request-figures.ts';
import { pairKey } from './figure-index.ts';
import { figuresOf } from './figure-cell.ts';
import { finishSums } from './figure-sums.ts';
import { bagCountBelow } from './persistent-bag.ts';

/**
 * Figures anyone can recompute from the log (DESIGN.md "statistics anyone can recompute"),
 * per ordered pair of parties, requesting → requested. They settle claims such as "45
 * requests, no answer" against "10 answered" (reference/domain.md §0) by counting what
 * the log shows. The figures of the pair's requests are request-figures.ts's, which the
 * incident ledger counts alike per incident and per group (issue 17).
 *
 * Every figure reads the state as of `now`; entries dated after `now` are assumed absent.
 *
 * The figures are read from the index the state keeps as entries apply (figure-index.ts): each
 * pair's sums, with the deadlines run out by `now` counted and the pending requests' waits
 * read from their filings. A reading costs a few lookups per pair, whatever the length of the
 * log and however many requests are open.
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
  const index = figuresOf(state);
  // Every ordered pair of parties appears, so a silent direction shows as zeros, not as absence; then any other pair on record.
  const keys = new Set<string>();
  for (const a of treaty.parties) for (const b of treaty.parties) if (a.id !== b.id) keys.add(pairKey(a.id, b.id));
  for (const key of Object.keys(index.pairs).sort()) keys.add(key);
  return [...keys].map((key) => {
    const [requesting, requested] = key.split('>') as [string, string];
    const pair = index.pairs[key];
    return {
      requesting,
      requested,
      ...finishSums(pair, now),
      // A trade counts from the instant it was called off: those after `now` are not yet on the record.
      tradeBreaches: pair ? bagCountBelow(pair.breaches, now, true) : 0,
      tradeReceiptsUnconfirmed: pair ? bagCountBelow(pair.receiptsUnconfirmed, now, true) : 0,
    };
  });
}
