import type { UnixSeconds } from '../time.ts';
import { getRequest, type State } from '../request/state.ts';
import { bagCountBelow, bagEntriesFrom, type PersistentBag } from '../statistics/persistent-bag.ts';
import { obligationKeyParts, type IndexedObligation } from '../statistics/obligation-index.ts';
import { figuresOf } from '../statistics/figure-cell.ts';
import { byDue, compareUnits, indexableObligations, judged, type Deadline } from './deadlines.ts';

/*
 * The requests' open obligations as read from the figure index's bags (statistics/obligation-index.ts):
 * each element holds a due and a key, and the obligation is derived from its request at the reading.
 */

/**
 * The obligation the figure index of `state` holds under `key` (`obligationKey`): the one at its
 * place among its request's obligations, under the treaty the index was counted under. The index
 * and the records are of one state, so the request owes it; a key it does not owe is a broken
 * index, and throws.
 */
export function indexedObligation(state: State, key: string): IndexedObligation {
  const { request, kind, place } = obligationKeyParts(key);
  const treaty = figuresOf(state).treaty;
  const record = getRequest(state, request);
  const item = record && treaty ? indexableObligations(treaty, record)[place] : undefined;
  if (!item || item.kind !== kind) throw new Error(`the figure index holds the obligation ${JSON.stringify(key)}, which its request does not owe`);
  return item;
}

/** The elements of one of the index's bags of obligations from `rank` on, in its order, each with its obligation (`indexedObligation`). */
export function* obligationEntriesFrom(state: State, bag: PersistentBag, rank = 0): Generator<{ value: number; id: string; item: IndexedObligation }> {
  for (const { value, id } of bagEntriesFrom(bag, rank)) yield { value, id, item: indexedObligation(state, id) };
}

/**
 * Every open obligation of the requests at `now`, soonest first (`obligationKey` orders those
 * due at one instant). They are read from the index the state keeps (statistics/obligation-index.ts
 * `obligations` and `stopped`): the cost is the list itself, never every request ever filed.
 * views/deadline-pages.ts reads one page of it.
 */
export function deadlines(state: State, now: UnixSeconds): Deadline[] {
  if (!state.treaty) return [];
  const indexed = [...obligationEntriesFrom(state, figuresOf(state).obligations)].map((entry) => judged(entry.item, now));
  const stopped = stoppedObligations(state, now).map((entry) => entry.item);
  if (stopped.length === 0) return indexed;
  // Only a decision's clock stops, and a request has one: two from the two lists differ in due, request or kind.
  return [...indexed, ...stopped].sort(byDue);
}

/**
 * The obligations whose clock a question stops that came after `now`, each with its key, the
 * latest question last. At a reading before its question, such a clock still runs: it is due
 * at the question plus the time it had left then, whatever the reading, and out of the order of
 * time left that the others keep. Read from the end of the index's `stoppedSince`, so the cost
 * is how many there are: none at a reading after every question, the few dated ahead of a
 * reader's clock within the treaty's skew, all of them only at a reading before the history.
 */
export function questionsAfter(state: State, now: UnixSeconds): { key: string; item: IndexedObligation }[] {
  const since = figuresOf(state).stoppedSince;
  return [...obligationEntriesFrom(state, since, bagCountBelow(since, now, true))].map(({ id, item }) => ({ key: id, item }));
}

/** The obligations whose clock is stopped, judged at `now`, soonest first, each with its key: a walk of them all, for the whole list. */
export function stoppedObligations(state: State, now: UnixSeconds): { key: string; item: Deadline }[] {
  const out = [...obligationEntriesFrom(state, figuresOf(state).stopped)].map(({ id, item }) => ({ key: id, item: judged(item, now) }));
  return out.sort((a, b) => a.item.due - b.item.due || compareUnits(a.key, b.key));
}
