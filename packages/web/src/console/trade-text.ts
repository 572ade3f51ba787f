import type { Role, Trade, TradeLeg } from './types.ts';

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

/** What this state still has to do, in words; or who the trade is waiting for. */
export function todoText(trade: Trade, party: string): string {
  const parts: string[] = [];
  if (trade.todo.sign) parts.push(`sign (approver)${lastSignature(trade, party) ? ', which commits it' : ''}`);
  if (trade.todo.commit) parts.push('commit: every party has signed (approver)');
  if (trade.todo.attest.length > 0) parts.push(`attest ${legsPhrase(trade.todo.attest)} as coordinator (approver)`);
  if (trade.todo.confirmReceipt.length > 0) parts.push(`confirm receipt of ${legsPhrase(trade.todo.confirmReceipt)} (reviewer)`);
  if (parts.length > 0) return parts.join('; ');
  if (trade.status === 'proposed') {
    const missing = trade.parties.filter((other) => !trade.signedBy.includes(other));
    return `nothing: awaiting the signature of ${missing.join(' and ') || 'nobody'}`;
  }
  if (trade.status === 'committed') {
    const unattested = trade.legs.some((leg) => leg.attestedAt === undefined);
    return unattested ? `nothing: awaiting attestation by ${trade.coordinator}` : 'nothing: awaiting receipt by the receiving states';
  }
  return 'nothing';
}

/** True when every other party has signed, so this state's signature is the last one. */
export function lastSignature(trade: Trade, party: string): boolean {
  return trade.parties.every((other) => other === party || trade.signedBy.includes(other));
}

/** Whether the deadline still matters: it does until the trade completes or aborts. */
export function deadlineOpen(trade: Trade): boolean {
  return trade.status === 'proposed' || trade.status === 'committed';
}

export type TradeAct = { readonly kind: 'sign' } | { readonly kind: 'commit' } | { readonly kind: 'attest'; readonly leg: number } | { readonly kind: 'confirm-receipt'; readonly leg: number };

/**
 * The acts this official may take now: the state's to-do list narrowed to the official's
 * role, as the gateway enforces it (routes-trades.ts: approvers sign and attest, reviewers
 * confirm receipt). Observers and clerks get none.
 */
export function tradeActs(trade: Trade, role: Role): TradeAct[] {
  if (role === 'approver') return [...(trade.todo.sign ? [{ kind: 'sign' } as const] : []), ...(trade.todo.commit ? [{ kind: 'commit' } as const] : []), ...trade.todo.attest.map((leg) => ({ kind: 'attest', leg }) as const)];
  if (role === 'reviewer') return trade.todo.confirmReceipt.map((leg) => ({ kind: 'confirm-receipt', leg }) as const);
  return [];
}

/** The API path and body of an act. */
export function actRequest(trade: Trade, act: TradeAct): { readonly path: string; readonly body: Record<string, unknown> } {
  const base = `/api/trades/${encodeURIComponent(trade.id)}`;
  if (act.kind === 'sign') return { path: `${base}/sign`, body: {} };
  if (act.kind === 'commit') return { path: `${base}/commit`, body: {} };
  // The coordinator's attestation states that identity and health were checked (entry trade.attest).
  if (act.kind === 'attest') return { path: `${base}/attest`, body: { leg: act.leg, identity: true, health: true } };
  return { path: `${base}/confirm-receipt`, body: { leg: act.leg } };
}

/** The button's words, naming the leg and its person. */
export function actLabel(trade: Trade, act: TradeAct, party: string): string {
  if (act.kind === 'sign') return lastSignature(trade, party) ? `Sign for ${party} and commit` : `Sign for ${party}`;
  if (act.kind === 'commit') return 'Commit the trade';
  const leg = trade.legs[act.leg];
  const who = leg ? ` (${leg.subject}, ${leg.from} → ${leg.to})` : '';
  if (act.kind === 'attest') return `Attest handover of leg ${act.leg + 1}${who}`;
  return `Confirm receipt of leg ${act.leg + 1}${who}`;
}

/** "trade.confirm-receipt" → "confirm receipt". */
export function tradeEntryLabel(type: string): string {
  return type.replace(/^trade\./, '').replaceAll('-', ' ');
}
