import { Worker } from 'node:worker_threads';
import type { ClearingError, ClearingOptions, ClearingPlan, ClearingRequest, Result } from '@evenhand/core';

/**
 * A resolve hook that puts the "evenhand-dist" export condition first (as the installed
 * command's bin does), so that the built worker loads @evenhand/* from their dist/.
 */
const DIST_CONDITION_HOOK = `data:text/javascript,${encodeURIComponent('export async function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: ["evenhand-dist", ...context.conditions] }); }')}`;

/**
 * Runs `clear` in a worker thread and resolves with its result. From the TypeScript sources
 * (tsx: the tests) the worker registers tsx before loading clearing-worker.ts; from the built
 * output (the installed command, issue 16) it loads clearing-worker.js with the dist condition.
 * A worker that dies or exceeds `timeoutMs` (the solver has its own time limit; this is the
 * backstop) is terminated and reported as an error, never left running.
 */
export function clearInWorker(requests: readonly ClearingRequest[], options: Omit<ClearingOptions, 'clock'>, timeoutMs: number): Promise<Result<ClearingPlan, ClearingError>> {
  return new Promise((resolve, reject) => {
    // Node 20 does not carry the parent's module hooks into a worker, so the worker starts
    // from a JavaScript bootstrap that registers them, then loads the worker module.
    const built = import.meta.url.endsWith('.js');
    const script = new URL(built ? './clearing-worker.js' : './clearing-worker.ts', import.meta.url).href;
    // Resolved here, where the package is found from this file, not from the worker's cwd.
    const hooks = built ? `import('node:module').then(({ register }) => register(${JSON.stringify(DIST_CONDITION_HOOK)}))` : `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => register())`;
    const bootstrap = `${hooks}.then(() => import(${JSON.stringify(script)}))`;
    const worker = new Worker(bootstrap, { eval: true, workerData: { requests, options } });
    let settled = false;
    const finish = (action: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      action();
    };
    const timer = setTimeout(() => finish(() => reject(new Error(`the clearing worker did not answer within ${timeoutMs} ms`))), timeoutMs);
    worker.once('message', (result: Result<ClearingPlan, ClearingError>) => finish(() => resolve(result)));
    worker.once('error', (error) => finish(() => reject(error)));
    worker.once('exit', (code) => finish(() => reject(new Error(`the clearing worker exited with code ${code} before answering`))));
  });
}
