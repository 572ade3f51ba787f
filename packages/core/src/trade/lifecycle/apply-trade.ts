import { assertNever, ok, type Result } from '../../result.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { EntryBody, TradeEntryType } from '../../request/entries.ts';
import { mapSet } from '../../request/persistent-map.ts';
import type { State } from '../../request/state.ts';
import { abort } from './abort.ts';
import { EXCHANGE_AUTHOR } from './exchange-author.ts';
import { commit, sign } from './commitment.ts';
import { attest, confirmReceipt, surrenderLeg } from './execution.ts';
import { propose } from './propose.ts';
import { getTrade, TRADE_ENDINGS, withOpen, type TradeRecord } from './trade-state.ts';
import { unlessAfterAdoption, unlessParty } from '../../request/treaty-checks.ts';
import type { TradeChange, TradeStep, TradeStepResult } from './trade-step.ts';

export { EXCHANGE_AUTHOR } from './exchange-author.ts';

const EXCHANGE_TYPES: ReadonlySet<TradeEntryType> = new Set(['trade.propose', 'trade.abort', 'trade.attest']);

/** `apply` for trade.* entries: the treaty is in force and the body has passed its schema. */
export function applyTrade(state: State, treaty: Treaty, entry: { readonly author: string; readonly time: number; readonly type: TradeEntryType }, body: unknown): Result<State, ApplyError> {
  const { author, time, type } = entry;
  if (author === EXCHANGE_AUTHOR) {
    if (!EXCHANGE_TYPES.has(type)) return fail('AUTHOR_NOT_A_PARTY', `author: the exchange may enter trade.propose, trade.abort and its own attestations, not ${type}`, 'author');
  } else {
    const stranger = unlessParty(treaty, author);
    if (stranger) return stranger;
  }
  const early = unlessAfterAdoption(state, time);
  if (early) return early;

  if (type === 'trade.propose') {
    const proposed = propose(state, treaty, author, time, body as EntryBody<'trade.propose'>);
    if (!proposed.ok) return proposed;
    return ok(record(state, { trade: proposed.value }, entry));
  }
  const id = (body as { trade: string }).trade;
  const trade = getTrade(state.trades, id);
  if (!trade) return fail('TRADE_UNKNOWN', `body.trade: no trade ${id}`, 'body.trade');
  const last = trade.history[trade.history.length - 1];
  if (last && time < last.time) return fail('TIME_REVERSED', `time: ${time} is before the last entry of trade ${id} (${last.time})`, 'time');
  const step = { state, treaty, author, time, body, trade } as TradeStep<never>;
  const result = transition(type, step);
  if (!result.ok) return result;
  return ok(record(state, result.value, entry));
}

function transition(type: Exclude<TradeEntryType, 'trade.propose'>, step: TradeStep<never>): TradeStepResult {
  // Each handler reads only the body of its own type; the cast is the dispatch.
  const as = <T extends TradeEntryType>() => step as unknown as TradeStep<T>;
  switch (type) {
    case 'trade.sign':
      return sign(as());
    case 'trade.commit':
      return commit(as());
    case 'trade.attest':
      return attest(as());
    case 'trade.surrender':
      return surrenderLeg(as());
    case 'trade.confirm-receipt':
      return confirmReceipt(as());
    case 'trade.abort':
      return abort(as());
    default:
      return assertNever(type, 'trade entry type');
  }
}

/** The new state: the trade with this entry in its history, and whatever else the handler changed. */
function record(state: State, change: TradeChange, entry: { readonly author: string; readonly time: number; readonly type: TradeEntryType }): State {
  const trade: TradeRecord = { ...change.trade, history: [...change.trade.history, { index: state.size, type: entry.type, time: entry.time, author: entry.author }] };
  const ids = entry.type === 'trade.propose' ? mapSet(state.trades.ids, String(trade.seq), trade.id) : state.trades.ids;
  // The open bag changes only when a trade is proposed or ends.
  const opened = entry.type === 'trade.propose' || TRADE_ENDINGS.has(trade.status);
  const trades = { ...state.trades, ...change.book, byId: mapSet(state.trades.byId, trade.id, trade), ids, open: opened ? withOpen(state.trades.open, trade) : state.trades.open };
  return { ...state, trades, requests: change.requests ?? state.requests, size: state.size + 1 };
}
