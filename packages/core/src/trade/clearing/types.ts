/**
 * Types of the clearing engine: the pool of eligible legs in, a plan of trades out.
 * Vocabulary follows reference/trade-matching.md: a request is an arc holder → requester
 * (the person moves from `to`, the state that holds them, to `from`, the state that wants
 * them); a trade is a set of legs in which every party gives as much as it receives.
 */

/** One eligible leg: a grant made conditional on reciprocity (issue 6, "Input"). */
export interface ClearingRequest {
  readonly id: string;
  /** The state that wants the person (the requester, who receives). */
  readonly from: string;
  /** The state that holds the person (who gives). */
  readonly to: string;
  /** Value of the handover: the objective maximises the total weight (§5, model B). */
  readonly weight: number;
}

/**
 * The treaty's balance rule (DESIGN.md "Trades").
 * - `count`, no blocs: every state gives as many people as it receives in each trade.
 *   This is the state-level cycle model of §5 (model B), the engine the benches measure.
 * - `weight`: every account gives as much weight as it receives (per-person weights).
 * - `blocs`: the balance is kept per bloc account instead of per state; member states
 *   carry their own surplus or deficit across rounds as credit (§3, the Ankara exchange).
 */
export interface BalanceRule {
  readonly measure: 'count' | 'weight';
  /** state → bloc name; a state not listed is its own account. */
  readonly blocs?: Readonly<Record<string, string>>;
}

/** Fairness across rounds, as in international kidney exchange (§2, §6(a)6). */
export interface FairnessInput {
  /** Credit per state carried from earlier rounds; missing states count as 0. */
  readonly credits: Readonly<Record<string, number>>;
  /** Price of fairness δ: keep at least (1 − δ)·W* of the optimum weight. Default 0. */
  readonly priceOfFairness?: number;
}

export interface ClearingOptions {
  /** Maximum trade length L: states (or accounts) per trade. Default 3 (§6(a)2). */
  readonly maxLength?: number;
  readonly balance?: BalanceRule;
  /** Solver time budget in seconds, measured by HiGHS's own clock (core has none). */
  readonly timeLimitSeconds?: number;
  /** Stop as soon as the plan is within ε of the bound. Default 0.005 (§6(a)3). */
  readonly epsilon?: number;
  /** When given, pick the lexicographically fairest plan among the near-optimal ones. */
  readonly fairness?: FairnessInput;
  /** Refuse to build a MIP over more state cycles than this (§6(b) "hard rules"). */
  readonly maxCycles?: number;
  /**
   * The caller's clock in seconds (e.g. `() => performance.now() / 1000`), to make the time
   * limit a wall-clock bound. Core reads no clock itself; without one, only the time
   * HiGHS spends is counted.
   */
  readonly clock?: () => number;
}

export interface PlannedTrade {
  /** Request ids, in the order the people move around the cycle. */
  readonly legs: readonly string[];
  /** The states (or, under bloc accounts, the accounts) in the trade, in cycle order. */
  readonly parties: readonly string[];
}

/** How the plan's quality was established. */
export type ClearingStage = 'empty' | 'greedy' | 'mip' | 'fair';

export interface ClearingPlan {
  /** Total weight of the legs in the plan. */
  readonly objective: number;
  /** A proven upper bound on the best objective for this pool, rule and L. */
  readonly bound: number;
  /** Certified relative gap (bound − objective) / bound; 0 when the bound is 0. */
  readonly gap: number;
  /** True when the gap is 0: no plan can be better. */
  readonly optimal: boolean;
  /** True when a solver stopped on its time limit before proving its target. */
  readonly timedOut: boolean;
  readonly stage: ClearingStage;
  readonly trades: readonly PlannedTrade[];
  /** Weight each state receives in this plan (x_p of §2), every state listed. */
  readonly received: Readonly<Record<string, number>>;
  /** Weight each state gives in this plan. */
  readonly given: Readonly<Record<string, number>>;
  /** Each state's fair share s_p of this round's total (§2); Σ shares = objective. */
  readonly shares: Readonly<Record<string, number>>;
  /** Credits after this round: c_p + s_p − x_p, summing to zero (§6(a)6). */
  readonly credits: Readonly<Record<string, number>>;
  readonly stats: ClearingStats;
}

export interface ClearingStats {
  readonly states: number;
  readonly requests: number;
  readonly cycles: number;
  readonly greedyObjective: number;
  readonly circulationBound: number;
  /** Seconds spent inside HiGHS, summed over every model of this call. */
  readonly solverSeconds: number;
}

export type ClearingErrorCode = 'CLEARING_INPUT_INVALID' | 'CLEARING_SOLVER_FAILED';

export interface ClearingError {
  readonly code: ClearingErrorCode;
  /** One line per problem, each naming its field: `requests[2].from: …`. */
  readonly problems: readonly string[];
}
