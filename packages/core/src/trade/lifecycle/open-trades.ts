import type { State } from '../../request/state.ts';
import type { UnixSeconds } from '../../time.ts';
import { bagEntriesFrom } from '../../statistics/persistent-bag.ts';

/**
 * The trades not yet ended, soonest deadline first (trade-state.ts `TradeBook.open`): what the
 * exchange's schedule looks at to call off expired trades, and what a clearing round reads for
 * the grants already offered, without walking every trade ever proposed.
 */
export function* openTrades(state: State): Generator<{ readonly id: string; readonly deadline: UnixSeconds }> {
  for (const { value, id } of bagEntriesFrom(state.trades.open)) yield { id, deadline: value };
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
