import type { Treaty } from '../treaty/schema.ts';
import { emptyMap, mapChanges, mapDelete, mapFromEntries, mapGet, mapSet, mapValues, type PersistentMap } from '../request/persistent-map.ts';
import { ENDED, type RequestRecord, type State } from '../request/state.ts';
import { handedOverAt, type TradeLeg, type TradeRecord } from '../trade/lifecycle/trade-state.ts';
import { getIncident, groupKey, linksOf, type IncidentBook } from '../incidents/incident-book.ts';
import { EMPTY_BAG, bagAdd, bagFromElements, bagRemove, emptyBag, type BagElement, type PersistentBag } from './persistent-bag.ts';
import { indexableObligations, type Deadline } from '../deadlines/deadlines.ts';
import { addCounts, countRequest, emptyTally, finishFigures, type FigureCounts, type FigureTally, type RequestFigures } from './request-figures.ts';

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
/** The fixed figures of some ended requests, summed. */
export interface FigureSums {
  readonly counts: FigureCounts;
  /** Days from filing to decision of those requests, one element per request. */
  readonly decided: PersistentBag;
}

export interface PairIndex extends FigureSums {
  readonly requesting: string;
  readonly requested: string;
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
  /**
   * The open obligations of the requests (deadlines/deadlines.ts), soonest first, as they stand
   * whatever the instant: due, then request, kind and place (`obligationKey`). Whether one is
   * overdue is judged at the reading.
   */
  readonly obligations: PersistentBag<IndexedObligation>;
  /**
   * Requests with an open request for information: their decision clock may be stopped, and
   * then its due instant moves with time, so their obligations are computed at each reading.
   */
  readonly paused: PersistentMap<true>;
  /**
   * The same sums per incident and per group (statistics/incident-statistics.ts, issue 17), by
   * `scopeKey`: a request's incidents are named at its filing and an incident's group at its
   * registration, so the scopes a request counts in never change.
   */
  readonly scopes: PersistentMap<ScopeIndex>;
}

/** The sums of an incident's or a group's ended requests, in all and per ordered pair. */
export interface ScopeIndex {
  readonly all: FigureSums;
  readonly pairs: Readonly<Record<string, FigureSums>>;
}

export function emptyFigureIndex(treaty?: Treaty): FigureIndex {
  return { treaty, pairs: {}, live: emptyMap(), obligations: emptyBag(), paused: emptyMap(), scopes: emptyMap() };
}

/** An obligation as the index keeps it: without `overdue`, which depends on the instant it is read at. */
export type IndexedObligation = Omit<Deadline, 'overdue'>;

/**
 * The order of obligations with one due instant: by request, then kind, then their order in
 * `openObligations` (the erasure of each party), in UTF-16 code units rather than a locale's
 * collation, so that every party sorts alike whatever its runtime.
 */
export function obligationKey(request: string, kind: string, place: number): string {
  return `${request}\u0000${kind}\u0000${String(place).padStart(4, '0')}`;
}

/** Whether a request's obligations depend on the instant they are read at (`paused` above). */
function clockMayStop(record: RequestRecord): boolean {
  return record.status === 'info-requested';
}

/** A request's obligations as the index keeps them (`obligations`), each under its key; none while its clock may stop (`paused`). */
function indexedObligations(treaty: Treaty, record: RequestRecord | undefined): Map<string, IndexedObligation> {
  const out = new Map<string, IndexedObligation>();
  if (!record || !mayOwe(record) || clockMayStop(record)) return out;
  indexableObligations(treaty, record).forEach((item, place) => out.set(obligationKey(item.request, item.kind, place), item));
  return out;
}

function sameObligation(a: IndexedObligation, b: IndexedObligation): boolean {
  return a.due === b.due && a.party === b.party && a.since === b.since && a.article === b.article && a.pausedSince === b.pausedSince && a.requesting === b.requesting && a.requested === b.requested;
}

const isPaused = (record: RequestRecord | undefined): boolean => record !== undefined && mayOwe(record) && clockMayStop(record);

/**
 * Moves a request's obligations from what `before` owed to what `after` owes. Only those that
 * changed are taken out and put in: most entries leave some of a request's obligations as
 * they were (a decision still due after an acknowledgement), and each change of the bag
 * copies a path of it (issue 14: the index's share of `apply`).
 */
function moveObligations(index: FigureIndex, treaty: Treaty, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const id = (after ?? before)!.id;
  const wasPaused = isPaused(before);
  const pausedNow = isPaused(after);
  const paused = wasPaused === pausedNow ? index.paused : pausedNow ? mapSet(index.paused, id, true as const) : mapDelete(index.paused, id);
  const owed = indexedObligations(treaty, before);
  const owing = indexedObligations(treaty, after);
  let obligations = index.obligations;
  for (const [key, item] of owed) {
    const kept = owing.get(key);
    if (kept === undefined || !sameObligation(item, kept)) obligations = bagRemove(obligations, item.due, key);
    else owing.delete(key);
  }
  for (const [key, item] of owing) obligations = bagAdd(obligations, item.due, key, item);
  return paused === index.paused && obligations === index.obligations ? index : { ...index, paused, obligations };
}

