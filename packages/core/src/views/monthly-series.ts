import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';
import { bagAt, bagCountBelow, bagSize, EMPTY_BAG, type PersistentBag } from '../statistics/persistent-bag.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import { pairKey, type FigureIndex } from '../statistics/figure-index.ts';
import { compareUnits } from '../deadlines/deadlines.ts';

/**
 * A state's reciprocity with each counterpart, month by month (issue 5, the console's
 * dashboard): extraditions filed each way, and persons handed over each way. Counted from the
 * figure index's bags of filing and handover instants per pair (figure-index.ts `PairIndex`),
 * two lookups per month and bag, so that the dashboard costs the gateway what it shows, where
 * it read every request of the state a page at a time, again at each growth of the log (issue
 * 14: 762 pages, 2.3 s, at 10^6 entries).
 */

/** Months shown at most: fifty years, the latest. */
export const MONTHS_AT_MOST = 600;

export interface PairMonths {
  readonly counterpart: string;
  /**
   * Every month, as YYYY-MM in UTC, from the first extradition filed between the two to the
   * reading's month (or a later filing or handover), so that gaps show as zero; the latest
   * MONTHS_AT_MOST of them. Only the reading's month for a counterpart with requests for data
   * or provisional arrests alone.
   */
  readonly months: readonly string[];
  /** Extradition requests filed in each month by the counterpart to the party (its inbox), and by the party to the counterpart. */
  readonly filedIncoming: readonly number[];
  readonly filedOutgoing: readonly number[];
  /** Persons the party handed over to the counterpart in each month, on the counterpart's requests, and persons it received on its own. */
  readonly surrendered: readonly number[];
  readonly received: readonly number[];
  /** Handed over before the first month shown, when more than MONTHS_AT_MOST months have passed: where a running balance starts. */
  readonly before: { readonly surrendered: number; readonly received: number };
}

/** The first instant of the month `offset` months after the one `at` is in, in UTC. */
function monthStart(at: UnixSeconds, offset: number): UnixSeconds {
  const date = new Date(at * 1000);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1) / 1000;
}

function label(start: UnixSeconds): string {
  return new Date(start * 1000).toISOString().slice(0, 7);
}

/** How many months from the one `from` is in to the one `to` is in (0 for the same month). */
function monthsBetween(from: UnixSeconds, to: UnixSeconds): number {
  const a = new Date(from * 1000);
  const b = new Date(to * 1000);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
}

/** The counts of `bag`'s instants in each month whose starts are `edges` (the last edge ends the last month). */
function perMonth(bag: PersistentBag, edges: readonly UnixSeconds[]): number[] {
  const below = edges.map((edge) => bagCountBelow(bag, edge));
  return below.slice(1).map((count, month) => count - below[month]!);
}

/** The parties with whom `party` has a request either way, sorted in UTF-16 code units. */
function counterpartsOf(index: FigureIndex, party: string): string[] {
  const out = new Set<string>();
  for (const pair of Object.values(index.pairs)) {
    if (pair.requesting === party && pair.requested !== party) out.add(pair.requested);
    if (pair.requested === party && pair.requesting !== party) out.add(pair.requesting);
  }
  return [...out].sort(compareUnits);
}

/** `party`'s months with each counterpart at `at`, counterparts in order. */
export function monthlySeries(state: State, at: UnixSeconds, party: string): PairMonths[] {
  const index = figuresOf(state);
  return counterpartsOf(index, party).map((counterpart) => {
    const outgoing = index.pairs[pairKey(party, counterpart)];
    const incoming = index.pairs[pairKey(counterpart, party)];
    const bags = [incoming?.filings, outgoing?.filings, incoming?.handovers, outgoing?.handovers].map((bag) => bag ?? EMPTY_BAG);
    const firsts = bags.map((bag) => bagAt(bag, 0)).filter((value): value is number => value !== undefined);
    const lasts = bags.map((bag) => bagAt(bag, bagSize(bag) - 1)).filter((value): value is number => value !== undefined);
    const first = Math.min(at, ...firsts);
    const last = Math.max(at, ...lasts);
    const count = Math.min(monthsBetween(first, last) + 1, MONTHS_AT_MOST);
    const edges = Array.from({ length: count + 1 }, (_, month) => monthStart(last, month - count + 1));
    const [filedIncoming, filedOutgoing, surrendered, received] = bags.map((bag) => perMonth(bag, edges)) as [number[], number[], number[], number[]];
    const before = { surrendered: bagCountBelow(bags[2]!, edges[0]!), received: bagCountBelow(bags[3]!, edges[0]!) };
    return { counterpart, months: edges.slice(0, -1).map(label), filedIncoming, filedOutgoing, surrendered, received, before };
  });
}
