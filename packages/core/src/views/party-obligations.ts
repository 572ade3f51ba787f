import type { State } from '../request/state.ts';
import type { UnixSeconds } from '../time.ts';
import { indexedObligation, questionsAfter } from '../deadlines/indexed-deadlines.ts';
import type { IndexedTradeDeadline } from '../deadlines/trade-deadlines.ts';
import { bagEntriesFrom, bagSize, emptyBag, type PersistentBag } from '../statistics/persistent-bag.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import { owedTo, type OwedBetween } from '../statistics/obligation-index.ts';
import { byListOrder, dutiesFrom, inListOrder, involves, judgedAt, type AnyDeadline, type OrderedObligation } from './deadline-pages.ts';
import { judgedFrom } from './bag-obligations.ts';

/*
 * One state's open obligations (issue 14, a state's inbox): what it owes, or what the other
 * parties owe it, read from the index's bags of each ordered pair of parties (obligation-index.ts
 * `owedBetween`), so that another state's backlog never stands between a state and its own
 * obligations, and the open emergencies read from their own small bag. The cost is what is read,
 * plus the few computed at the reading: the clocks of questions dated after it.
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

/** `party`'s bag of the open trades' obligations on its side. */
function sideDuties(state: State, party: string, side: Side): PersistentBag<IndexedTradeDeadline> {
  const index = figuresOf(state);
  return (side === 'owes' ? index.tradeDutiesBy : index.tradeDutiesTo).get(party) ?? emptyBag();
}

/** How many open obligations on `party`'s side the index counts: its pairs' of the requests, and its bag of the trades'. */
function sideCount(state: State, party: string, side: Side): number {
  let count = bagSize(sideDuties(state, party, side));
  for (const pair of pairsOn(state, party, side)) count += bagSize(pair.fixed) + bagSize(pair.stopped);
  return count;
}

/** How many open obligations concern `party`: those it owes, and those the other parties owe on its requests and trades. Whether one is overdue does not change the count. */
export function obligationCounts(state: State, party: string): { owes: number; owed: number } {
  return { owes: sideCount(state, party, 'owes'), owed: sideCount(state, party, 'owed') };
}

/**
 * `party`'s side of the open obligations at `at`, in the order of `deadlinesView` (by due,
 * requests before trades, then key): a merge of its pairs' bags, of its bag of the open
 * trades' obligations, and of the clocks of questions dated after `at`. Read lazily: taking
 * the first n costs O(n log n) plus the computed few.
 */
export function* sideObligations(state: State, at: UnixSeconds, party: string, side: Side): Generator<AnyDeadline> {
  const pairs = pairsOn(state, party, side);
  const later = questionsAfter(state, at).filter(({ item }) => (side === 'owes' ? item.party === party : owedTo(item) === party));
  const laterKeys = new Set(later.map(({ key }) => key));
  const computed = later.map(({ key, item }) => judgedAt(key, item, at)).sort(byListOrder);
  const streams = [computed[Symbol.iterator](), dutiesFrom(sideDuties(state, party, side), at), ...pairs.flatMap((pair) => [judgedFrom(state, pair.fixed, false, at), judgedFrom(state, pair.stopped, true, at, 0, laterKeys)])];
  for (const { item } of inListOrder(streams)) yield item;
}

/**
 * The open obligations of emergencies that run in hours (obligation-index.ts `emergencies`) on
 * `party`'s side at `at`, soonest first: all of them, however long the rest of the list, so that
 * an inbox lists every one first (issue 17: they reach the 24/7 contact point). They are few: an
 * emergency's duties end in hours, and only an unanswered one stays.
 */
export function sideEmergencies(state: State, at: UnixSeconds, party: string, side: Side): AnyDeadline[] {
  const out: OrderedObligation[] = [];
  for (const { id } of bagEntriesFrom(figuresOf(state).emergencies)) {
    const now = judgedAt(id, indexedObligation(state, id), at);
    if (onSide(state, now.item, party, side)) out.push(now);
  }
  return out.sort(byListOrder).map(({ item }) => item);
}
