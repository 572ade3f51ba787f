import { en, type Messages } from '../i18n/en.ts';
import type { Trade, TradeLeg, TradeObligation } from './types.ts';

/**
 * How a trade reads in the console, and which acts an official may take on it. Pure, so the
 * wording and the role rules are checked without a browser; `t` is the reader's catalogue
 * (English by default). Legs are numbered from 1 on screen; the API counts them from 0.
 */

/** "bank-fraud-04: US → RU (request RU-2021-001)" or "…(voluntary: pardon)". */
export function legLabel(leg: TradeLeg, t: Messages = en): string {
  const source = leg.kind === 'request' ? t.trades.legRequest(leg.request ?? '?') : t.trades.legVoluntary(leg.reason ?? t.trades.other);
  return t.trades.legLabel(leg.subject, leg.from, leg.to, source, leg.weight);
}

/** "leg 1", "legs 1 and 2", "legs 1, 2 and 3" from 0-based indexes. */
export function legsPhrase(indexes: readonly number[], t: Messages = en): string {
  return t.trades.legs(indexes.map((index) => index + 1));
}

/** What `party` still owes in the trade, in words (core trade-deadlines.ts); or who the trade is waiting for. */
export function todoText(trade: Trade, party: string, t: Messages = en): string {
  const mine = trade.obligations.filter((obligation) => obligation.party === party);
  const legs = (kind: TradeObligation['kind']) => mine.filter((obligation) => obligation.kind === kind).map((obligation) => obligation.leg ?? 0);
  const parts: string[] = [];
  if (mine.some((obligation) => obligation.kind === 'trade-sign')) parts.push(t.trades.todoSign(lastSignature(trade, party)));
  if (mine.some((obligation) => obligation.kind === 'trade-commit')) parts.push(t.trades.todoCommit);
  if (legs('trade-hand-over').length > 0) parts.push(t.trades.todoHandOver(legsPhrase(legs('trade-hand-over'), t)));
  if (legs('trade-confirm-receipt').length > 0) parts.push(t.trades.todoConfirm(legsPhrase(legs('trade-confirm-receipt'), t)));
  if (parts.length > 0) return parts.join('; ');
  if (trade.status === 'proposed') {
    const missing = trade.parties.filter((other) => !trade.signedBy.includes(other));
    return missing.length > 0 ? t.trades.awaitingSignature(t.common.list(missing)) : t.trades.awaitingCommit;
  }
  if (trade.status === 'committed') {
    const givers = [...new Set(trade.obligations.filter((obligation) => obligation.kind === 'trade-hand-over').map((obligation) => obligation.party))];
    return givers.length > 0 ? t.trades.awaitingHandover(t.common.list(givers)) : t.trades.awaitingReceipt;
  }
  return t.trades.nothing;
}

/** True when every other party has signed, so this state's signature is the last one. */
export function lastSignature(trade: Trade, party: string): boolean {
  return trade.parties.every((other) => other === party || trade.signedBy.includes(other));
}

/** Whether the deadline still matters: it does until the trade ends. */
export function deadlineOpen(trade: Trade): boolean {
  return trade.status === 'proposed' || trade.status === 'committed';
}

/** When a leg was handed over: the coordinator's attestation or the giver's own record, whichever came first. */
export function handedOverAt(leg: TradeLeg): number | undefined {
  const times = [leg.attestedAt, leg.surrenderedAt].filter((time): time is number => time !== undefined);
  return times.length === 0 ? undefined : Math.min(...times);
}

/** The words for a trade's status. */
export function statusText(status: Trade['status'], t: Messages = en): string {
  return t.tradeStatuses[status] ?? status;
}

/** The words for a log entry's type, request or trade. */
export function entryText(type: string, t: Messages = en): string {
  return t.entries[type] ?? type;
}
