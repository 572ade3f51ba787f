import { ok, type Result } from '../../result.ts';
import { fail, type ApplyError } from '../../request/apply-error.ts';
import { mapSet, type PersistentMap } from '../../request/persistent-map.ts';
import type { RequestRecord } from '../../request/state.ts';
import { handedOverAt, type TradeLeg, type TradeRecord } from './trade-state.ts';
import { requireBeforeDeadline, requireTradeStatus, updateRequest, type TradeStep, type TradeStepResult } from './trade-step.ts';

/**
 * DESIGN.md "Trades" 4-5: execution at a venue. Each leg is carried out whoever coordinates:
 * the handing-over party records the surrender (trade.surrender), and the coordinator named
 * in the proposal (the Ankara 2024 role of Turkey's MIT: "checking the health … and
 * fulfilling other necessary requirements", reference/domain.md §6) may attest it with
 * identity and health checked. Either makes the leg handed over; its receiver then confirms
 * receipt, and the trade completes with the last confirmation.
 */

function legAt(trade: TradeRecord, index: number): Result<TradeLeg, ApplyError> {
  const leg = trade.legs[index];
  if (!leg) return fail('LEG_INVALID', `body.leg: trade ${trade.id} has legs 0 to ${trade.legs.length - 1}, found ${index}`, 'body.leg');
  return ok(leg);
}

function withLeg(trade: TradeRecord, index: number, leg: TradeLeg): TradeRecord {
  return { ...trade, legs: trade.legs.map((old, at) => (at === index ? leg : old)) };
}

export function attest(step: TradeStep<'trade.attest'>): TradeStepResult {
  const { trade, author } = step;
  if (author !== trade.coordinator) return fail('NOT_COORDINATOR', `author: only the coordinator of trade ${trade.id} (${trade.coordinator}) attests its handovers, found ${author}; the handing-over party records its own with trade.surrender`, 'author');
  return handOver(step, 'attestedAt', 'attest a handover of');
}

/** The handing-over party's own record of a leg's handover (issue 11: "whatever the coordinator is"). */
export function surrenderLeg(step: TradeStep<'trade.surrender'>): TradeStepResult {
  const { trade, author, body } = step;
  const leg = legAt(trade, body.leg);
  if (!leg.ok) return leg;
  if (author !== leg.value.from) return fail('NOT_GIVER', `author: only the party that hands over the person of leg ${body.leg} of trade ${trade.id} (${leg.value.from}) records its surrender, found ${author}`, 'author');
  return handOver(step, 'surrenderedAt', 'record the surrender of a leg of');
}

/**
 * Marks one leg handed over (by attestation or the giver's record). The first of the two
 * moves the leg's request to surrendered; the second only adds its own record.
 */
function handOver(step: TradeStep<'trade.attest' | 'trade.surrender'>, field: 'attestedAt' | 'surrenderedAt', action: string): TradeStepResult {
  const { trade, time, body, state } = step;
  const status = requireTradeStatus(trade, 'committed', action);
  if (!status.ok) return status;
  const leg = legAt(trade, body.leg);
  if (!leg.ok) return leg;
  if (leg.value[field] !== undefined) return fail('ALREADY_DONE', `body.leg: leg ${body.leg} of trade ${trade.id} was already ${field === 'attestedAt' ? 'attested' : 'recorded as surrendered'}`, 'body.leg');
  // A leg not handed over by the deadline has failed (DESIGN.md "Trades" 5); it is not
  // handed over late, the trade is called off instead.
  const due = requireBeforeDeadline(trade, time, action);
  if (!due.ok) return due;
  let requests: PersistentMap<RequestRecord> | undefined;
  if (leg.value.request !== undefined && handedOverAt(leg.value) === undefined) {
    const type = field === 'attestedAt' ? 'trade.attest' : 'trade.surrender';
    const moved = updateRequest(state.requests, leg.value.request, step, type, { status: 'surrendered', surrenderedAt: time });
    if (!moved.ok) return moved;
    requests = moved.value;
  }
  return ok({ trade: withLeg(trade, body.leg, { ...leg.value, [field]: time }), requests });
}

export function confirmReceipt(step: TradeStep<'trade.confirm-receipt'>): TradeStepResult {
  const { trade, author, time, body, state } = step;
  const leg = legAt(trade, body.leg);
  if (!leg.ok) return leg;
  if (author !== leg.value.to) return fail('NOT_RECEIVER', `author: only the receiver of leg ${body.leg} of trade ${trade.id} (${leg.value.to}) confirms its receipt, found ${author}`, 'author');
  const status = requireTradeStatus(trade, 'committed', 'confirm receipt in');
  if (!status.ok) return status;
  if (leg.value.receivedAt !== undefined) return fail('ALREADY_DONE', `body.leg: receipt of leg ${body.leg} of trade ${trade.id} was already confirmed`, 'body.leg');
  if (handedOverAt(leg.value) === undefined) return fail('LEG_NOT_ATTESTED', `body.leg: leg ${body.leg} of trade ${trade.id} has not been handed over yet (neither its giver ${leg.value.from} nor the coordinator recorded it)`, 'body.leg');
  let requests: PersistentMap<RequestRecord> | undefined;
  if (leg.value.request !== undefined) {
    const moved = updateRequest(state.requests, leg.value.request, step, 'trade.confirm-receipt', { status: 'received', receivedAt: time });
    if (!moved.ok) return moved;
    requests = moved.value;
  }
  const updated = withLeg(trade, body.leg, { ...leg.value, receivedAt: time });
  if (!updated.legs.every((each) => each.receivedAt !== undefined)) return ok({ trade: updated, requests });
  return ok({ trade: { ...updated, status: 'completed', completedAt: time }, requests, book: { locks: release(state.trades.locks, trade) } });
}

/** Releases the locks a trade holds (a completed or aborted trade holds none). */
export function release(locks: PersistentMap<string | null>, trade: TradeRecord): PersistentMap<string | null> {
  let out = locks;
  for (const leg of trade.legs) if (leg.request !== undefined) out = mapSet(out, leg.request, null);
  return out;
}
