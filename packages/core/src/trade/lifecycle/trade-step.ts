import { ok, type Result } from '../../result.ts';
import { isoTime } from '../../time.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import type { EntryBody, TradeEntryType } from '../../request/entries.ts';
import { mapGet, mapSet, type PersistentMap } from '../../request/persistent-map.ts';
import type { RequestRecord, RequestStatus, State } from '../../request/state.ts';
import type { TradeBook, TradeRecord } from './trade-state.ts';

/** What a trade handler sees: the state before, the treaty in force, the entry, and the trade (none for a proposal). */
export interface TradeStep<T extends TradeEntryType> {
  readonly state: State;
  readonly treaty: Treaty;
  readonly author: string;
  readonly time: number;
  readonly body: EntryBody<T>;
  readonly trade: TradeRecord;
}

/** What a handler changes: the trade record (its history is added by the dispatcher), and possibly the book and requests. */
export interface TradeChange {
  readonly trade: TradeRecord;
  readonly book?: Partial<Omit<TradeBook, 'byId'>> | undefined;
  readonly requests?: PersistentMap<RequestRecord> | undefined;
}

export type TradeStepResult = Result<TradeChange, ApplyError>;

/** The author must be one of the parties that give or receive in the trade. */
export function requireInvolved(trade: TradeRecord, author: string, type: TradeEntryType): Result<true, ApplyError> {
  if (trade.parties.includes(author)) return ok(true);
  return fail('NOT_TRADE_PARTY', `author: only a party of trade ${trade.id} (${trade.parties.join(', ')}) may enter ${type}, found ${author}`, 'author');
}

export function requireTradeStatus(trade: TradeRecord, allowed: TradeRecord['status'], action: string): Result<true, ApplyError> {
  if (trade.status === allowed) return ok(true);
  const done = (allowed === 'proposed' && trade.status === 'committed') || trade.status === 'completed' || trade.status === 'aborted';
  return fail(done ? 'ALREADY_DONE' : 'ILLEGAL_TRANSITION', `body.trade: cannot ${action} trade ${trade.id} in status ${trade.status}; allowed from ${allowed}`, 'body.trade');
}

export function requireBeforeDeadline(trade: TradeRecord, time: number, action: string): Result<true, ApplyError> {
  if (time <= trade.deadline) return ok(true);
  return fail('DEADLINE_PASSED', `time: cannot ${action} trade ${trade.id} after its deadline (${isoTime(trade.deadline)})`, 'time');
}

/**
 * Moves a request leg's record along with the trade (attestation = surrender, receipt =
 * received), so request views and statistics show the handover, and adds the trade entry
 * to its history. Refuses an entry dated before the request's last one.
 */
export function updateRequest(
  requests: PersistentMap<RequestRecord>,
  id: string,
  step: { readonly state: State; readonly author: string; readonly time: number },
  type: TradeEntryType,
  patch: { readonly status: RequestStatus; readonly surrenderedAt?: number; readonly receivedAt?: number },
): Result<PersistentMap<RequestRecord>, ApplyError> {
  const record = mapGet(requests, id);
  if (!record) return fail('REQUEST_UNKNOWN', `body.trade: the trade's request ${id} is missing`, 'body.trade');
  const last = record.history[record.history.length - 1];
  if (last && step.time < last.time) return fail('TIME_REVERSED', `time: ${step.time} is before the last entry of request ${id} (${last.time})`, 'time');
  const history = [...record.history, { index: step.state.size, type, time: step.time, author: step.author }];
  return ok(mapSet(requests, id, { ...record, ...patch, history }));
}
