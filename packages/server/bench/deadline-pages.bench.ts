/**
 * Issue 14, "first page ≤ 20 ms" and "a page's response time does not depend on the size of
 * the log", for a page of the open obligations (core `deadlinesPage`) as a service reads it: its
 * request records on a shelf (replay/record-shelf.ts, as record-shelving.ts leaves all but the
 * newest). The index's bags hold each obligation's key only, and a page derives the obligations
 * it shows from their records (core deadlines/indexed-deadlines.ts), so a record on the shelf is
 * read back for each: from the file and parsed, unless the shelf's cache of the last 1,024 holds
 * it. Two readings at each size of the growth log (growth-log.ts):
 * - the first page of 50, unfiltered, once with the shelf's cache empty, then the median of 21;
 * - a page whose filter no obligation passes, which examines DEADLINE_SCAN_BUDGET obligations
 *   (2,000) before it answers an empty page and its `next`: the most a page reads. Its records
 *   outnumber the cache, so each reading reads them from the file again.
 * Run: npm run bench -- deadline-pages [sizes…]   (default 10^4 and 10^5)
 */
import { DEADLINE_SCAN_BUDGET, deadlinesPage, figuresOf, genesis, mapEntries, mapShelve, replay, type RequestRecord } from '@evenhand/core';
import { medianMillis, millis, report } from '@evenhand/testing';
import { FileShelf } from '../src/replay/record-shelf.ts';
import { domainEntries, growthKeys, LOG_END } from './growth-log.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);

for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  const replayed = replay(domainEntries(growthKeys(), size), genesis());
  if (!replayed.ok) throw new Error(`entry ${replayed.error.index}: ${replayed.error.message}`);
  const state = replayed.value;
  figuresOf(state);
  const shelf = new FileShelf<RequestRecord>();
  let shelved = 0;
  for (const [key, record] of mapEntries(state.requests)) if (mapShelve(state.requests, key, record, shelf.put(record))) shelved += 1;
  shelf.flush();
  const at = LOG_END + 86_400;
  const firstPage = () => {
    if (deadlinesPage(state, at, {}, 0, 50).items.length === 0) throw new Error('the first page is empty: nothing was measured');
  };
  const cold = millis(firstPage);
  const warm = medianMillis(21, firstPage);
  const scan = medianMillis(21, () => {
    const page = deadlinesPage(state, at, { owedBy: 'a party that owes nothing' }, 0, 50);
    if (page.items.length !== 0 || page.next !== String(DEADLINE_SCAN_BUDGET)) throw new Error(`the filter passed ${page.items.length}, next ${page.next}: the scan was not the whole budget`);
  });
  shelf.close();
  const label = size.toLocaleString('en-US');
  console.log(`${label} entries, ${shelved.toLocaleString('en-US')} records on the shelf: first page ${cold.toFixed(2)} ms with the shelf's cache empty, ${warm.toFixed(2)} ms after; a page that examines ${DEADLINE_SCAN_BUDGET.toLocaleString('en-US')} obligations ${scan.toFixed(2)} ms`);
  report(`first page of obligations, records on the shelf, at ${label} entries`, cold, 'ms', 20, 'lower', `${warm.toFixed(2)} ms with the cache warm`);
  report(`a page that examines the scan budget, records on the shelf, at ${label} entries`, scan, 'ms', 20, 'lower', 'the most one page reads');
}
