export * from './trade-state.ts';
export { expiredTrades, openTrades } from './open-trades.ts';
export * from './balance.ts';
export * from './apply-trade.ts';
export { applyClearingRound, creditsInMillionths, creditsInPersons } from './clearing-round.ts';
export { clearingBalance, clearingPool, clearingRoundPool, proposalsOf, reciprocalGrants, reciprocalGrantsFrom, type ClearingProposal } from './clearing-pool.ts';
export { clearingRoundBody, type ClearingRecordInput } from './clearing-record.ts';
