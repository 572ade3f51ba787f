import { parentPort, workerData } from 'node:worker_threads';
import { clear, type ClearingOptions, type ClearingRequest } from '@evenhand/core';

/**
 * One clearing solve in its own thread (reference/trade-matching.md §4: highs-js is
 * single-threaded and "one solve per Worker"), so the exchange's event loop keeps
 * sequencing entries while HiGHS runs. The thread ends after posting its one result.
 */
const input = workerData as { requests: ClearingRequest[]; options: ClearingOptions };
const result = await clear(input.requests, input.options);
parentPort?.postMessage(result);
