import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';
import { compareUnits, judged, questionsAfter } from '../deadlines/deadlines.ts';
import { tradeDeadlines } from '../deadlines/trade-deadlines.ts';
import { bagEntriesFrom, bagSize, type PersistentBag } from '../statistics/persistent-bag.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import { owedTo, type IndexedObligation, type OwedBetween } from '../statistics/obligation-index.ts';
import { involves, passingOver, type AnyDeadline } from './deadline-pages.ts';

const NONE: ReadonlySet<string> = new Set();

/*
 * One state's open obligations (issue 14, a state's inbox): what it owes, or what the other
 * parties owe it, read from the index's bags of each ordered pair of parties (obligation-index.ts
 * `owedBetween`), so that another state's backlog never stands between a state and its own
 * obligations, and the open emergencies read from their own small bag. The cost is what is read,
 * plus the few computed at the reading (the open trades, the clocks of questions dated after it).
 */

/** What a state owes, or what it is owed. */
export type Side = 'owes' | 'owed';

/** Whether the obligation is on `party`'s side: owed by it, or owed to it by another party of its request or trade. */
function onSide(state: State, item: AnyDeadline, party: string, side: Side): boolean {
  return side === 'owes' ? item.party === party : item.party !== party && involves(state, item, party);
}

function pairsOn(state: State, party: string, side: Side): OwedBetween[] {
  return Object.values(figuresOf(state).owedBetween).filter((pair) => (side === 'owes' ? pair.by === party : pair.to === party));
}

/** How many of the requests' open obligations on `party`'s side the index counts, and of `trades` (the open trades' at the reading). */
function sideCount(state: State, trades: readonly AnyDeadline[], party: string, side: Side): number {
  let count = 0;
  for (const pair of pairsOn(state, party, side)) count += bagSize(pair.fixed) + bagSize(pair.stopped);
  for (const item of trades) if (onSide(state, item, party, side)) count += 1;
  return count;
}

/** How many open obligations at `at` concern `party`: those it owes, and those the other parties owe on its requests and trades. */
export function obligationCounts(state: State, at: UnixSeconds, party: string): { owes: number; owed: number } {
  const trades = tradeDeadlines(state, at);
  return { owes: sideCount(state, trades, party, 'owes'), owed: sideCount(state, trades, party, 'owed') };
}

/** An obligation with what orders it in `deadlinesView`: due, requests before trades, then key. */
interface Ordered {
  readonly due: UnixSeconds;
  readonly trade: boolean;
  readonly key: string;
  readonly item: AnyDeadline;
}

function order(a: Ordered, b: Ordered): number {
  return a.due - b.due || Number(a.trade) - Number(b.trade) || compareUnits(a.key, b.key);
}

/**
 * A pair's bag of obligations as they stand at `at`, in its order: a fixed one keeps its due;
 * a stopped clock of a question at or before `at` is due at `at` plus its time left, the
 * stopped bag's order. Those of later questions (`skip`) are computed apart.
 */
function* judgedFrom(bag: PersistentBag<IndexedObligation>, at: UnixSeconds, skip: ReadonlySet<string>): Generator<Ordered> {
  for (const { id, item } of passingOver(bagEntriesFrom(bag), skip)) yield judgedAt(id, item, at);
}

/** A request's obligation under `key` as it stands at `at` (deadlines.ts `judged`), ordered by that due. */
function judgedAt(key: string, item: IndexedObligation, at: UnixSeconds): Ordered {
  const now = judged(item, at);
  return { due: now.due, trade: false, key, item: now };
}

/**
 * `party`'s side of the open obligations at `at`, in the order of `deadlinesView` (by due,
 * requests before trades, then key): a merge of its pairs' bags, of the clocks of questions
 * dated after `at`, and of the open trades. Read lazily: taking the first n costs O(n log n)
 * plus the computed few.
 */
export function* sideObligations(state: State, at: UnixSeconds, party: string, side: Side): Generator<AnyDeadline> {
  const pairs = pairsOn(state, party, side);
  const later = questionsAfter(figuresOf(state), at).filter(({ item }) => (side === 'owes' ? item.party === party : owedTo(item) === party));
  const laterKeys = new Set(later.map(({ key }) => key));
  const computed: Ordered[] = [
    ...later.map(({ key, item }) => judgedAt(key, item, at)),
    ...tradeDeadlines(state, at).map((item, place) => ({ due: item.due, trade: true, key: String(place).padStart(8, '0'), item })).filter(({ item }) => onSide(state, item, party, side)),
  ].sort(order);
  const streams: Iterator<Ordered>[] = [computed[Symbol.iterator](), ...pairs.flatMap((pair) => [judgedFrom(pair.fixed, at, NONE), judgedFrom(pair.stopped, at, laterKeys)])];
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let least = -1;
    for (let place = 0; place < heads.length; place++) {
      const head = heads[place]!;
      if (!head.done && (least < 0 || order(head.value, (heads[least] as IteratorYieldResult<Ordered>).value) < 0)) least = place;
    }
    if (least < 0) return;
    yield (heads[least] as IteratorYieldResult<Ordered>).value.item;
    heads[least] = streams[least]!.next();
  }
}

/**
 * The open obligations of emergencies that run in hours (obligation-index.ts `emergencies`) on
 * `party`'s side at `at`, soonest first: all of them, however long the rest of the list, so that
 * an inbox lists every one first (issue 17: they reach the 24/7 contact point). They are few: an
 * emergency's duties end in hours, and only an unanswered one stays.
 */
export function sideEmergencies(state: State, at: UnixSeconds, party: string, side: Side): AnyDeadline[] {
  const out: Ordered[] = [];
  for (const { id, item } of bagEntriesFrom(figuresOf(state).emergencies)) {
    const now = judged(item, at);
    if (onSide(state, now, party, side)) out.push({ due: now.due, trade: false, key: id, item: now });
  }
  return out.sort(order).map(({ item }) => item);
}
