import { startModuleWorker } from '../worker-module.ts';
import type { ClearingError, ClearingOptions, ClearingPlan, ClearingRequest, Result } from '@evenhand/core';

/**
 * Runs `clear` in a worker thread (worker-module.ts) and resolves with its result.
 * A worker that dies or exceeds `timeoutMs` (the solver has its own time limit; this is the
 * backstop) is terminated and reported as an error, never left running.
 */
export function clearInWorker(requests: readonly ClearingRequest[], options: Omit<ClearingOptions, 'clock'>, timeoutMs: number): Promise<Result<ClearingPlan, ClearingError>> {
  return new Promise((resolve, reject) => {
    const worker = startModuleWorker(import.meta.url, 'clearing-worker', { workerData: { requests, options } });
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
