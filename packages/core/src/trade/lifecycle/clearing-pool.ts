import { getRequest, type RequestRecord, type State } from '../../request/state.ts';
import { bagCountBelow, bagEntriesFrom } from '../../statistics/persistent-bag.ts';
import { figuresOf } from '../../statistics/figure-cell.ts';
import type { Treaty } from '../../treaty/schema.ts';
import { DEFAULT_EPSILON, DEFAULT_MAX_CYCLES } from '../clearing/clear.ts';
import type { ClearingPool } from '../clearing/round-pool.ts';
import type { BalanceRule, ClearingRequest, PlannedTrade } from '../clearing/types.ts';
import { DEFAULT_MAX_LENGTH } from '../clearing/validate.ts';
import { getTrade, lockOf } from './trade-state.ts';
import { openTrades } from './open-trades.ts';
import { partiesLeft } from '../../treaty/denunciation.ts';
import type { UnixSeconds } from '../../time.ts';

/**
 * From the log's state to a clearing instance and back (issue 6, "Clearing"; DESIGN.md
 * "Trades"). Here in core, not in the exchange, because an auditor rebuilds the pool of a
 * past round from the log with the very same function (issue 13, `evenhand clear --audit`).
 * The pool is every grant conditional on reciprocity that no committed trade locks and no
 * open proposal already offers, so running a round twice does not propose the same person
 * twice. Each leg weighs 1: requests carry no weights of their own.
 *
 * `at` is the round's time (its `clearing.round` entry's): a grant given by or to a party that
 * has left the treaty by then is not pooled (issue 17), since no new trade may take it. Grants
 * already in a trade proposed or committed before it left carry on in that trade.
 */
export function clearingPool(state: State, at: UnixSeconds): ClearingRequest[] {
  const left = new Set(partiesLeft(state, at));
  const offered = new Set<string>();
  // A proposed trade has not ended, so it is among the open ones: no walk over every trade ever proposed.
  for (const { id } of openTrades(state)) {
    const trade = getTrade(state.trades, id);
    if (trade?.status !== 'proposed') continue;
    for (const leg of trade.legs) if (leg.request !== undefined) offered.add(leg.request);
  }
  return reciprocalGrants(state)
    .filter((record) => lockOf(state.trades, record.id) === undefined && !offered.has(record.id))
    .filter((record) => !left.has(record.view.requesting) && !left.has(record.view.requested))
    .map((record) => ({ id: record.id, from: record.view.requesting, to: record.view.requested, weight: 1 }));
}

/**
 * The grants conditional on reciprocity (Arrangement art. 4), in filing order: what clearing
 * and a console's trade pool start from. They are read from the index the state keeps of
 * them (statistics/figure-index.ts `grants`), not from every request, nor every open one.
 */
export function reciprocalGrants(state: State): RequestRecord[] {
  return [...reciprocalGrantsFrom(state, 0)];
}

/**
 * The same grants from the filing position `seq` on, one at a time: the index is sorted by
 * filing, so the first costs O(log n) and each next one O(log n) at most, and a page of the
 * pool reads only what it shows (issue 14), where sorting the pool read all of it.
 */
export function* reciprocalGrantsFrom(state: State, seq: number): Generator<RequestRecord> {
  const grants = figuresOf(state).grants;
  for (const { id } of bagEntriesFrom(grants, bagCountBelow(grants, seq))) {
    const record = getRequest(state, id);
    if (record) yield record;
  }
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
 * The pool a round solves from `state`, with every option that shapes its plan: the engine's
 * defaults for L, ε and the cycle cap (reference/trade-matching.md §6(a)), the treaty's balance
 * rule, and the fairness credits the last round left in the log (§2). `at` is the round's time,
 * which decides who has left the treaty (`clearingPool`).
 */
export function clearingRoundPool(state: State, treaty: Treaty, at: UnixSeconds): ClearingPool {
  return {
    requests: clearingPool(state, at),
    maxLength: DEFAULT_MAX_LENGTH,
    epsilon: DEFAULT_EPSILON,
    maxCycles: DEFAULT_MAX_CYCLES,
    balance: clearingBalance(treaty),
    credits: state.clearingCredits ?? {},
  };
}

export interface ClearingProposal {
  readonly trade: string;
  readonly legs: { readonly kind: 'request'; readonly request: string }[];
  readonly coordinator: 'exchange';
  readonly deadline: number;
}

/**
 * The `trade.propose` bodies for a plan. Ids are `clearing-<log size>-<n>`: the log grows
 * with every proposal, so two rounds never reuse one.
 */
export function proposalsOf(plan: readonly PlannedTrade[], logSize: number, deadline: number): ClearingProposal[] {
  return plan.map((trade, index) => ({
    trade: `clearing-${logSize}-${index + 1}`,
    legs: trade.legs.map((request) => ({ kind: 'request' as const, request })),
    coordinator: 'exchange' as const,
    deadline,
  }));
}
