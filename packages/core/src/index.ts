export * from './result.ts';
export * from './time.ts';
export * from './treaty/schema.ts';
export * from './treaty/load.ts';
export * from './treaty/request-view.ts';
export * from './treaty/evaluate.ts';
export * from './request/entries.ts';
