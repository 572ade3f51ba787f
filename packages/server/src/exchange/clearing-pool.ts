import { listRequests, listTrades, lockOf, type BalanceRule, type ClearingRequest, type PlannedTrade, type State, type Treaty } from '@evenhand/core';

/**
 * From the exchange's state to a clearing instance and back (issue 6, "Clearing"; DESIGN.md
 * "Trades"). The pool is every grant conditional on reciprocity that no committed trade
 * locks and no open proposal already offers, so running a round twice does not propose the
 * same person twice. Each leg weighs 1: requests carry no weights of their own.
 */
export function clearingPool(state: State): ClearingRequest[] {
  const offered = new Set<string>();
  for (const trade of listTrades(state.trades)) {
    if (trade.status !== 'proposed') continue;
    for (const leg of trade.legs) if (leg.request !== undefined) offered.add(leg.request);
  }
  return listRequests(state)
    .filter((record) => record.status === 'granted-conditional' && record.decision?.onReciprocity === true)
    .filter((record) => lockOf(state.trades, record.id) === undefined && !offered.has(record.id))
    .map((record) => ({ id: record.id, from: record.view.requesting, to: record.view.requested, weight: 1 }));
}

/** The treaty's balance rule in the clearing engine's terms (trade/clearing/types.ts). */
export function clearingBalance(treaty: Treaty): BalanceRule {
  const rule = treaty.balance;
  if (rule.rule === 'weighted') return { measure: 'weight' };
  if (rule.rule === 'equal-count') return { measure: 'count' };
  const blocs: Record<string, string> = {};
  for (const [bloc, members] of Object.entries(rule.blocs)) for (const member of members) blocs[member] ??= bloc;
  return { measure: 'count', blocs };
}

/**
 * The `trade.propose` bodies for a plan. Ids are `clearing-<log size>-<n>`: the log grows
 * with every proposal, so two rounds never reuse one.
 */
export function proposalsOf(plan: readonly PlannedTrade[], logSize: number, deadline: number): { trade: string; legs: { kind: 'request'; request: string }[]; coordinator: 'exchange'; deadline: number }[] {
  return plan.map((trade, index) => ({
    trade: `clearing-${logSize}-${index + 1}`,
    legs: trade.legs.map((request) => ({ kind: 'request' as const, request })),
    coordinator: 'exchange' as const,
    deadline,
  }));
}
