import { Worker } from 'node:worker_threads';
import type { ClearingError, ClearingOptions, ClearingPlan, ClearingRequest, Result } from '@evenhand/core';

/**
 * Runs `clear` in a worker thread and resolves with its result. The project runs from its
 * TypeScript sources (tsx), so the worker registers tsx before loading clearing-worker.ts.
 * A worker that dies or exceeds `timeoutMs` (the solver has its own time limit; this is the
 * backstop) is terminated and reported as an error, never left running.
 */
export function clearInWorker(requests: readonly ClearingRequest[], options: Omit<ClearingOptions, 'clock'>, timeoutMs: number): Promise<Result<ClearingPlan, ClearingError>> {
  return new Promise((resolve, reject) => {
    // Node 20 does not carry the parent's `--import tsx` hooks into a worker, so the worker
    // starts from a JavaScript bootstrap that registers tsx, then loads the TypeScript module.
    const script = new URL('./clearing-worker.ts', import.meta.url).href;
    // Resolved here, where the package is found from this file, not from the worker's cwd.
    const tsx = import.meta.resolve('tsx/esm/api');
    const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(script)}); })`;
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
