import { setFlagsFromString } from 'node:v8';

/**
 * How far, in percent, a long-running service's old generation may grow past what the last full
 * collection left live before the next one starts (V8's --heap-growing-percent): 100, so V8
 * holds at most about twice the live heap.
 *
 * Left to itself V8 picks that factor from the allocation rate, up to 4: in the sustained run of
 * issue 14 a gateway ended holding 714 MB of heap for 193 MB live. The 10-minute sustained run
 * (`npm run bench -- sustained`, one run a row, on one machine; the factor given in
 * `EVENHAND_BENCH_NODE_ARGS`, or by the services in the second row of 100 %), at the end: RSS
 * of exchange / gateway US / gateway RU, worst p99 filing latency, and filings/s in minute 10
 * against minute 2:
 * - V8's own factor: 623 / 918 / 828 MB, p99 140 ms, 82 % (66,777 entries; on 5c0195f, before this setting);
 * - 100 %: 536 / 567 / 586 MB, p99 129 ms, 103 % (67,077 entries);
 * - 100 % again, set by the services themselves: 542 / 569 / 579 MB, p99 146 ms, 93 % (64,835 entries);
 * - 60 %: 473 / 515 / 496 MB, but p99 165 ms and 68 % (60,174 entries): the collections, more
 *   frequent, took the CPU that five processes share on two cores.
 * The live heaps at the end were 154–193 MB in every run. At 10^6 entries (the growth table)
 * the exchange's heap is mostly live, and its RSS moved little: 825 MB at 60 %, 846 MB with
 * V8's own factor.
 */
export const HEAP_GROWING_PERCENT = 100;

/**
 * The flag that sets HEAP_GROWING_PERCENT, or undefined when the command line of this process
 * (`execArgv`) already gives one: an operator who starts `node --heap-growing-percent=N
 * evenhand.js … serve` chose N, and a flag set later would override it. V8 reads `-` and `_`
 * in a flag's name alike.
 */
export function heapGrowingFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((flag) => /^--heap[-_]growing[-_]percent(=|$)/.test(flag))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Sets HEAP_GROWING_PERCENT for this process, unless its command line gave a factor, before a
 * service starts (its start replays the log, the most it allocates at once). It applies to the
 * whole process, worker threads included, so only the commands that run services call it, never
 * the library itself: a test or a one-shot `verify` keeps V8's own choice. Set at run time it
 * takes effect: two 180-s runs at 30 %, one with the flag set this way and one with it on
 * the command line, gave the same RSS after minute 3 (299 / 297 / 306 and 311 / 302 / 304 MB,
 * against 443 / 526 / 509 MB with V8's own factor).
 */
export function keepHeapNearLive(): void {
  const flag = heapGrowingFlag(process.execArgv);
  if (flag) setFlagsFromString(flag);
}
