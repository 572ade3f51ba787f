import type { EntryBody } from '../../request/entries.ts';
import { planValue } from '../clearing/plan-feasibility.ts';
import { roundFigures } from '../clearing/round-figures.ts';
import type { ClearingPool } from '../clearing/round-pool.ts';
import type { ClearingPlan } from '../clearing/types.ts';
import type { ClearingProposal } from './clearing-pool.ts';
import { creditsInMillionths } from './clearing-round.ts';

export interface ClearingRecordInput {
  readonly round: string;
  /** The log size whose state the pool was built from (`State.size`). */
  readonly poolAt: number;
  readonly pool: ClearingPool;
  /** SHA-256 of encodeClearingPool(pool), lowercase hex (log clearing-pool-digest.ts). */
  readonly poolDigest: string;
  readonly plan: ClearingPlan;
  /** The proposals the log accepted, in the order they were written. */
  readonly proposed: readonly ClearingProposal[];
}

/**
 * The `clearing.round` body the exchange writes after its proposals (issues 6 and 13). The
 * objective is the value of what was proposed, which is the plan's unless the log refused a
 * proposal (a leg withdrawn while the solver ran), so that the audit's "the stated objective
 * is the value of the proposed trades" holds for an honest round either way.
 */
export function clearingRoundBody(input: ClearingRecordInput): EntryBody<'clearing.round'> {
  const { pool, plan, proposed } = input;
  const objective = planValue(pool, proposed.map((proposal) => ({ id: proposal.trade, legs: proposal.legs.map((leg) => leg.request) })));
  return {
    round: input.round,
    pool: pool.requests.length,
    trades: proposed.map((proposal) => proposal.trade),
    credits: creditsInMillionths(plan.credits),
    poolAt: input.poolAt,
    poolDigest: input.poolDigest,
    ...roundFigures(plan, objective),
  };
}
