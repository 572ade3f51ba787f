import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';
import { judged, type Deadline } from '../deadlines/deadlines.ts';
import { indexedObligation } from '../deadlines/indexed-deadlines.ts';
import { bagEntriesFrom, bagHas, type PersistentBag } from '../statistics/persistent-bag.ts';
import { obligationKeyParts, type OwedBetween } from '../statistics/obligation-index.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import type { DeadlineFilter, OrderedObligation } from './deadline-pages.ts';

/*
 * The requests' obligations as a walk of the figure index's bags yields them (obligation-index.ts):
 * ordered by what the bag holds, their due and key, and derived from their records only when
 * read. A record is mostly on a shelf, a file (issue 14), so a page whose filter few pass judges
 * first what the key and the pairs' bags tell (`bagPrefilter`), and reads the records of those
 * that may pass only: a page that examined its whole scan budget read 2,000 records.
 */

/** An obligation of one of the index's bags, as it stands at `at`; `item` reads its record the first time it is read. */
export class BagObligation implements OrderedObligation {
  readonly trade = false;
  private judgedItem: Deadline | undefined;

  constructor(
    private readonly state: State,
    readonly key: string,
    /** What the bag holds it by: its due when fixed, its time left when stopped. */
    readonly value: number,
    readonly stopped: boolean,
    private readonly at: UnixSeconds,
  ) {}

  /**
   * A fixed obligation is due at its value; a stopped clock whose question came at or before
   * `at` is due at `at` plus its time left (deadlines.ts `judged`). Those of later questions
   * are never walked from a bag (`judgedFrom`'s `skip`).
   */
  get due(): UnixSeconds {
    return this.stopped ? this.at + this.value : this.value;
  }

  get item(): Deadline {
    this.judgedItem ??= judged(indexedObligation(this.state, this.key), this.at);
    return this.judgedItem;
  }
}

/** The bag's entries from `entries` on, passing over the stopped clocks of later questions. */
export function* passingOver<T extends { readonly id: string }>(entries: Iterable<T>, keys: ReadonlySet<string>): Generator<T> {
  for (const entry of entries) if (!keys.has(entry.id)) yield entry;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * A bag of the requests' obligations in `state`'s index from `rank` on, as they stand at `at`,
 * in its order: a fixed one keeps its due; a stopped clock of a question at or before `at` is
 * due at `at` plus its time left, the stopped bag's order. Those of later questions (`skip`)
 * are computed apart.
 */
export function* judgedFrom(state: State, bag: PersistentBag, stopped: boolean, at: UnixSeconds, rank = 0, skip = NONE): Generator<BagObligation> {
  for (const { value, id } of passingOver(bagEntriesFrom(bag, rank), skip)) yield new BagObligation(state, id, value, stopped, at);
}

/**
 * Whether an obligation of the bags may pass `filter`, and involve `involving` when given, from
 * what its key (its request and kind) and the pairs' bags (who owes it, to whom) tell, without
 * its record: false only when it cannot. The filter itself is then judged on the obligation.
 */
export function bagPrefilter(state: State, at: UnixSeconds, filter: DeadlineFilter, involving: string | undefined): (entry: BagObligation) => boolean {
  const pairs = Object.values(figuresOf(state).owedBetween);
  const inPairs = (chosen: readonly OwedBetween[], entry: BagObligation) => chosen.some((pair) => bagHas(entry.stopped ? pair.stopped : pair.fixed, entry.value, entry.key));
  const owing = filter.owedBy === undefined ? undefined : pairs.filter((pair) => pair.by === filter.owedBy);
  const sides = [filter.party, involving].flatMap((party) => (party === undefined ? [] : [pairs.filter((pair) => pair.by === party || pair.to === party)]));
  return (entry) => {
    if (filter.trade !== undefined) return false;
    const { request, kind } = obligationKeyParts(entry.key);
    if (filter.request !== undefined && request !== filter.request) return false;
    if (filter.kind !== undefined && kind !== filter.kind) return false;
    // A stopped clock is never overdue; a fixed one is once `at` is past its due (clocks.ts `isOverdue`).
    if (filter.overdue === true && (entry.stopped || !(at > entry.due))) return false;
    if (owing && !inPairs(owing, entry)) return false;
    return sides.every((side) => inPairs(side, entry));
  };
}
