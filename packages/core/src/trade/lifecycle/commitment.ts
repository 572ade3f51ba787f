import { ok } from '../../result.ts';
import { fail } from '../../request/apply-error.ts';
import { requireDistinctApprovers } from '../../request/step.ts';
import { mapGet, mapSet } from '../../request/persistent-map.ts';
import { checkBalance } from './balance.ts';
import { checkEligible } from './legs.ts';
import { addCredits } from './trade-state.ts';
import { requireBeforeDeadline, requireInvolved, requireTradeStatus, type TradeStep, type TradeStepResult } from './trade-step.ts';

/** DESIGN.md "Trades" 2: every involved party signs, before the deadline, by two of its approvers. */
export function sign(step: TradeStep<'trade.sign'>): TradeStepResult {
  const { trade, author, time } = step;
  const involved = requireInvolved(trade, author, 'trade.sign');
  if (!involved.ok) return involved;
  const distinct = requireDistinctApprovers(step.body.approvers);
  if (!distinct.ok) return distinct;
  const status = requireTradeStatus(trade, 'proposed', 'sign');
  if (!status.ok) return status;
  if (trade.signedBy.includes(author)) return fail('ALREADY_DONE', `author: ${author} already signed trade ${trade.id}`, 'author');
  const due = requireBeforeDeadline(trade, time, 'sign');
  if (!due.ok) return due;
  return ok({ trade: { ...trade, signedBy: [...trade.signedBy, author].sort() } });
}

/**
 * DESIGN.md "Trades" 3: once every involved party has signed, the trade commits, which
 * locks its legs: a locked request cannot be withdrawn, decided again, surrendered outside
 * the trade, or used in another trade (request/apply.ts checks the lock). The legs and the
 * balance are checked again, since a request may have been withdrawn, or locked by another
 * trade, and bloc credits spent, since the proposal. Credits accrue here.
 */
export function commit(step: TradeStep<'trade.commit'>): TradeStepResult {
  const { trade, author, time, state, treaty } = step;
  const involved = requireInvolved(trade, author, 'trade.commit');
  if (!involved.ok) return involved;
  const distinct = requireDistinctApprovers(step.body.approvers);
  if (!distinct.ok) return distinct;
  const status = requireTradeStatus(trade, 'proposed', 'commit');
  if (!status.ok) return status;
  const due = requireBeforeDeadline(trade, time, 'commit');
  if (!due.ok) return due;
  const missing = trade.parties.filter((party) => !trade.signedBy.includes(party));
  if (missing.length > 0) return fail('TRADE_NOT_SIGNED', `body.trade: trade ${trade.id} commits when every party has signed; missing ${missing.join(', ')}`, 'body.trade');

  let locks = state.trades.locks;
  for (const [index, leg] of trade.legs.entries()) {
    if (leg.request === undefined) continue;
    const record = mapGet(state.requests, leg.request);
    if (!record) return fail('REQUEST_UNKNOWN', `body.trade: the request ${leg.request} of leg ${index} is missing`, 'body.trade');
    const eligible = checkEligible(state, record, `trade ${trade.id} leg ${index}`);
    if (!eligible.ok) return { ok: false, error: { ...eligible.error, field: 'body.trade' } };
    locks = mapSet(locks, leg.request, trade.id);
  }
  const balance = checkBalance(treaty, trade.legs, state.trades.blocCredits);
  if (!balance.ok) return { ok: false, error: { ...balance.error, field: 'body.trade' } };
  return ok({
    trade: { ...trade, status: 'committed', committedAt: time },
    book: {
      locks,
      blocCredits: addCredits(state.trades.blocCredits, balance.value.blocs, 1),
      partyCredits: addCredits(state.trades.partyCredits, balance.value.parties, 1),
    },
  });
}
