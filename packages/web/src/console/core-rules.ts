/**
 * The two pieces of @evenhand/core the console runs in the browser: the entry schemas and
 * the treaty evaluation, both pure. They are imported by file rather than through core's
 * index, which also exports the trade clearing with its WebAssembly LP solver (highs): that
 * would not type-check under the bundler's resolution and is not wanted in the page.
 */
export { entryBodySchemas } from '../../../core/src/request/entries.ts';
export { evaluate, type Evaluation } from '../../../core/src/treaty/evaluate.ts';
export type { Treaty } from '../../../core/src/treaty/schema.ts';
