export * from './trade-state.ts';
export * from './balance.ts';
export * from './apply-trade.ts';
export { applyClearingRound, creditsInMillionths, creditsInPersons } from './clearing-round.ts';
