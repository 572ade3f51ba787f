import { ok, type Result } from '../../result.ts';
import { isoTime } from '../../time.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { EntryBody } from '../../request/entries.ts';
import type { State } from '../../request/state.ts';
import { checkBalance } from './balance.ts';
import { resolveLegs } from './legs.ts';
import { getTrade, type TradeRecord } from './trade-state.ts';
import { unlessStillParty } from '../../treaty/denunciation.ts';

/**
 * DESIGN.md "Trades" 1: a trade is proposed, by one of its parties or by the exchange after
 * a clearing round. The legs must be eligible now and the trade must satisfy the treaty's
 * balance rule, checked here so that no party is asked to sign an unbalanced trade (and
 * checked again at commit, when credits may have moved). The proposer signs separately.
 * No new trade gives to, takes from or is coordinated by a party that has left the treaty
 * (issue 17); trades proposed before it left continue to their end.
 */
export function propose(state: State, treaty: Treaty, author: string, time: number, body: EntryBody<'trade.propose'>): Result<TradeRecord, ApplyError> {
  if (getTrade(state.trades, body.trade)) return fail('TRADE_EXISTS', `body.trade: trade ${body.trade} was already proposed`, 'body.trade');
  if (body.coordinator !== 'exchange' && !treaty.parties.some((party) => party.id === body.coordinator)) {
    return fail('LEG_INVALID', `body.coordinator: ${body.coordinator} is neither a party of treaty ${treaty.id} nor "exchange"; a coordinator must be able to sign its attestations in the log`, 'body.coordinator');
  }
  if (body.deadline <= time) return fail('DATE_INVALID', `body.deadline: ${isoTime(body.deadline)} is not after the proposal (${isoTime(time)})`, 'body.deadline');
  const legs = resolveLegs(state, treaty, body.legs);
  if (!legs.ok) return legs;
  for (const [index, leg] of legs.value.entries()) {
    const left = unlessStillParty(state, treaty, leg.from, time, `body.legs[${index}]`, 'no new trade takes a person from it') ?? unlessStillParty(state, treaty, leg.to, time, `body.legs[${index}]`, 'no new trade hands a person to it');
    if (left) return left;
  }
  if (body.coordinator !== 'exchange') {
    const left = unlessStillParty(state, treaty, body.coordinator, time, 'body.coordinator', 'it coordinates no new trade');
    if (left) return left;
  }
  const parties = [...new Set(legs.value.flatMap((leg) => [leg.from, leg.to]))].sort();
  if (author !== 'exchange' && !parties.includes(author)) {
    return fail('NOT_TRADE_PARTY', `author: a party may propose only a trade it gives or receives in; ${author} is not among ${parties.join(', ')}`, 'author');
  }
  const balance = checkBalance(treaty, legs.value, state.trades.blocCredits);
  if (!balance.ok) return balance;
  return ok({
    id: body.trade,
    seq: state.trades.byId.size,
    proposedBy: author,
    proposedAt: time,
    coordinator: body.coordinator,
    deadline: body.deadline,
    venue: body.venue,
    legs: legs.value,
    parties,
    signedBy: [],
    status: 'proposed',
    breaches: [],
    history: [],
  });
}
