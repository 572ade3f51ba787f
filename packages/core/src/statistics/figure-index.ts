import type { Treaty } from '../treaty/schema.ts';
import { emptyMap, mapChanges, mapDelete, mapSet, mapValues, type PersistentMap } from '../request/persistent-map.ts';
import { ENDED, type RequestRecord, type State } from '../request/state.ts';
import { handedOverAt, type TradeLeg, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { EMPTY_BAG, bagAdd, bagRemove, type PersistentBag } from './persistent-bag.ts';
import { addCounts, countRequest, emptyTally, type FigureCounts } from './request-figures.ts';

/**
 * The statistics and the open obligations, kept as each entry applies (issue 14, "incremental
 * views"), so that reading them costs the open cases, never the history.
 *
 * A request's figures depend on the instant they are read at only while it is open: pending,
 * unacknowledged, or owing a prosecution report. Once it has ended (and was acknowledged) its
 * counts are fixed, so they are added once into its pair's running sums and never read again;
 * an open one is kept in `live` and counted afresh at each reading (statistics.ts). A trade's
 * breach counts from the instant it was called off, so those instants are kept sorted and
 * counted up to the reading's instant.
 *
 * Every update is O(what the entry changed): the changed requests and trades are found by
 * comparing the two versions of their persistent maps (persistent-map.ts `mapChanges`). Only a
 * new treaty in force rebuilds the index, since its periods change every request's figures.
 */
export interface PairIndex {
  readonly requesting: string;
  readonly requested: string;
  /** The sums of the fixed figures of the pair's ended requests. */
  readonly counts: FigureCounts;
  /** Days from filing to decision of those requests, one element per request. */
  readonly decided: PersistentBag;
  /** When each trade with a breach against this pair (see statistics.ts) was called off, one element per trade. */
  readonly breaches: PersistentBag;
  readonly receiptsUnconfirmed: PersistentBag;
}

export interface FigureIndex {
  /** The treaty the sums were counted under: a new one in force means a rebuild. */
  readonly treaty: Treaty | undefined;
  /** By `requesting>requested`. */
  readonly pairs: Readonly<Record<string, PairIndex>>;
  /** Requests whose figures depend on the instant they are read at. */
  readonly live: PersistentMap<true>;
  /** Requests that may owe an act (deadlines/deadlines.ts): open ones, and ended ones whose data is not yet erased by both parties. */
  readonly owing: PersistentMap<true>;
}

export function emptyFigureIndex(treaty?: Treaty): FigureIndex {
  return { treaty, pairs: {}, live: emptyMap(), owing: emptyMap() };
}

export function pairKey(requesting: string, requested: string): string {
  return `${requesting}>${requested}`;
}

/**
 * Whether a request's figures (request-figures.ts `countRequest`) may change with the instant
 * alone. Deliberately wide, since a request wrongly left out would be counted stale: every
 * request not ended, and every request for a person never acknowledged and not withdrawn (it
 * counts as unacknowledged past the deadline from the day the deadline passes). The property test (core/test/incremental-views)
 * checks that the rest count the same at every instant.
 */
export function isLive(record: RequestRecord): boolean {
  if (!ENDED.has(record.status)) return true;
  const unacknowledgedCounts = record.view.kind === 'extradition' && record.status !== 'withdrawn';
  return unacknowledgedCounts && record.acknowledgedAt === undefined;
}

/** Whether a request may owe an act: open, or ended and not yet erased by both parties (erasure/retention.ts). A superseded request is erased with the one that superseded it. */
export function mayOwe(record: RequestRecord): boolean {
  if (!ENDED.has(record.status)) return true;
  return record.status !== 'superseded' && (record.erasedBy?.length ?? 0) < 2;
}

function emptyPair(requesting: string, requested: string): PairIndex {
  return { requesting, requested, counts: emptyTally().counts, decided: EMPTY_BAG, breaches: EMPTY_BAG, receiptsUnconfirmed: EMPTY_BAG };
}

function editPair(index: FigureIndex, requesting: string, requested: string, edit: (pair: PairIndex) => PairIndex): FigureIndex {
  const key = pairKey(requesting, requested);
  return { ...index, pairs: { ...index.pairs, [key]: edit(index.pairs[key] ?? emptyPair(requesting, requested)) } };
}

/** Adds (sign 1) or takes out (sign −1) the fixed figures of an ended request. */
function countFixed(index: FigureIndex, treaty: Treaty, record: RequestRecord, sign: 1 | -1): FigureIndex {
  const tally = emptyTally();
  // The instant is never read for a request that is not live (isLive above).
  countRequest(treaty, record, 0, tally);
  return editPair(index, record.view.requesting, record.view.requested, (pair) => {
    let decided = pair.decided;
    for (const days of tally.days) decided = sign === 1 ? bagAdd(decided, days, record.id) : bagRemove(decided, days, record.id);
    return { ...pair, counts: addCounts(pair.counts, tally.counts, sign), decided };
  });
}

function moveRequest(index: FigureIndex, treaty: Treaty, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const wasLive = before !== undefined && isLive(before);
  const isLiveNow = after !== undefined && isLive(after);
  let next = index;
  if (before && !wasLive) next = countFixed(next, treaty, before, -1);
  if (after && !isLiveNow) next = countFixed(next, treaty, after, 1);
  // Every pair with a request is listed, as the statistics list it even while all its requests are open.
  else if (after && next.pairs[pairKey(after.view.requesting, after.view.requested)] === undefined) next = editPair(next, after.view.requesting, after.view.requested, (pair) => pair);
  const id = (after ?? before)!.id;
  // Most entries move an open request along without changing its membership: nothing to copy then.
  if (wasLive !== isLiveNow) next = { ...next, live: isLiveNow ? mapSet(next.live, id, true as const) : mapDelete(next.live, id) };
  const owed = before !== undefined && mayOwe(before);
  const owesNow = after !== undefined && mayOwe(after);
  if (owed !== owesNow) next = { ...next, owing: owesNow ? mapSet(next.owing, id, true as const) : mapDelete(next.owing, id) };
  return next;
}

/** The (receiver, giver) pairs a trade counts against (statistics.ts): once per trade and pair. */
export function tradePairs(trade: TradeRecord): { breaches: TradeLeg[]; receiptsUnconfirmed: TradeLeg[] } {
  const distinct = (legs: readonly TradeLeg[]) => [...new Map(legs.map((leg) => [pairKey(leg.to, leg.from), leg])).values()];
  if (trade.abortedAt === undefined) return { breaches: [], receiptsUnconfirmed: [] };
  if (trade.status === 'aborted') return { breaches: distinct(trade.legs.filter((leg) => handedOverAt(leg) === undefined && trade.breaches.includes(leg.from))), receiptsUnconfirmed: [] };
  if (trade.status === 'receipt-unconfirmed') return { breaches: [], receiptsUnconfirmed: distinct(trade.legs.filter((leg) => leg.receivedAt === undefined)) };
  return { breaches: [], receiptsUnconfirmed: [] };
}

function countTrade(index: FigureIndex, trade: TradeRecord, sign: 1 | -1): FigureIndex {
  const at = trade.abortedAt;
  if (at === undefined) return index;
  const { breaches, receiptsUnconfirmed } = tradePairs(trade);
  const edit = (bag: PersistentBag) => (sign === 1 ? bagAdd(bag, at, trade.id) : bagRemove(bag, at, trade.id));
  let next = index;
  for (const leg of breaches) next = editPair(next, leg.to, leg.from, (pair) => ({ ...pair, breaches: edit(pair.breaches) }));
  for (const leg of receiptsUnconfirmed) next = editPair(next, leg.to, leg.from, (pair) => ({ ...pair, receiptsUnconfirmed: edit(pair.receiptsUnconfirmed) }));
  return next;
}

/** The index of `after`, from that of `before`, a state it was applied from. */
export function nextFigureIndex(before: State, after: State): FigureIndex {
  const treaty = after.treaty;
  if (!treaty) return emptyFigureIndex();
  if (treaty !== before.figures.treaty) return buildFigureIndex(after);
  let index = before.figures;
  if (after.requests !== before.requests) {
    for (const change of mapChanges(before.requests, after.requests)) index = moveRequest(index, treaty, change.before, change.after);
  }
  if (after.trades.byId !== before.trades.byId) {
    for (const change of mapChanges(before.trades.byId, after.trades.byId)) {
      if (change.before) index = countTrade(index, change.before, -1);
      if (change.after) index = countTrade(index, change.after, 1);
    }
  }
  return index;
}

/** The index counted from scratch: for a new treaty in force, and for a state decoded from a snapshot. */
export function buildFigureIndex(state: Omit<State, 'figures'>): FigureIndex {
  const treaty = state.treaty;
  if (!treaty) return emptyFigureIndex();
  let index = emptyFigureIndex(treaty);
  for (const record of mapValues(state.requests)) index = moveRequest(index, treaty, undefined, record);
  for (const trade of mapValues(state.trades.byId)) index = countTrade(index, trade, 1);
  return index;
}
