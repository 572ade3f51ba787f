export * from './errors.ts';
export * from './encoding.ts';
export * from './hash.ts';
export * from './tree-math.ts';
export * from './tree.ts';
export * from './proof-verify.ts';
