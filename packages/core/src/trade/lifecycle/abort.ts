import { ok } from '../../result.ts';
import { isoTime } from '../../time.ts';
import { fail } from '../../request/apply-error.ts';
import { creditChange } from './balance.ts';
import { release } from './execution.ts';
import { addCredits, handedOverAt, TRADE_ENDINGS } from './trade-state.ts';
import { EXCHANGE_AUTHOR } from './exchange-author.ts';
import { requireInvolved, type TradeStep, type TradeStepResult } from './trade-step.ts';

/**
 * DESIGN.md "Trades" 5: at its deadline an unfinished trade is called off by whoever acts
 * first, any involved party or the exchange (whose schedule does it, so that a silent party
 * cannot keep legs locked), and only after the deadline, so a trade cannot be called off
 * under the parties' feet. It ends in one of two ways:
 * - aborted, when a leg was not handed over. Each party whose leg was not handed over is
 *   recorded as in breach (the statistics count it), the credits of the legs that never moved
 *   are taken back, and the locks are released: those requests were never moved from
 *   granted-conditional, so they go back to their own lifecycle. A trade that never committed
 *   simply lapses: signing is voluntary, so nobody is in breach.
 * - receipt-unconfirmed, when every leg was handed over but a receiver never confirmed it: the
 *   handovers stand (their requests stay surrendered, and the requesting party can still
 *   confirm receipt on the request), and the statistics count the missing confirmations.
 */
export function abort(step: TradeStep<'trade.abort'>): TradeStepResult {
  const { trade, author, time, state, treaty } = step;
  if (author !== EXCHANGE_AUTHOR) {
    const involved = requireInvolved(trade, author, 'trade.abort');
    if (!involved.ok) return involved;
  }
  if (TRADE_ENDINGS.has(trade.status)) return fail('ALREADY_DONE', `body.trade: trade ${trade.id} is already ${trade.status}`, 'body.trade');
  if (time <= trade.deadline) return fail('TRADE_NOT_EXPIRED', `time: trade ${trade.id} may be called off only after its deadline (${isoTime(trade.deadline)})`, 'time');
  const calledOff = { abortedAt: time, abortedBy: author };
  if (trade.status === 'proposed') return ok({ trade: { ...trade, ...calledOff, status: 'aborted' } });
  const unfinished = trade.legs.filter((leg) => handedOverAt(leg) === undefined);
  const locks = release(state.trades.locks, trade);
  if (unfinished.length === 0) return ok({ trade: { ...trade, ...calledOff, status: 'receipt-unconfirmed' }, book: { locks } });
  const breaches = [...new Set(unfinished.map((leg) => leg.from))].sort();
  const undo = creditChange(treaty, unfinished);
  return ok({
    trade: { ...trade, ...calledOff, status: 'aborted', breaches },
    book: {
      locks,
      blocCredits: addCredits(state.trades.blocCredits, undo.blocs, -1),
      partyCredits: addCredits(state.trades.partyCredits, undo.parties, -1),
    },
  });
}
