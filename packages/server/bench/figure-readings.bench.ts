/**
 * Issue 14, "no request and no periodic task recomputes anything over the whole log": what a
 * reading of the statistics' index costs, and what the entries before it paid. A state of the
 * growth log (growth-log.ts; 100,000 entries unless a size is given) is read once, then takes
 * rounds of 3,300 filings, each round ended by a reading: what a gateway's comparison of the
 * exchange's statistics meets every 30 s in the sustained run (about 110 filings a second).
 * Each entry moves nothing until its chain of cells ends (core figure-cell.ts
 * FIGURES_PENDING_AT_MOST); the entry that ends a chain, or the reading, moves the figures of
 * the entries since. Printed per round: the applies' time and the longest, and the reading's:
 * each holds the event loop of the service doing it.
 * Run: npm run bench -- figure-readings [size]
 */
import { apply, figuresOf, genesis, replay, FIGURES_PENDING_AT_MOST, type AnyDomainEntry, type State } from '@evenhand/core';
import { appendedFiling, domainEntries, growthKeys, LOG_END, STATES } from './growth-log.ts';

const size = Number(process.argv[2] ?? 100_000);
const ROUNDS = 6;
const FILINGS_PER_ROUND = 3_300;
const replayed = replay(domainEntries(growthKeys(), size), genesis());
if (!replayed.ok) throw new Error(`entry ${replayed.error.index}: ${replayed.error.message}`);
let state: State = replayed.value;
figuresOf(state);
const time = LOG_END + 86_400;
let n = 0;
for (let round = 1; round <= ROUNDS; round++) {
  let applying = 0;
  let longest = 0;
  for (let i = 0; i < FILINGS_PER_ROUND; i++, n++) {
    // Parsed from JSON, as a service reads an entry (state-memory.bench.ts).
    const author = STATES[n % STATES.length]!;
    const entry = JSON.parse(JSON.stringify({ author, time: time + n, type: 'request.file', body: appendedFiling(author, STATES[(n + 1) % STATES.length]!, 'r', n, '2026-06-01') })) as AnyDomainEntry;
    const started = performance.now();
    const applied = apply(state, entry);
    const took = performance.now() - started;
    if (!applied.ok) throw new Error(applied.error.message);
    state = applied.value;
    applying += took;
    longest = Math.max(longest, took);
  }
  const started = performance.now();
  figuresOf(state);
  const reading = performance.now() - started;
  console.log(`round ${round} (chains of ${FIGURES_PENDING_AT_MOST}): ${FILINGS_PER_ROUND.toLocaleString('en-US')} filings applied in ${applying.toFixed(0)} ms (the longest ${longest.toFixed(1)} ms), then the reading ${reading.toFixed(1)} ms`);
}
