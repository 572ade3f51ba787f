import type { Trade, TradeLeg, TradeObligation } from './types.ts';

/**
 * How a trade reads in the console, and which acts an official may take on it. Pure, so the
 * wording and the role rules are checked without a browser. Legs are numbered from 1 on
 * screen; the API counts them from 0 (`{"leg": 0}`).
 */

/** "bank-fraud-04: US → RU (request RU-2021-001)" or "…(voluntary: pardon)". */
export function legLabel(leg: TradeLeg): string {
  const source = leg.kind === 'request' ? `request ${leg.request ?? '?'}` : `voluntary: ${leg.reason ?? 'other'}`;
  return `${leg.subject}: ${leg.from} → ${leg.to} (${source}${leg.weight === 1 ? '' : `, weight ${leg.weight}`})`;
}

/** "Leg 1", "legs 1 and 2", "legs 1, 2 and 3" from 0-based indexes. */
export function legsPhrase(indexes: readonly number[]): string {
  const numbers = indexes.map((index) => String(index + 1));
  if (numbers.length <= 1) return `leg ${numbers[0] ?? ''}`.trim();
  return `legs ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}

/** What `party` still owes in the trade, in words (core trade-deadlines.ts); or who the trade is waiting for. */
export function todoText(trade: Trade, party: string): string {
  const mine = trade.obligations.filter((obligation) => obligation.party === party);
  const legs = (kind: TradeObligation['kind']) => mine.filter((obligation) => obligation.kind === kind).map((obligation) => obligation.leg ?? 0);
  const parts: string[] = [];
  if (mine.some((obligation) => obligation.kind === 'trade-sign')) parts.push(`sign (two approvers)${lastSignature(trade, party) ? ', which commits it' : ''}`);
  if (mine.some((obligation) => obligation.kind === 'trade-commit')) parts.push('commit: every party has signed (two approvers)');
  if (legs('trade-hand-over').length > 0) parts.push(`hand over ${legsPhrase(legs('trade-hand-over'))} (reviewer records it)`);
  if (legs('trade-confirm-receipt').length > 0) parts.push(`confirm receipt of ${legsPhrase(legs('trade-confirm-receipt'))} (reviewer)`);
  if (parts.length > 0) return parts.join('; ');
  if (trade.status === 'proposed') {
    const missing = trade.parties.filter((other) => !trade.signedBy.includes(other));
    return missing.length > 0 ? `nothing: awaiting the signature of ${missing.join(' and ')}` : 'nothing: awaiting the commit';
  }
  if (trade.status === 'committed') {
    const givers = [...new Set(trade.obligations.filter((obligation) => obligation.kind === 'trade-hand-over').map((obligation) => obligation.party))];
    return givers.length > 0 ? `nothing: awaiting the handover by ${givers.join(' and ')}` : 'nothing: awaiting receipt by the receiving states';
  }
  return 'nothing';
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

/** The words for a trade's ending. */
export function statusText(status: Trade['status']): string {
  return status === 'receipt-unconfirmed' ? 'called off with a receipt unconfirmed' : status;
}

/** "trade.confirm-receipt" → "confirm receipt". */
export function tradeEntryLabel(type: string): string {
  return type.replace(/^trade\./, '').replaceAll('-', ' ');
}
