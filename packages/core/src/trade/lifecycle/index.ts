export * from './trade-state.ts';
export * from './balance.ts';
export * from './apply-trade.ts';
