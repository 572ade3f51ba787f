import { setFlagsFromString } from 'node:v8';

/**
 * How far, in percent, a long-running service's old generation may grow past what the last full
 * collection left live before the next one starts (V8's --heap-growing-percent).
 *
 * Left to itself V8 picks that factor from the allocation rate, up to 4: in the sustained run of
 * issue 14 (10 minutes, 66,777 entries) a gateway ended holding 714 MB of heap for 193 MB live,
 * and its RSS grew 467 → 918 MB. Three 180-s runs of that benchmark on one machine
 * (`EVENHAND_BENCH_NODE_ARGS` giving the factor), RSS of exchange / gateway US / gateway RU
 * after minute 3, and the worst minute's p99 filing latency:
 * - V8's own factor: 443 / 526 / 509 MB, p99 119 ms;
 * - 60 %: 322 / 328 / 330 MB, p99 126 ms;
 * - 30 %: 299 / 297 / 306 MB, p99 159 ms (above the goal of 150 ms; 142 ms in a fourth run,
 *   with the flag on the command line).
 * The live heaps were the same in every run (79–98 MB). 60 % keeps most of the memory saved,
 * and the latency within the goal.
 */
export const HEAP_GROWING_PERCENT = 60;

/**
 * Sets HEAP_GROWING_PERCENT for this process, before a service starts (its start replays the
 * log, the most it allocates at once). It applies to the whole process, worker threads
 * included, so only the commands that run services call it, never the library itself: a test
 * or a one-shot `verify` keeps V8's own choice. Set at run time it takes effect: the 180-s run
 * above with the flag set this way gave the RSS of the flag given on the command line.
 */
export function keepHeapNearLive(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
