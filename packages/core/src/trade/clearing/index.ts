/** Clearing: proposes trades from the pool of grants conditional on reciprocity (issue 6). */
export type {
  BalanceRule,
  ClearingError,
  ClearingErrorCode,
  ClearingOptions,
  ClearingPlan,
  ClearingRequest,
  ClearingStage,
  ClearingStats,
  FairnessInput,
  PlannedTrade,
} from './types.ts';
export { clear, clearWith, DEFAULT_EPSILON, DEFAULT_MAX_CYCLES, DEFAULT_TIME_LIMIT_SECONDS } from './clear.ts';
export { loadHighs } from './highs-runtime.ts';
export { nextCredits } from './fairness.ts';
export { parseClearingInstance, DEFAULT_MAX_LENGTH, MAX_TRADE_LENGTH, type ClearingInstance } from './validate.ts';
export { solveRequestLevel, type RequestLevelResult } from './request-level-model.ts';
export { CLEARING_POOL_FORMAT, clearingOptionsOf, clearingPoolDigest, encodeClearingPool, type ClearingPool } from './round-pool.ts';
export { gapMillionths, roundFigures, type RoundFigures, type SolverFigures } from './round-figures.ts';
export { planProblems, planValue, type ProposedTrade } from './plan-feasibility.ts';
export { recomputePoolFigures, type PoolFigures } from './pool-figures.ts';
export { auditRound, type AuditFinding, type RoundAudit, type RoundAuditInput } from './round-audit.ts';
