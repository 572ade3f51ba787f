/**
 * Issue 14, "a page's response time does not depend on the size of the log": what a state's
 * inbox (GET /api/tasks) asks of the core, at each size of the growth log (growth-log.ts),
 * beside what it asked before stop 56: the whole list of open obligations (core
 * `deadlinesView`), built, sorted and filtered at each call. The list grows with history: the
 * treaty's five-year retention keeps an erasure open for every ended case of the log's two years.
 * Now: the US's most urgent 50 it owes and 50 it is owed (every emergency first), both counts,
 * and the incoming requests new since a visit 30 days back (gateway/inbox-tasks.ts).
 * Median of 50 readings (the whole list: of 5, each at a new instant, as the memo is per instant).
 * Run: npm run bench -- inbox [sizes…]   (default 10^4 and 10^5; 10^6 replays a million entries first)
 */
import { deadlinesView, figuresOf, genesis, obligationCounts, replay, skewOf } from '@evenhand/core';
import { medianMillis as median, report } from '@evenhand/testing';
import { domainEntries, growthKeys, LOG_END } from './growth-log.ts';
import { mostUrgent, newIncoming } from '../src/gateway/inbox-tasks.ts';

const sizes = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const DAY = 86_400;

for (const size of sizes.length > 0 ? sizes : [10_000, 100_000]) {
  const replayed = replay(domainEntries(growthKeys(), size), genesis());
  if (!replayed.ok) throw new Error(`entry ${replayed.error.index}: ${replayed.error.message}`);
  const state = replayed.value;
  figuresOf(state);
  const at = LOG_END + DAY;
  const counts = obligationCounts(state, 'US');
  const whole = median(5, (run) => deadlinesView(state, at + run).items.filter((item) => item.party === 'US'));
  const inbox = median(50, (run) => {
    const now = at + run;
    mostUrgent(state, now, 'US', true);
    mostUrgent(state, now, 'US', false);
    obligationCounts(state, 'US');
    newIncoming(state, 'US', now - 30 * DAY, skewOf(state.treaty));
  });
  console.log(`${size.toLocaleString('en-US')} entries: ${deadlinesView(state, at).items.length.toLocaleString('en-US')} open obligations (the US owes ${counts.owes.toLocaleString('en-US')}, is owed ${counts.owed.toLocaleString('en-US')}); the whole list ${whole.toFixed(2)} ms, the inbox now ${inbox.toFixed(3)} ms`);
  report(`a state's inbox in the core at ${size.toLocaleString('en-US')} entries`, inbox, 'ms', 20, 'lower', `the whole list it built before: ${whole.toFixed(1)} ms`);
}
