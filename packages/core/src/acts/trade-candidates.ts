import type { TradeRecord } from '../trade/lifecycle/trade-state.ts';
import type { Candidate } from './request-candidates.ts';

/** The entry types that act on an existing trade, in lifecycle order (`trade.propose` starts one). */
export const TRADE_ACT_TYPES = ['trade.sign', 'trade.commit', 'trade.surrender', 'trade.attest', 'trade.confirm-receipt', 'trade.abort'] as const;

/**
 * Every way of taking each act on `trade`: the per-leg acts once per leg (whether this author
 * may take it for that leg is `apply`'s answer), the others once.
 */
export function tradeCandidates(trade: TradeRecord): Candidate[] {
  const out: Candidate[] = [];
  const perLeg = (type: Candidate['type'], verb: string, extra: Record<string, unknown> = {}) =>
    trade.legs.forEach((leg, index) => out.push({ type, label: `${verb} leg ${index} (${leg.subject}, ${leg.from} → ${leg.to})`, params: { leg: index, ...extra } }));
  for (const type of TRADE_ACT_TYPES) {
    if (type === 'trade.surrender') perLeg(type, 'hand over');
    else if (type === 'trade.attest') perLeg(type, 'attest the handover of', { identity: true, health: true });
    else if (type === 'trade.confirm-receipt') perLeg(type, 'confirm receipt of');
    else out.push({ type, label: type === 'trade.abort' ? 'call the trade off' : type.slice('trade.'.length), params: {} });
  }
  return out;
}
