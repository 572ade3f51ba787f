import type { State } from '../../request/state.ts';
import type { UnixSeconds } from '../../time.ts';
import { bagEntriesFrom } from '../../statistics/persistent-bag.ts';
import { figuresOf } from '../../statistics/figure-cell.ts';

/**
 * The trades not yet ended, soonest deadline first (statistics/trade-duty-index.ts
 * `openTrades`): what the exchange's schedule looks at to call off expired trades, and what a
 * clearing round reads for the grants already offered, without walking every trade ever
 * proposed. Kept in the figure index, a persistent bag, where the trade book held a sorted
 * array that every proposal and every ending copied whole (issue 14: 7,008 proposals of one
 * round at 10^6 entries copied some 25 million elements).
 */
export function* openTrades(state: State): Generator<{ readonly id: string; readonly deadline: UnixSeconds }> {
  for (const { value, id } of bagEntriesFrom(figuresOf(state).openTrades)) yield { id, deadline: value };
}

/** Open trades whose deadline has passed at `now`: the ones anyone may call off. */
export function expiredTrades(state: State, now: UnixSeconds): string[] {
  const out: string[] = [];
  for (const item of openTrades(state)) {
    if (item.deadline >= now) break;
    out.push(item.id);
  }
  return out;
}
