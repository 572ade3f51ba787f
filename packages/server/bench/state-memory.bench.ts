/**
 * Issue 14, memory per entry, for the replayed state alone: the bytes of JavaScript heap that
 * one filing adds to a state (core `apply`, its figure index read), apart from the service
 * around it. A state of the growth log (growth-log.ts; 10^4 entries unless a size is given)
 * takes `filings` filings more (20,000 unless given), and the heap in use is read after full
 * collections before and after; then again with the figure index's cold nodes on a shelf, as
 * a service keeps them. The growth table (growth.bench.ts) gives the whole process's
 * memory per entry, from its RSS, beside the goal. Where the bytes go: with
 * EVENHAND_STATE_MEMORY_SNAPSHOTS=<dir>, a heap snapshot is written there at each of the two
 * readings (plain-before.heapsnapshot, plain-after.heapsnapshot, and shelved-… for the second
 * run), for scripts/heap-diff.mjs:
 *   node scripts/heap-diff.mjs <dir>/plain-before.heapsnapshot <dir>/plain-after.heapsnapshot <filings>
 *
 * Run: npm run bench -- state-memory [size] [filings]
 */
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { figuresOf, FIGURES_PENDING_AT_MOST, genesis, replay, type AnyDomainEntry, type State } from '@evenhand/core';
import { fullCollection } from '@evenhand/testing';
import { appendedFiling, domainEntries, growthKeys, LOG_END, STATES } from './growth-log.ts';
import { BAG_VISIT_EVERY, BagShelving, bagNodeShelf } from '../src/replay/bag-shelving.ts';

const [size = 10_000, filings = 20_000] = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
const collect = fullCollection();
const snapshots = process.env.EVENHAND_STATE_MEMORY_SNAPSHOTS;
/** The heap in use after full collections, and a heap snapshot named `name` when asked for. */
const heapInUse = (name: string): number => {
  collect();
  collect();
  const used = process.memoryUsage().heapUsed;
  if (snapshots) writeHeapSnapshot(join(snapshots, `${name}.heapsnapshot`));
  return used;
};

function replayed(entries: readonly AnyDomainEntry[], from: State): State {
  const result = replay(entries, from);
  if (!result.ok) throw new Error(`entry ${result.error.index}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * Filings before the first reading: two visits of the bags (BAG_VISIT_EVERY apart), so that the
 * state the readings start from holds its cold nodes as a service would, shelved or not.
 */
const WARM_UP = 2 * BAG_VISIT_EVERY;

/**
 * The heap a state gains for each of `filings` filings, after full collections. With `shelving`,
 * the state's figure index is read every FIGURES_PENDING_AT_MOST filings, as a service's
 * readings move it, and its cold nodes go to a bag node shelf in a file, as a service's holder
 * puts them (replay/bag-shelving.ts): what a service keeps.
 */
function perFiling(name: string, shelving: BagShelving | undefined): number {
  let state = replayed(domainEntries(growthKeys(), size), genesis());
  figuresOf(state);
  shelving?.observe(state);
  let before = 0;
  const time = LOG_END + 86_400;
  for (let n = 0; n < WARM_UP + filings; n++) {
    if (n === WARM_UP) before = heapInUse(`${name}-before`);
    // Filings as the growth table appends them: an extradition between two of the three states.
    // Each is parsed from JSON just before it applies, as a service reads an entry: its strings
    // are its own, not shared literals. (Parsed all at once beforehand, they measured about 600
    // bytes a filing more.)
    const author = STATES[n % STATES.length]!;
    const body = appendedFiling(author, STATES[(n + 1) % STATES.length]!, 'm', n, '2026-06-01');
    state = replayed([JSON.parse(JSON.stringify({ author, time: time + n, type: 'request.file', body })) as AnyDomainEntry], state);
    if (shelving && n % FIGURES_PENDING_AT_MOST === 0) figuresOf(state);
    shelving?.observe(state);
  }
  figuresOf(state);
  const gained = (heapInUse(`${name}-after`) - before) / filings;
  // Held to the end, so that the collection above could not take the state.
  if (state.size !== size + WARM_UP + filings) throw new Error(`the state has ${state.size} entries, expected ${size + WARM_UP + filings}`);
  return gained;
}

const plain = perFiling('plain', undefined);
const shelf = bagNodeShelf();
const shelved = perFiling('shelved', new BagShelving(BAG_VISIT_EVERY, () => shelf));
const round = (bytes: number) => Math.round(bytes).toLocaleString('en-US');
console.log(
  `state memory: ${round(plain)} bytes of heap per filing, ${round(shelved)} with the figure index's cold nodes on a shelf (${(shelf.size / filings).toFixed(0)} bytes of file per filing); ` +
    `${filings.toLocaleString('en-US')} filings on a state of ${(size + WARM_UP).toLocaleString('en-US')} entries, records in the heap ` +
    '(the goal, ≤ 1 KB beyond an entry\'s own bytes, is judged per entry of the log in the growth table: a case there is 4.5 entries, one of them its filing)',
);
shelf.close();