export function incidentScope(incident: string): string {
  return `incident:${incident}`;
}

export function groupScope(name: string): string {
  return `group:${groupKey(name)}`;
}

/** The incidents a request names and their groups, each once: where its figures are counted besides its pair. */
export function scopesOf(book: IncidentBook, request: string): string[] {
  const incidents = linksOf(book, request).incidents;
  if (incidents.length === 0) return [];
  const groups = incidents.map((id) => getIncident(book, id)?.group).filter((group): group is string => group !== undefined);
  return [...new Set([...incidents.map(incidentScope), ...groups.map(groupScope)])];
}

const NO_SUMS: FigureSums = { counts: emptyTally().counts, decided: EMPTY_BAG };

function addSums(sums: FigureSums, tally: FigureTally, id: string, sign: 1 | -1): FigureSums {
  let decided = sums.decided;
  for (const days of tally.days) decided = sign === 1 ? bagAdd(decided, days, id) : bagRemove(decided, days, id);
  return { counts: addCounts(sums.counts, tally.counts, sign), decided };
}

/**
 * The figures of ended requests' sums and open requests counted at the reading's instant
 * (`open`, counted by request-figures.ts `countRequest`): the open ones' decision days join
 * the bag for the medians, under ids no request has.
 */
export function finishSums(sums: FigureSums | undefined, open: FigureTally): RequestFigures {
  let decided = sums?.decided ?? EMPTY_BAG;
  open.days.forEach((days, position) => {
    decided = bagAdd(decided, days, `\u0000open:${position}`);
  });
  return finishFigures(sums ? addCounts(sums.counts, open.counts, 1) : open.counts, decided, open.waiting);
}

/** Open requests counted at `now`, one tally per ordered pair: what the readers add to the index's sums. */
export function tallyByPair(treaty: Treaty, records: Iterable<RequestRecord>, now: number): Map<string, FigureTally> {
  const tallies = new Map<string, FigureTally>();
  for (const record of records) {
    const key = pairKey(record.view.requesting, record.view.requested);
    let tally = tallies.get(key);
    if (!tally) tallies.set(key, (tally = emptyTally()));
    countRequest(treaty, record, now, tally);
  }
  return tallies;
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

/** Whether a request may owe an act: open, or ended and not yet erased by both parties (erasure/retention.ts). A superseded request is erased with the one that superseded it. A cheap test first: `openObligations` is the rule. */
export function mayOwe(record: RequestRecord): boolean {
  if (!ENDED.has(record.status)) return true;
  return record.status !== 'superseded' && (record.erasedBy?.length ?? 0) < 2;
}

function emptyPair(requesting: string, requested: string): PairIndex {
  return { requesting, requested, ...NO_SUMS, breaches: EMPTY_BAG, receiptsUnconfirmed: EMPTY_BAG };
}

function editPair(index: FigureIndex, requesting: string, requested: string, edit: (pair: PairIndex) => PairIndex): FigureIndex {
  const key = pairKey(requesting, requested);
  return { ...index, pairs: { ...index.pairs, [key]: edit(index.pairs[key] ?? emptyPair(requesting, requested)) } };
}

/** Adds (sign 1) or takes out (sign −1) the fixed figures of an ended request, in its pair and its scopes. */
function countFixed(index: FigureIndex, treaty: Treaty, book: IncidentBook, record: RequestRecord, sign: 1 | -1): FigureIndex {
  const tally = emptyTally();
  // The instant is never read for a request that is not live (isLive above).
  countRequest(treaty, record, 0, tally);
  const { requesting, requested } = record.view;
  const next = editPair(index, requesting, requested, (pair) => ({ ...pair, ...addSums(pair, tally, record.id, sign) }));
  let scopes = next.scopes;
  for (const scope of scopesOf(book, record.id)) {
    const kept = mapGet(scopes, scope) ?? { all: NO_SUMS, pairs: {} };
    const key = pairKey(requesting, requested);
    scopes = mapSet(scopes, scope, { all: addSums(kept.all, tally, record.id, sign), pairs: { ...kept.pairs, [key]: addSums(kept.pairs[key] ?? NO_SUMS, tally, record.id, sign) } });
  }
  return scopes === next.scopes ? next : { ...next, scopes };
}

function moveRequest(index: FigureIndex, treaty: Treaty, book: IncidentBook, before: RequestRecord | undefined, after: RequestRecord | undefined): FigureIndex {
  const wasLive = before !== undefined && isLive(before);
  const isLiveNow = after !== undefined && isLive(after);
  let next = index;
  if (before && !wasLive) next = countFixed(next, treaty, book, before, -1);
  if (after && !isLiveNow) next = countFixed(next, treaty, book, after, 1);
  // Every pair with a request is listed, as the statistics list it even while all its requests are open.
  else if (after && next.pairs[pairKey(after.view.requesting, after.view.requested)] === undefined) next = editPair(next, after.view.requesting, after.view.requested, (pair) => pair);
  const id = (after ?? before)!.id;
  // Most entries move an open request along without changing its membership: nothing to copy then.
  if (wasLive !== isLiveNow) next = { ...next, live: isLiveNow ? mapSet(next.live, id, true as const) : mapDelete(next.live, id) };
  return moveObligations(next, treaty, before, after);
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
    for (const change of mapChanges(before.requests, after.requests)) index = moveRequest(index, treaty, after.incidents, change.before, change.after);
  }
  if (after.trades.byId !== before.trades.byId) {
    for (const change of mapChanges(before.trades.byId, after.trades.byId)) {
      if (change.before) index = countTrade(index, change.before, -1);
      if (change.after) index = countTrade(index, change.after, 1);
    }
  }
  return index;
}

