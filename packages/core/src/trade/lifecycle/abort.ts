import { ok } from '../../result.ts';
import { isoTime } from '../../time.ts';
import { fail } from '../../request/apply-error.ts';
import { creditChange } from './balance.ts';
import { release } from './execution.ts';
import { addCredits } from './trade-state.ts';
import { requireInvolved, type TradeStep, type TradeStepResult } from './trade-step.ts';

/**
 * DESIGN.md "Trades" 5: a trade aborts at its deadline if a leg was not handed over. Any
 * involved party or the exchange may enter the abort, and only after the deadline, so a
 * trade cannot be called off under the parties' feet. Aborting unlocks the legs: their
 * requests were never moved from granted-conditional, so they are eligible again. For a
 * committed trade, each party whose leg was not attested is recorded as in breach (the
 * statistics count it), and the credits of the legs that never moved are taken back.
 * A trade that never committed simply lapses: signing is voluntary, so nobody is in breach.
 */
export function abort(step: TradeStep<'trade.abort'>): TradeStepResult {
  const { trade, author, time, state, treaty } = step;
  if (author !== 'exchange') {
    const involved = requireInvolved(trade, author, 'trade.abort');
    if (!involved.ok) return involved;
  }
  if (trade.status === 'completed' || trade.status === 'aborted') return fail('ALREADY_DONE', `body.trade: trade ${trade.id} is already ${trade.status}`, 'body.trade');
  if (time <= trade.deadline) return fail('TRADE_NOT_EXPIRED', `time: trade ${trade.id} may be aborted only after its deadline (${isoTime(trade.deadline)})`, 'time');
  const unfinished = trade.legs.filter((leg) => leg.attestedAt === undefined);
  if (unfinished.length === 0) {
    return fail('ILLEGAL_TRANSITION', `body.trade: every leg of trade ${trade.id} was handed over; it completes when the receivers confirm receipt`, 'body.trade');
  }
  const aborted = { ...trade, status: 'aborted' as const, abortedAt: time, abortedBy: author };
  if (trade.status === 'proposed') return ok({ trade: aborted });
  const breaches = [...new Set(unfinished.map((leg) => leg.from))].sort();
  const undo = creditChange(treaty, unfinished);
  return ok({
    trade: { ...aborted, breaches },
    book: {
      locks: release(state.trades.locks, trade),
      blocCredits: addCredits(state.trades.blocCredits, undo.blocs, -1),
      partyCredits: addCredits(state.trades.partyCredits, undo.parties, -1),
    },
  });
}
