import { emptyTally, type FigureCounts } from './request-figures.ts';

/**
 * Sums of figure counts (request-figures.ts `FigureCounts`), nested ones included: what the
 * figure index adds as entries apply and as it is counted from scratch (figure-index.ts), and
 * what a reading adds of the requests it counts itself. A count by ground or by kind that
 * falls to zero is dropped, as a tally counted afresh would not have it; the fixed fields
 * (those of `emptyTally`) stay, zeros included.
 */
interface Counts {
  [key: string]: unknown;
}

/** The fields every tally has, zeros included (`emptyTally`): read, never written. */
const FIXED_COUNTS = emptyTally().counts as unknown as Counts;

declare const countsChangeBrand: unique symbol;
/** What one request's counts changed by: only the counts that changed, each by its difference (`countsChange`). */
export type CountsChange = Counts & { readonly [countsChangeBrand]: true };

/** `into` with every count of `change` added: a request's counts, or what they changed by. */
export function addCounts(into: FigureCounts, change: FigureCounts | CountsChange): FigureCounts {
  return addNested(into as unknown as Counts, change as unknown as Counts, FIXED_COUNTS) as unknown as FigureCounts;
}

/**
 * What turns `before`'s counts into `after`'s (undefined for a request not counted): only the
 * counts that differ, so that adding it to a sum (`addCounts`) copies the paths of those
 * alone. Undefined when nothing differs, which is most entries: an entry that moves a request
 * along changes one or two of its counts, or none.
 */
export function countsChange(before: FigureCounts | undefined, after: FigureCounts | undefined): CountsChange | undefined {
  return nestedChange(before as unknown as Counts | undefined, after as unknown as Counts | undefined) as CountsChange | undefined;
}

function nestedChange(before: Counts | undefined, after: Counts | undefined): Counts | undefined {
  let change: Counts | undefined;
  for (const key in after) change = noteChange(change, key, before?.[key], after[key]);
  for (const key in before) if (after === undefined || !(key in after)) change = noteChange(change, key, before[key], undefined);
  return change;
}

/** `change` with the difference at `key` between `was` and `is` (counts or nested counts) noted, if there is one. */
function noteChange(change: Counts | undefined, key: string, was: unknown, is: unknown): Counts | undefined {
  let difference: unknown;
  if (typeof was === 'number' || typeof is === 'number') {
    const by = ((is as number | undefined) ?? 0) - ((was as number | undefined) ?? 0);
    if (by !== 0) difference = by;
  } else if ((isCounts(was) || isCounts(is)) && was !== is) difference = nestedChange(was as Counts | undefined, is as Counts | undefined);
  if (difference === undefined) return change;
  const out = change ?? {};
  out[key] = difference;
  return out;
}

/** Nested counts: an object, not an array (the day buckets) nor null (a median). */
function isCounts(value: unknown): value is Counts {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Adds every count of `change` into `into` itself, nested figures included: for counts being
 * summed from scratch (figure-index.ts `buildFigureIndex`), which hold objects of their own.
 * At a restart from a snapshot of 10^6 entries, a fresh copy per request added took about
 * 0.7 s of each rebuild of the index (2.1 s over three rebuilds, in a profile).
 */
export function addCountsInPlace(into: FigureCounts, change: FigureCounts): void {
  addNestedInPlace(into as unknown as Counts, change as unknown as Counts);
}

function addNestedInPlace(into: Counts, change: Counts): void {
  for (const key in change) {
    const value = change[key];
    if (typeof value === 'number') into[key] = ((into[key] as number | undefined) ?? 0) + value;
    else if (isCounts(value)) {
      let nested = into[key] as Counts | undefined;
      if (nested === undefined) into[key] = nested = {};
      addNestedInPlace(nested, value);
    }
  }
}

function addNested(into: Counts, change: Counts, fixed: Counts | undefined): Counts {
  const out: Counts = { ...into };
  for (const key in change) {
    const value = change[key];
    const kept = fixed !== undefined && Object.hasOwn(fixed, key);
    if (typeof value === 'number') {
      const sum = ((out[key] as number | undefined) ?? 0) + value;
      if (sum === 0 && !kept) delete out[key];
      else out[key] = sum;
    } else if (isCounts(value)) {
      const nestedFixed = kept ? (fixed[key] as Counts) : undefined;
      out[key] = addNested((out[key] as Counts | undefined) ?? {}, value, nestedFixed);
    }
  }
  return out;
}