/** Sums being counted from scratch (`buildFigureIndex`): the counts so far, and the decision days as elements of the bag to build. */
interface SumsTally {
  counts: FigureCounts;
  readonly decided: BagElement[];
}

interface PairTally {
  readonly requesting: string;
  readonly requested: string;
  readonly sums: SumsTally;
  readonly breaches: BagElement[];
  readonly receiptsUnconfirmed: BagElement[];
}

const newSums = (): SumsTally => ({ counts: NO_SUMS.counts, decided: [] });

function tallySums(sums: SumsTally, tally: FigureTally, id: string): void {
  sums.counts = addCounts(sums.counts, tally.counts, 1);
  for (const days of tally.days) sums.decided.push({ value: days, id });
}

const finishedSums = (sums: SumsTally): FigureSums => ({ counts: sums.counts, decided: bagFromElements(sums.decided) });

/**
 * The index counted from scratch: for a new treaty in force, and for a state decoded from a
 * snapshot. It is what moving every request and trade into an empty index gives (`moveRequest`,
 * `countTrade`, and the law of core/test/incremental-views.test.ts), counted into plain arrays
 * and maps first and made persistent once at the end: at a restart from a snapshot of 10^6
 * entries, a persistent copy per record cost seconds, mostly in the garbage collector. Pairs
 * and scopes are listed in the order the records first name them, as moving them would.
 */
export function buildFigureIndex(state: Omit<State, 'figures'>): FigureIndex {
  const treaty = state.treaty;
  if (!treaty) return emptyFigureIndex();
  const pairs = new Map<string, PairTally>();
  const pairOf = (requesting: string, requested: string): PairTally => {
    const key = pairKey(requesting, requested);
    let pair = pairs.get(key);
    if (!pair) pairs.set(key, (pair = { requesting, requested, sums: newSums(), breaches: [], receiptsUnconfirmed: [] }));
    return pair;
  };
  const scopes = new Map<string, { all: SumsTally; pairs: Map<string, SumsTally> }>();
  const live: (readonly [string, true])[] = [];
  const paused: (readonly [string, true])[] = [];
  const obligations: BagElement<IndexedObligation>[] = [];
  for (const record of mapValues(state.requests)) {
    const pair = pairOf(record.view.requesting, record.view.requested);
    if (isLive(record)) live.push([record.id, true]);
    else {
      const tally = emptyTally();
      // The instant is never read for a request that is not live (isLive).
      countRequest(treaty, record, 0, tally);
      tallySums(pair.sums, tally, record.id);
      const key = pairKey(record.view.requesting, record.view.requested);
      for (const scope of scopesOf(state.incidents, record.id)) {
        let kept = scopes.get(scope);
        if (!kept) scopes.set(scope, (kept = { all: newSums(), pairs: new Map() }));
        tallySums(kept.all, tally, record.id);
        let inPair = kept.pairs.get(key);
        if (!inPair) kept.pairs.set(key, (inPair = newSums()));
        tallySums(inPair, tally, record.id);
      }
    }
    if (!mayOwe(record)) continue;
    if (clockMayStop(record)) paused.push([record.id, true]);
    else indexableObligations(treaty, record).forEach((item, place) => obligations.push({ value: item.due, id: obligationKey(item.request, item.kind, place), item }));
  }
  for (const trade of mapValues(state.trades.byId)) {
    const at = trade.abortedAt;
    if (at === undefined) continue;
    const { breaches, receiptsUnconfirmed } = tradePairs(trade);
    for (const leg of breaches) pairOf(leg.to, leg.from).breaches.push({ value: at, id: trade.id });
    for (const leg of receiptsUnconfirmed) pairOf(leg.to, leg.from).receiptsUnconfirmed.push({ value: at, id: trade.id });
  }
  const pairIndex: Record<string, PairIndex> = {};
  for (const [key, pair] of pairs) {
    pairIndex[key] = { requesting: pair.requesting, requested: pair.requested, ...finishedSums(pair.sums), breaches: bagFromElements(pair.breaches), receiptsUnconfirmed: bagFromElements(pair.receiptsUnconfirmed) };
  }
  const scopeIndex = [...scopes].map(([scope, kept]): [string, ScopeIndex] => [scope, { all: finishedSums(kept.all), pairs: Object.fromEntries([...kept.pairs].map(([key, sums]) => [key, finishedSums(sums)])) }]);
  return { treaty, pairs: pairIndex, live: mapFromEntries(live), obligations: bagFromElements(obligations), paused: mapFromEntries(paused), scopes: mapFromEntries(scopeIndex) };
}
